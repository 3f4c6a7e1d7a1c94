import type { WaitlistEventPayload } from '../../booking/domain/waitlist.js';
import { renderWaitlistClaim } from './waitlist-claim-mail.js';

const payload: WaitlistEventPayload = {
  entry_id: '6f1c0d1e-0000-4000-8000-000000000001',
  meeting_type_id: '6f1c0d1e-0000-4000-8000-000000000002',
  meeting_type_name: 'Design <review>',
  meeting_type_slug: 'design-review',
  owner_id: '6f1c0d1e-0000-4000-8000-000000000003',
  owner_username: 'noor',
  start_time: '2027-03-02T10:00:00.000Z',
  end_time: '2027-03-02T10:30:00.000Z',
  name: 'Ada <Lovelace>',
  email: 'ada@example.com',
  position: 1,
  status: 'promoted',
  promoted_at: '2027-03-01T12:00:00.000Z',
  claim_expires_at: '2027-03-01T13:00:00.000Z',
};
const url = 'http://kairos.test/noor/design-review/book?start=2027-03-02T10%3A00%3A00.000Z&hold=hld_x&name=Ada&email=ada%40example.com';

describe('the waitlist claim mail', () => {
  it('English when the entry has no language (events from before it was stored) or an unknown one; escapes what was typed', () => {
    for (const p of [payload, { ...payload, locale: 'xx' }, { ...payload, locale: 'en' }]) {
      const mail = renderWaitlistClaim(p, url);
      expect(mail.subject).toBe('A place opened up: Design <review>');
      expect(mail.text).toBe(
        [
          'Hello Ada <Lovelace>,',
          '',
          'A place opened up for Design <review> on Tuesday, 2 March 2027, 10:00 UTC. It is held for you until Monday, 1 March 2027, 13:00 UTC.',
          'Book it here:',
          url,
          '',
          'If you no longer want it, do nothing: the place goes to the next person in line when your hold ends.',
        ].join('\n'),
      );
      expect(mail.html).toContain('<p>Hello Ada &lt;Lovelace&gt;,</p>');
      expect(mail.html).toContain('A place opened up for <strong>Design &lt;review&gt;</strong> on Tuesday, 2 March 2027, 10:00 UTC.');
      expect(mail.html).toContain(`<a href="${url.replace(/&/g, '&amp;')}">Book this time</a>`);
      expect(mail.html).not.toContain('\u0000');
    }
  });

  it.each([
    ['de', 'Ein Platz ist frei geworden: Design <review>', 'am Dienstag, 2. März 2027, 10:00 UTC', 'Diesen Termin buchen'],
    ['fr', 'Une place s’est libérée : Design <review>', 'le mardi 2 mars 2027, 10:00 UTC', 'Réserver ce créneau'],
    ['es', 'Se ha liberado una plaza: Design <review>', 'el martes, 2 de marzo de 2027, 10:00 UTC', 'Reservar esta hora'],
    ['pt-BR', 'Uma vaga foi liberada: Design <review>', 'em terça-feira, 2 de março de 2027, 10:00 UTC', 'Reservar este horário'],
    ['ja', '空きが出ました：Design <review>', '2027年3月2日火曜日, 10:00 UTC の', 'この時間を予約する'],
  ])('%s: subject, dates and link in the language joined in', (locale, subject, when, link) => {
    const mail = renderWaitlistClaim({ ...payload, locale }, url);
    expect(mail.subject).toBe(subject);
    expect(mail.text).toContain(when);
    expect(mail.text).toContain(url);
    expect(mail.html).toContain(`>${link}</a>`);
    expect(mail.html).toContain('<strong>Design &lt;review&gt;</strong>');
    expect(mail.text).not.toContain('A place opened up');
  });

  it("in the invitee's zone when the entry has one: the local date and clock, named (a date line crossed)", () => {
    const mail = renderWaitlistClaim({ ...payload, time_zone: 'Pacific/Auckland' }, url);
    // 10:00 UTC on 2 March is 23:00 NZDT the same day; the hold ends 13:00 UTC on 1 March = 02:00 NZDT on 2 March.
    expect(mail.text).toContain(
      'on Tuesday, 2 March 2027, 23:00 (Pacific/Auckland). It is held for you until Tuesday, 2 March 2027, 02:00 (Pacific/Auckland).',
    );
    const de = renderWaitlistClaim({ ...payload, locale: 'de', time_zone: 'America/New_York' }, url);
    expect(de.text).toContain('Dienstag, 2. März 2027, 05:00 (America/New_York)');
    // A zone the runtime does not know (an old event, a hand-made row) falls back to UTC, said so.
    expect(renderWaitlistClaim({ ...payload, time_zone: 'Mars/Olympus' }, url).text).toContain('10:00 UTC');
  });
});
