import { jitsiConference } from './conference.js';

describe('jitsiConference', () => {
  it('names an unguessable room on the configured server', () => {
    const c = jitsiConference('https://meet.example.org/', new Uint8Array(16).fill(0xab));
    expect(c).toEqual({
      provider: 'jitsi',
      joinUrl: `https://meet.example.org/Kairos-${'ab'.repeat(16)}`,
      meetingId: `Kairos-${'ab'.repeat(16)}`,
    });
  });

  it('refuses too little randomness', () => {
    expect(() => jitsiConference('https://meet.jit.si', new Uint8Array(8))).toThrow(/16 random bytes/);
  });
});
