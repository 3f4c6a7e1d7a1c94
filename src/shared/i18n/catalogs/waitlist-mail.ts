// The waitlist's claim mail (issue #19), in the language the invitee joined the line in.
// English is the reference: every other language has exactly its keys with the same ICU arguments
// (src/shared/i18n/catalogs.spec.ts).
import type { AreaCatalog } from './admin/area-catalog.js';
const en = {
  'email.waitlistClaim.subject': 'A place opened up: {type}',
  'email.waitlistClaim.greeting': 'Hello {name},',
  'email.waitlistClaim.opened': 'A place opened up for {type} on {when}. It is held for you until {until}.',
  'email.waitlistClaim.bookHere': 'Book it here:',
  'email.waitlistClaim.book': 'Book this time',
  'email.waitlistClaim.soon': 'soon',
  'email.waitlistClaim.noAction': 'If you no longer want it, do nothing: the place goes to the next person in line when your hold ends.',
} as const;

export const waitlistMail: AreaCatalog<typeof en> = {
  en,
  de: {
    'email.waitlistClaim.subject': 'Ein Platz ist frei geworden: {type}',
    'email.waitlistClaim.greeting': 'Hallo {name},',
    'email.waitlistClaim.opened': 'Für {type} am {when} ist ein Platz frei geworden. Er ist für Sie reserviert bis {until}.',
    'email.waitlistClaim.bookHere': 'Hier buchen:',
    'email.waitlistClaim.book': 'Diesen Termin buchen',
    'email.waitlistClaim.soon': 'in Kürze',
    'email.waitlistClaim.noAction':
      'Wenn Sie ihn nicht mehr möchten, tun Sie nichts: Der Platz geht an die nächste Person in der Warteliste, wenn Ihre Reservierung endet.',
  },
  fr: {
    'email.waitlistClaim.subject': 'Une place s’est libérée : {type}',
    'email.waitlistClaim.greeting': 'Bonjour {name},',
    'email.waitlistClaim.opened': 'Une place s’est libérée pour {type} le {when}. Elle vous est réservée jusqu’à {until}.',
    'email.waitlistClaim.bookHere': 'Réservez-la ici :',
    'email.waitlistClaim.book': 'Réserver ce créneau',
    'email.waitlistClaim.soon': 'bientôt',
    'email.waitlistClaim.noAction':
      'Si vous n’en voulez plus, ne faites rien : la place revient à la personne suivante de la liste quand votre réservation prend fin.',
  },
  es: {
    'email.waitlistClaim.subject': 'Se ha liberado una plaza: {type}',
    'email.waitlistClaim.greeting': 'Hola {name}:',
    'email.waitlistClaim.opened': 'Se ha liberado una plaza para {type} el {when}. Está reservada para ti hasta {until}.',
    'email.waitlistClaim.bookHere': 'Resérvala aquí:',
    'email.waitlistClaim.book': 'Reservar esta hora',
    'email.waitlistClaim.soon': 'en breve',
    'email.waitlistClaim.noAction':
      'Si ya no la quieres, no hagas nada: la plaza pasa a la siguiente persona de la lista cuando termine tu reserva.',
  },
  ptBR: {
    'email.waitlistClaim.subject': 'Uma vaga foi liberada: {type}',
    'email.waitlistClaim.greeting': 'Olá, {name},',
    'email.waitlistClaim.opened': 'Uma vaga foi liberada para {type} em {when}. Ela está reservada para você até {until}.',
    'email.waitlistClaim.bookHere': 'Reserve aqui:',
    'email.waitlistClaim.book': 'Reservar este horário',
    'email.waitlistClaim.soon': 'em breve',
    'email.waitlistClaim.noAction':
      'Se você não quiser mais, não faça nada: a vaga passa para a próxima pessoa da fila quando sua reserva terminar.',
  },
  ja: {
    'email.waitlistClaim.subject': '空きが出ました：{type}',
    'email.waitlistClaim.greeting': '{name} 様',
    'email.waitlistClaim.opened': '{when} の {type} に空きが出ました。{until} まであなたのために確保しています。',
    'email.waitlistClaim.bookHere': 'こちらから予約してください：',
    'email.waitlistClaim.book': 'この時間を予約する',
    'email.waitlistClaim.soon': 'まもなく',
    'email.waitlistClaim.noAction': '不要な場合は何もしないでください。確保期間が終わると、次に並んでいる方に順番が回ります。',
  },
};
