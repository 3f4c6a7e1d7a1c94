import ICAL from 'ical.js';
import { AppConfig } from '../../../config/app-config.js';
import { validateEnv } from '../../../config/env.validation.js';
import { occurrenceStarts, seriesView } from '../../booking/domain/recurrence.js';
import { sampleView } from '../domain/notify-fixtures.js';
import { IcsService } from './ics.service.js';

const config = new AppConfig(validateEnv({ NODE_ENV: 'test', PUBLIC_URL: 'http://kairos.test', APP_SECRET: 'x'.repeat(40) }));
const ics = new IcsService(config);

/** Mozilla's ical.js expansion of the series (VTIMEZONEs registered, EXDATE and overrides applied). */
function expand(text: string): string[] {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const tz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
  const vevents = root.getAllSubcomponents('vevent');
  const event = new ICAL.Event(vevents.find((v) => v.hasProperty('rrule')));
  for (const v of vevents) if (v.hasProperty('recurrence-id')) event.relateException(v);
  const out: string[] = [];
  const it = event.iterator();
  for (let next = it.next(); next; next = it.next()) out.push(event.getOccurrenceDetails(next).startDate.toJSDate().toISOString());
  return out;
}

describe('series invitations', () => {
  it('a monthly series of four years: the zone covers every occurrence, so summer ones keep their local time', () => {
    const first = new Date('2027-01-15T09:00:00Z'); // 09:00 London, GMT
    const starts = occurrenceStarts(first, 'Europe/London', 'monthly', 52);
    const series = seriesView({
      id: 's',
      icalUid: 'series@kairos.test',
      frequency: 'monthly',
      count: 52,
      timeZone: 'Europe/London',
      durationMinutes: 30,
      firstStart: first,
      members: starts.map((s, i) => ({
        bookingId: `b${i}`,
        position: i,
        status: i === 5 ? ('cancelled' as const) : ('confirmed' as const),
        start: s,
        end: new Date(s.getTime() + 30 * 60_000),
        sequence: i === 5 ? 1 : 0,
      })),
    });
    const text = ics.render(sampleView({ series }), 'REQUEST');
    expect(text).toContain('RRULE:FREQ=MONTHLY;INTERVAL=1;COUNT=52');
    expect(text).toContain('SEQUENCE:1');
    const expected = starts.filter((_, i) => i !== 5).map((d) => d.toISOString());
    expect(expand(text)).toEqual(expected);
    // July 2030 is BST: 08:00 UTC.
    expect(expected).toContain('2030-07-15T08:00:00.000Z');
  });
});
