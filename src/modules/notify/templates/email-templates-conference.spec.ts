import { renderEmail } from './email-templates.js';

describe('the mails', () => {
  const base = {
    role: 'invitee' as const,
    recipientName: 'Ivo',
    recipientZone: 'Europe/Berlin',
    otherZones: [],
    meetingName: 'Intro',
    hostNames: ['Hana'],
    inviteeName: 'Ivo',
    inviteeEmail: 'ivo@example.com',
    start: new Date('2027-03-09T15:00:00Z'),
    end: new Date('2027-03-09T15:30:00Z'),
    links: {},
  };

  it('promise the link, then bring it', () => {
    expect(renderEmail({ ...base, kind: 'confirmation', conferencePending: true }).text).toContain('The video link will be sent by email.');
    const link = renderEmail({ ...base, kind: 'conference_link', conference: { provider: 'zoom', joinUrl: 'https://zoom.example/j/1' } });
    expect(link.subject).toMatch(/^Your meeting link: Intro with Hana on /);
    expect(link.text).toContain('Join with Zoom: https://zoom.example/j/1');
    expect(link.text).not.toContain('will be sent');
    expect(link.html).toContain('<a href="https://zoom.example/j/1">Join with Zoom</a>');
  });

  it('a cancellation shows neither', () => {
    const mail = renderEmail({ ...base, kind: 'cancellation', conference: { provider: 'jitsi', joinUrl: 'https://meet.jit.si/x' } });
    expect(mail.text).not.toContain('meet.jit.si');
  });
});
