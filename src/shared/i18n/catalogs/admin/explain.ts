// The explain engine's reason sentences (issue #19), for the admin's "why" page and GET /api/availability/explain.
// English is the reference and must read exactly as the engine's own `message` (slot-explain.property.spec.ts checks
// it): every other language has exactly its keys with the same ICU arguments (src/shared/i18n/catalogs.spec.ts).
import type { AreaCatalog } from './area-catalog.js';
const en = {
  'explain.minimumNotice': "bookings need {minutes} minutes' notice",
  'explain.notOnGrid': "starts are offered every {step} minutes from the start of the host's hours",
  'explain.notOnGridCommon': "starts are offered every {step} minutes from the start of the hosts' common hours",
  'explain.override': "a date override sets the host's hours on {date}",
  'explain.outsideHours': "the meeting would not fit in the host's weekly hours",
  'explain.bookingWindow': 'bookings open at most {days} days ahead',
  'explain.busyBooking': 'the host has another booking then',
  'explain.pendingApproval': "a booking awaiting the host's approval holds this time",
  'explain.held': 'someone is holding this time while they book',
  'explain.busyCalendar': "an event in the host's calendar makes them busy then",
  'explain.busyCalendarNamed': 'the host\'s calendar "{calendar}" has a busy event then',
  'explain.busyPublic': 'the host is busy then',
  'explain.timeOff': 'the host is away (time off)',
  'explain.holiday': 'a public holiday of the host',
  'explain.bufferBefore': 'too soon after another commitment ends (the buffers kept between meetings)',
  'explain.bufferAfter': 'too close to the start of another commitment (the buffers kept between meetings)',
  'explain.seatsFull': 'every seat at this time is taken',
  'explain.capBookings':
    '{scope, select, host {this host takes} other {this meeting type takes}} at most {limit, plural, one {# booking} other {# bookings}} a {period, select, day {day} week {week} month {month} other {year}}{perHost, select, yes { per host} other {}} ({cap})',
  'explain.capMinutes':
    '{scope, select, host {this host takes} other {this meeting type takes}} at most {limit} booked minutes a {period, select, day {day} other {week}}{perHost, select, yes { per host} other {}} ({cap})',
  'explain.capRoundRobin':
    '{limit, plural, one {this host takes at most # booking} other {this host takes at most # bookings}} of this meeting type {period, select, calendar_month {per calendar month} other {in any 30 days}} and has reached it (max_bookings_per_period)',
} as const;

export const adminExplain: AreaCatalog<typeof en> = {
  en,
  de: {
    'explain.minimumNotice': 'Buchungen brauchen {minutes} Minuten Vorlauf',
    'explain.notOnGrid': 'Beginne werden alle {step} Minuten ab dem Beginn der Zeiten des Gastgebers angeboten',
    'explain.notOnGridCommon': 'Beginne werden alle {step} Minuten ab dem Beginn der gemeinsamen Zeiten der Gastgeber angeboten',
    'explain.override': 'eine Datumsausnahme legt die Zeiten des Gastgebers am {date} fest',
    'explain.outsideHours': 'der Termin passt nicht in die Wochenzeiten des Gastgebers',
    'explain.bookingWindow': 'Buchungen sind höchstens {days} Tage im Voraus möglich',
    'explain.busyBooking': 'der Gastgeber hat dann eine andere Buchung',
    'explain.pendingApproval': 'eine Buchung, die auf die Bestätigung des Gastgebers wartet, hält diese Zeit',
    'explain.held': 'jemand hält diese Zeit, während er bucht',
    'explain.busyCalendar': 'ein Termin im Kalender des Gastgebers macht ihn dann beschäftigt',
    'explain.busyCalendarNamed': 'der Kalender „{calendar}“ des Gastgebers hat dann einen belegten Termin',
    'explain.busyPublic': 'der Gastgeber ist dann beschäftigt',
    'explain.timeOff': 'der Gastgeber ist abwesend (Abwesenheit)',
    'explain.holiday': 'ein gesetzlicher Feiertag des Gastgebers',
    'explain.bufferBefore': 'zu kurz nach dem Ende eines anderen Termins (die Puffer zwischen Terminen)',
    'explain.bufferAfter': 'zu nah am Beginn eines anderen Termins (die Puffer zwischen Terminen)',
    'explain.seatsFull': 'alle Plätze zu dieser Zeit sind vergeben',
    'explain.capBookings':
      '{scope, select, host {dieser Gastgeber nimmt} other {diese Terminart nimmt}} höchstens {limit, plural, one {# Buchung} other {# Buchungen}} pro {period, select, day {Tag} week {Woche} month {Monat} other {Jahr}}{perHost, select, yes { je Gastgeber} other {}} an ({cap})',
    'explain.capMinutes':
      '{scope, select, host {dieser Gastgeber nimmt} other {diese Terminart nimmt}} höchstens {limit} gebuchte Minuten pro {period, select, day {Tag} other {Woche}}{perHost, select, yes { je Gastgeber} other {}} an ({cap})',
    'explain.capRoundRobin':
      'dieser Gastgeber nimmt höchstens {limit, plural, one {# Buchung} other {# Buchungen}} dieser Terminart {period, select, calendar_month {pro Kalendermonat} other {in beliebigen 30 Tagen}} an und hat das erreicht (max_bookings_per_period)',
  },
  fr: {
    'explain.minimumNotice': 'les réservations demandent un préavis de {minutes} minutes',
    'explain.notOnGrid': 'les créneaux commencent toutes les {step} minutes à partir du début des horaires de l’hôte',
    'explain.notOnGridCommon': 'les créneaux commencent toutes les {step} minutes à partir du début des horaires communs des hôtes',
    'explain.override': 'une exception de date fixe les horaires de l’hôte le {date}',
    'explain.outsideHours': 'le rendez-vous ne tiendrait pas dans les horaires hebdomadaires de l’hôte',
    'explain.bookingWindow': 'les réservations ouvrent au plus {days} jours à l’avance',
    'explain.busyBooking': 'l’hôte a une autre réservation à ce moment-là',
    'explain.pendingApproval': 'une réservation en attente de l’accord de l’hôte retient ce créneau',
    'explain.held': 'quelqu’un retient ce créneau le temps de réserver',
    'explain.busyCalendar': 'un événement du calendrier de l’hôte le rend occupé à ce moment-là',
    'explain.busyCalendarNamed': 'le calendrier « {calendar} » de l’hôte a un événement occupé à ce moment-là',
    'explain.busyPublic': 'l’hôte est occupé à ce moment-là',
    'explain.timeOff': 'l’hôte est absent (congé)',
    'explain.holiday': 'un jour férié de l’hôte',
    'explain.bufferBefore': 'trop tôt après la fin d’un autre engagement (les marges gardées entre les rendez-vous)',
    'explain.bufferAfter': 'trop près du début d’un autre engagement (les marges gardées entre les rendez-vous)',
    'explain.seatsFull': 'toutes les places à cette heure sont prises',
    'explain.capBookings':
      '{scope, select, host {cet hôte accepte} other {ce type de rendez-vous accepte}} au plus {limit, plural, one {# réservation} other {# réservations}} par {period, select, day {jour} week {semaine} month {mois} other {an}}{perHost, select, yes { et par hôte} other {}} ({cap})',
    'explain.capMinutes':
      '{scope, select, host {cet hôte accepte} other {ce type de rendez-vous accepte}} au plus {limit} minutes réservées par {period, select, day {jour} other {semaine}}{perHost, select, yes { et par hôte} other {}} ({cap})',
    'explain.capRoundRobin':
      'cet hôte accepte au plus {limit, plural, one {# réservation} other {# réservations}} de ce type de rendez-vous {period, select, calendar_month {par mois civil} other {sur 30 jours glissants}} et a atteint ce plafond (max_bookings_per_period)',
  },
  es: {
    'explain.minimumNotice': 'las reservas necesitan {minutes} minutos de antelación',
    'explain.notOnGrid': 'los inicios se ofrecen cada {step} minutos desde el comienzo del horario del anfitrión',
    'explain.notOnGridCommon': 'los inicios se ofrecen cada {step} minutos desde el comienzo del horario común de los anfitriones',
    'explain.override': 'una excepción de fecha fija el horario del anfitrión el {date}',
    'explain.outsideHours': 'la reunión no cabría en el horario semanal del anfitrión',
    'explain.bookingWindow': 'las reservas se abren como máximo con {days} días de antelación',
    'explain.busyBooking': 'el anfitrión tiene otra reserva a esa hora',
    'explain.pendingApproval': 'una reserva que espera la aprobación del anfitrión retiene esta hora',
    'explain.held': 'alguien retiene esta hora mientras reserva',
    'explain.busyCalendar': 'un evento del calendario del anfitrión lo ocupa a esa hora',
    'explain.busyCalendarNamed': 'el calendario «{calendar}» del anfitrión tiene un evento ocupado a esa hora',
    'explain.busyPublic': 'el anfitrión está ocupado a esa hora',
    'explain.timeOff': 'el anfitrión está ausente (tiempo libre)',
    'explain.holiday': 'un día festivo del anfitrión',
    'explain.bufferBefore': 'demasiado pronto tras el final de otro compromiso (los márgenes entre reuniones)',
    'explain.bufferAfter': 'demasiado cerca del comienzo de otro compromiso (los márgenes entre reuniones)',
    'explain.seatsFull': 'todas las plazas a esta hora están ocupadas',
    'explain.capBookings':
      '{scope, select, host {este anfitrión acepta} other {este tipo de reunión acepta}} como máximo {limit, plural, one {# reserva} other {# reservas}} por {period, select, day {día} week {semana} month {mes} other {año}}{perHost, select, yes { por anfitrión} other {}} ({cap})',
    'explain.capMinutes':
      '{scope, select, host {este anfitrión acepta} other {este tipo de reunión acepta}} como máximo {limit} minutos reservados por {period, select, day {día} other {semana}}{perHost, select, yes { por anfitrión} other {}} ({cap})',
    'explain.capRoundRobin':
      'este anfitrión acepta como máximo {limit, plural, one {# reserva} other {# reservas}} de este tipo de reunión {period, select, calendar_month {por mes natural} other {en cualquier periodo de 30 días}} y ya lo ha alcanzado (max_bookings_per_period)',
  },
  ptBR: {
    'explain.minimumNotice': 'as reservas precisam de {minutes} minutos de antecedência',
    'explain.notOnGrid': 'os horários começam a cada {step} minutos a partir do início do expediente do anfitrião',
    'explain.notOnGridCommon': 'os horários começam a cada {step} minutos a partir do início do expediente comum dos anfitriões',
    'explain.override': 'uma exceção de data define o expediente do anfitrião em {date}',
    'explain.outsideHours': 'a reunião não caberia no horário semanal do anfitrião',
    'explain.bookingWindow': 'as reservas abrem no máximo {days} dias antes',
    'explain.busyBooking': 'o anfitrião tem outra reserva nesse horário',
    'explain.pendingApproval': 'uma reserva aguardando a aprovação do anfitrião segura este horário',
    'explain.held': 'alguém está segurando este horário enquanto reserva',
    'explain.busyCalendar': 'um evento na agenda do anfitrião o deixa ocupado nesse horário',
    'explain.busyCalendarNamed': 'a agenda “{calendar}” do anfitrião tem um evento ocupado nesse horário',
    'explain.busyPublic': 'o anfitrião está ocupado nesse horário',
    'explain.timeOff': 'o anfitrião está ausente (folga)',
    'explain.holiday': 'um feriado do anfitrião',
    'explain.bufferBefore': 'logo depois do fim de outro compromisso (os intervalos mantidos entre reuniões)',
    'explain.bufferAfter': 'perto demais do início de outro compromisso (os intervalos mantidos entre reuniões)',
    'explain.seatsFull': 'todas as vagas nesse horário estão ocupadas',
    'explain.capBookings':
      '{scope, select, host {este anfitrião aceita} other {este tipo de reunião aceita}} no máximo {limit, plural, one {# reserva} other {# reservas}} por {period, select, day {dia} week {semana} month {mês} other {ano}}{perHost, select, yes { por anfitrião} other {}} ({cap})',
    'explain.capMinutes':
      '{scope, select, host {este anfitrião aceita} other {este tipo de reunião aceita}} no máximo {limit} minutos reservados por {period, select, day {dia} other {semana}}{perHost, select, yes { por anfitrião} other {}} ({cap})',
    'explain.capRoundRobin':
      'este anfitrião aceita no máximo {limit, plural, one {# reserva} other {# reservas}} deste tipo de reunião {period, select, calendar_month {por mês do calendário} other {em quaisquer 30 dias}} e já atingiu esse limite (max_bookings_per_period)',
  },
  ja: {
    'explain.minimumNotice': '予約には {minutes} 分前までの連絡が必要です',
    'explain.notOnGrid': '開始時刻はホストの受付時間の始まりから {step} 分ごとに提供されます',
    'explain.notOnGridCommon': '開始時刻はホストたちの共通の受付時間の始まりから {step} 分ごとに提供されます',
    'explain.override': '{date} のホストの受付時間は日付の例外で決まっています',
    'explain.outsideHours': 'ミーティングがホストの週の受付時間に収まりません',
    'explain.bookingWindow': '予約は最大 {days} 日先まで受け付けています',
    'explain.busyBooking': 'ホストはその時間に別の予約があります',
    'explain.pendingApproval': 'ホストの承認待ちの予約がこの時間を押さえています',
    'explain.held': '誰かが予約手続き中でこの時間を押さえています',
    'explain.busyCalendar': 'ホストのカレンダーの予定でその時間は埋まっています',
    'explain.busyCalendarNamed': 'ホストのカレンダー「{calendar}」にその時間の予定があります',
    'explain.busyPublic': 'ホストはその時間は予定があります',
    'explain.timeOff': 'ホストは不在です（休暇）',
    'explain.holiday': 'ホストの祝日です',
    'explain.bufferBefore': '別の予定の終了直後すぎます（ミーティング間のバッファー）',
    'explain.bufferAfter': '別の予定の開始に近すぎます（ミーティング間のバッファー）',
    'explain.seatsFull': 'この時間の席はすべて埋まっています',
    'explain.capBookings':
      '{scope, select, host {このホストは} other {この予約タイプは}}{period, select, day {1日} week {1週間} month {1か月} other {1年}}{perHost, select, yes {にホストごと} other {に}}最大 {limit, plural, other {# 件}}まで受け付けます（{cap}）',
    'explain.capMinutes':
      '{scope, select, host {このホストは} other {この予約タイプは}}{period, select, day {1日} other {1週間}}{perHost, select, yes {にホストごと} other {に}}最大 {limit} 分まで予約を受け付けます（{cap}）',
    'explain.capRoundRobin':
      'このホストはこの会議タイプの予約を{period, select, calendar_month {暦月あたり} other {任意の30日間で}}最大{limit, plural, other {#}}件までしか受け付けず、上限に達しています (max_bookings_per_period)',
  },
};
