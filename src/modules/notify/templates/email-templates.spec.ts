import { sampleView } from '../domain/notify-fixtures.js';
import { renderEmail } from './email-templates.js';

const view = sampleView();
const host = view.hosts[0];
const message = 'the host moved the event to 2027-03-09T17:00:00.000Z–2027-03-09T17:30:00.000Z, which collides with another booking';

describe('the host-move-conflict email', () => {
  const mail = renderEmail({
    kind: 'host_move_conflict',
    role: 'host',
    recipientName: host.name,
    recipientZone: host.timeZone,
    otherZones: ['Europe/Berlin'],
    meetingName: 'Intro <call>',
    hostNames: [host.name],
    inviteeName: 'Ines',
    inviteeEmail: 'ines@example.com',
    start: new Date('2027-03-09T15:00:00Z'),
    end: new Date('2027-03-09T15:30:00Z'),
    movedTo: { start: new Date('2027-03-09T17:00:00Z'), end: new Date('2027-03-09T17:30:00Z') },
    reason: message,
    links: { manage: `https://kairos.test/admin/bookings/${view.id}`, google: 'https://calendar.google.com/x' },
  });

  it("says what holds and where they moved it in the host's zone (then the invitee's), why, and links the admin page", () => {
    expect(mail.subject).toBe('Not moved: Intro <call> with Ines stays on Tuesday, 9 March 2027, 10:00 (America/New_York)');
    expect(mail.text).toContain(
      'It stays at:\n  - Tuesday, 9 March 2027, 10:00–10:30 (America/New_York)\n  - Tuesday, 9 March 2027, 16:00–16:30 (Europe/Berlin)',
    );
    expect(mail.text).toContain('You moved it to:\n  - Tuesday, 9 March 2027, 12:00–12:30 (America/New_York)');
    expect(mail.text).toContain(`Why: ${message}`);
    expect(mail.text).toContain(`Open the booking: https://kairos.test/admin/bookings/${view.id}`);
    expect(mail.text).not.toContain('Google');
    expect(mail.html).toContain('Intro &lt;call&gt;');
    expect(mail.html).toContain(`<a href="https://kairos.test/admin/bookings/${view.id}">Open the booking</a>`);
  });
});

describe("a guest's invitation", () => {
  const mail = renderEmail({
    kind: 'confirmation',
    role: 'guest',
    recipientName: 'ada@example.com',
    recipientZone: 'Europe/Berlin',
    otherZones: [host.timeZone],
    meetingName: 'Intro call',
    hostNames: [host.name],
    inviteeName: 'Ines',
    inviteeEmail: 'ines@example.com',
    start: new Date('2027-03-09T15:00:00Z'),
    end: new Date('2027-03-09T15:30:00Z'),
    links: { google: 'https://calendar.google.com/x' },
  });

  it('says who invited them to what, with whom, and offers no way to manage the booking', () => {
    expect(mail.subject).toBe(`Invitation: Intro call with ${host.name}, Ines on Tuesday, 9 March 2027, 16:00 (Europe/Berlin)`);
    expect(mail.text).toContain(`Ines (ines@example.com) invited you to Intro call with ${host.name}.`);
    expect(mail.text).not.toMatch(/Manage|Reschedule|Cancel/);
  });
});
