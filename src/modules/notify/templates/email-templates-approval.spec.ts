import { type EmailContext, renderEmail } from './email-templates.js';

/** The approval mails (requires_confirmation): what each says, in the recipient's zone, and which links it carries. */
const common: Omit<EmailContext, 'kind' | 'role' | 'recipientName' | 'recipientZone' | 'otherZones'> = {
  meetingName: 'Intro call',
  hostNames: ['Hana Host'],
  inviteeName: 'Ines',
  inviteeEmail: 'ines@example.com',
  start: new Date('2027-03-09T15:00:00Z'),
  end: new Date('2027-03-09T15:30:00Z'),
  pending: true,
  expiresAt: new Date('2027-03-02T12:00:00Z'),
  links: {},
};
const toHost = (over: Partial<EmailContext>) =>
  renderEmail({
    ...common,
    role: 'host',
    recipientName: 'Hana Host',
    recipientZone: 'America/New_York',
    otherZones: ['Europe/Berlin'],
    kind: 'request',
    ...over,
  });
const toInvitee = (over: Partial<EmailContext>) =>
  renderEmail({
    ...common,
    role: 'invitee',
    recipientName: 'Ines',
    recipientZone: 'Europe/Berlin',
    otherZones: ['America/New_York'],
    kind: 'request',
    ...over,
  });

describe('approval emails', () => {
  it("the host's request: who asks, when, the signed Confirm and Decline links and the deadline", () => {
    const mail = toHost({
      links: {
        confirm: 'https://k.test/booking/b/approval?action=confirm&sig=x',
        decline: 'https://k.test/booking/b/approval?action=decline&sig=y',
        manage: 'https://k.test/admin/bookings/b',
      },
      answers: { topic: 'Pricing' },
    });
    expect(mail.subject).toBe('Please confirm: Intro call with Ines on Tuesday, 9 March 2027, 10:00 (America/New_York)');
    expect(mail.text).toContain('Ines (ines@example.com) asks to book Intro call with you.');
    expect(mail.text).toContain('Confirm: https://k.test/booking/b/approval?action=confirm&sig=x');
    expect(mail.text).toContain('Decline: https://k.test/booking/b/approval?action=decline&sig=y');
    expect(mail.text).toContain('topic: Pricing');
    expect(mail.text).toMatch(/Without an answer by .*2027.*, the request expires/);
    expect(mail.html).toContain('<a href="https://k.test/booking/b/approval?action=confirm&amp;sig=x">Confirm</a>');
  });

  it("the invitee's request received: not a confirmation, no calendar links, cancel and reschedule offered", () => {
    const mail = toInvitee({
      links: { cancel: 'https://k.test/c', reschedule: 'https://k.test/r', google: 'https://calendar.google.com/x' },
    });
    expect(mail.subject).toBe('Request received: Intro call with Hana Host on Tuesday, 9 March 2027, 16:00 (Europe/Berlin)');
    expect(mail.text).toContain('This is not a confirmation yet.');
    expect(mail.text).toContain('Cancel the request: https://k.test/c');
    expect(mail.text).not.toContain('calendar.google.com');
  });

  it('declined (with the reason) and expired, to each side', () => {
    const declined = toInvitee({ kind: 'declined', reason: 'Travelling' });
    expect(declined.subject).toBe('Declined: Intro call with Hana Host on Tuesday, 9 March 2027, 16:00 (Europe/Berlin)');
    expect(declined.text).toContain('Hana Host declined your request for Intro call.');
    expect(declined.text).toContain('Reason: Travelling');
    expect(toInvitee({ kind: 'expired' }).subject).toBe(
      'Not confirmed: Intro call with Hana Host on Tuesday, 9 March 2027, 16:00 (Europe/Berlin)',
    );
    const hostExpired = toHost({ kind: 'expired' });
    expect(hostExpired.subject).toBe('Expired: request from Ines for Intro call on Tuesday, 9 March 2027, 10:00 (America/New_York)');
    expect(hostExpired.text).toContain('expired without an answer; the time is free again');
  });

  it('the confirmation a host sends by confirming reads as theirs', () => {
    const mail = toHost({ kind: 'confirmation', pending: false, approved: true });
    expect(mail.subject).toBe('Confirmed: Intro call with Ines on Tuesday, 9 March 2027, 10:00 (America/New_York)');
    expect(mail.text).toContain('You confirmed Intro call with Ines (ines@example.com).');
  });
});
