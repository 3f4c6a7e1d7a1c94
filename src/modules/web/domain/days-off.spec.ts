import { datesOff } from './days-off.js';

const at = (iso: string) => Date.parse(iso);

describe('datesOff', () => {
  const dates = ['2027-08-01', '2027-08-02', '2027-08-03'];

  it('marks the local dates a range touches, in the invitee zone', () => {
    // 2 Aug 00:00 to 3 Aug 00:00 in Berlin (UTC+2) is 1 Aug 22:00Z to 2 Aug 22:00Z.
    const berlinDay = [{ start: at('2027-08-01T22:00:00Z'), end: at('2027-08-02T22:00:00Z') }];
    expect([...datesOff(dates, 'Europe/Berlin', [berlinDay], false)]).toEqual(['2027-08-02']);
    // Seen from New York (UTC-4) that day spans 1 Aug 18:00 to 2 Aug 18:00: both dates are touched.
    expect([...datesOff(dates, 'America/New_York', [berlinDay], false)]).toEqual(['2027-08-01', '2027-08-02']);
  });

  it('an end at midnight does not touch the next date', () => {
    const range = [{ start: at('2027-08-01T00:00:00Z'), end: at('2027-08-02T00:00:00Z') }];
    expect([...datesOff(dates, 'UTC', [range], false)]).toEqual(['2027-08-01']);
  });

  it('needs every host away unless every host is needed (collective)', () => {
    const ada = [{ start: at('2027-08-02T00:00:00Z'), end: at('2027-08-03T00:00:00Z') }];
    const sam: { start: number; end: number }[] = [];
    expect([...datesOff(dates, 'UTC', [ada, sam], false)]).toEqual([]);
    expect([...datesOff(dates, 'UTC', [ada, sam], true)]).toEqual(['2027-08-02']);
    expect([...datesOff(dates, 'UTC', [], true)]).toEqual([]);
  });
});
