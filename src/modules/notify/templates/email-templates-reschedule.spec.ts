import { renderEmail } from './email-templates.js';

const moved = (reason: string | null) =>
  renderEmail({
    kind: 'reschedule',
    role: 'invitee',
    recipientName: 'Ines',
    recipientZone: 'Europe/Berlin',
    otherZones: [],
    meetingName: 'Intro call',
    hostNames: ['Ada Lovelace'],
    inviteeName: 'Ines',
    inviteeEmail: 'ines@example.com',
    start: new Date('2027-03-09T15:00:00Z'),
    end: new Date('2027-03-09T15:30:00Z'),
    previous: { start: new Date('2027-03-08T15:00:00Z'), end: new Date('2027-03-08T15:30:00Z') },
    reason,
    links: { google: 'https://calendar.google.com/x' },
  });

describe('the reschedule email', () => {
  it("shows the reason given with the move (the host's, from the admin), and no reason line without one", () => {
    expect(moved('The room changed').text).toContain('Reason: The room changed');
    expect(moved('The room changed').html).toContain('Reason: The room changed');
    expect(moved(null).text).not.toContain('Reason:');
    expect(moved('  ').text).not.toContain('Reason:');
  });
});
