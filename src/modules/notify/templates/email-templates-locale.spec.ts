import { type EmailContext, renderEmail, renderSmsReminder } from './email-templates.js';

/** Issue #18: each recipient's mail in their language, dates by Intl for it; English exactly as before. */
const base: EmailContext = {
  kind: 'confirmation',
  role: 'invitee',
  recipientName: 'Chloé',
  recipientZone: 'Europe/Paris',
  otherZones: ['America/New_York'],
  meetingName: 'Intro <call>',
  hostNames: ['Ada'],
  inviteeName: 'Chloé',
  inviteeEmail: 'chloe@example.com',
  start: new Date('2027-03-09T15:00:00Z'),
  end: new Date('2027-03-09T15:30:00Z'),
  links: { manage: 'https://kairos.test/booking/1?token=t', google: 'https://calendar.google.com/x' },
};

describe('emails in the recipient’s language', () => {
  it('English stays as it was (no locale, or en)', () => {
    for (const locale of [undefined, 'en']) {
      const mail = renderEmail({ ...base, locale });
      expect(mail.subject).toBe('Confirmed: Intro <call> with Ada on Tuesday, 9 March 2027, 16:00 (Europe/Paris)');
      expect(mail.text).toContain('Hello Chloé,');
      expect(mail.text).toContain(
        'When:\n  - Tuesday, 9 March 2027, 16:00–16:30 (Europe/Paris)\n  - Tuesday, 9 March 2027, 10:00–10:30 (America/New_York)',
      );
      expect(mail.text).toContain('Sent by Kairos');
    }
  });

  it('French: subject, body, dates and links', () => {
    const mail = renderEmail({ ...base, locale: 'fr' });
    expect(mail.subject).toBe('Confirmé : Intro <call> avec Ada le mardi 9 mars 2027, 16:00 (Europe/Paris)');
    expect(mail.text).toContain('Bonjour Chloé,');
    expect(mail.text).toContain(
      'Quand :\n  - mardi 9 mars 2027, 16:00–16:30 (Europe/Paris)\n  - mardi 9 mars 2027, 10:00–10:30 (America/New_York)',
    );
    expect(mail.text).toContain('Gérer cette réservation: https://kairos.test/booking/1?token=t');
    expect(mail.text).toContain('Envoyé par Kairos');
    expect(mail.html).toContain('Intro &lt;call&gt;');
    expect(mail.html).toContain('<html lang="fr">');
  });

  it('Japanese reminder and SMS with the lead time; German cancellation by the host with its reason', () => {
    const reminder = { ...base, kind: 'reminder' as const, offsetMinutes: 60, recipientZone: 'Asia/Tokyo', locale: 'ja' };
    expect(renderEmail(reminder).subject).toBe('リマインダー：AdaさんとのIntro <call>は1時間後（2027年3月10日水曜日, 0:00 (Asia/Tokyo)）');
    expect(renderSmsReminder(reminder)).toContain('1時間後');
    const cancelled = renderEmail({ ...base, kind: 'cancellation', cancelledBy: 'host', reason: 'Krank', locale: 'de' });
    expect(cancelled.subject).toBe('Abgesagt: Intro <call> mit Ada am Dienstag, 9. März 2027, 16:00 (Europe/Paris)');
    expect(cancelled.text).toContain('Ihr Termin Intro <call> mit Ada wurde vom Gastgeber abgesagt.');
    expect(cancelled.text).toContain('Grund: Krank');
  });
});
