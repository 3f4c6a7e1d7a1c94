import ICAL from 'ical.js';
import nodeIcal from 'node-ical';

/** One instance of a recurring VEVENT as a calendar client shows it. */
export interface ExpandedInstance {
  uid: string;
  start: string; // ISO instant
  end: string;
  /** Where the rule put it (RECURRENCE-ID of an override; the rule's own start otherwise). */
  recurrenceId: string;
}

const isoOf = (t: ICAL.Time) => t.toJSDate().toISOString();

/**
 * Mozilla's ical.js (Thunderbird): registers the calendar's VTIMEZONEs, relates RECURRENCE-ID overrides to the
 * master and walks its RRULE (EXDATE applied) with ICAL.Event's own iterator.
 */
export function expandWithIcalJs(text: string): ExpandedInstance[] {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const tz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
  const vevents = root.getAllSubcomponents('vevent');
  const master = vevents.find((v) => v.hasProperty('rrule'));
  if (!master) throw new Error('no VEVENT with an RRULE');
  const event = new ICAL.Event(master);
  for (const v of vevents) if (v !== master && v.hasProperty('recurrence-id')) event.relateException(v);
  const out: ExpandedInstance[] = [];
  const it = event.iterator();
  for (let next = it.next(); next; next = it.next()) {
    const d = event.getOccurrenceDetails(next);
    out.push({ uid: event.uid, start: isoOf(d.startDate), end: isoOf(d.endDate), recurrenceId: isoOf(d.recurrenceId) });
  }
  return out;
}

/**
 * node-ical's own expansion (expandRecurringEvent: rrule-temporal, EXDATE excluded, RECURRENCE-ID overrides applied).
 * (python3-vobject is not used here: its getrruleset steps a pytz-zoned DTSTART by fixed offsets, so it misplaces
 * every instance after a DST change whatever the calendar says.)
 */
export function expandWithNodeIcal(text: string): ExpandedInstance[] {
  const data = nodeIcal.sync.parseICS(text);
  const master = Object.values(data).find((c): c is nodeIcal.VEvent => c?.type === 'VEVENT' && Boolean((c as nodeIcal.VEvent).rrule));
  if (!master) throw new Error('no VEVENT with an RRULE');
  const instances = nodeIcal.expandRecurringEvent(master, { from: new Date('2000-01-01T00:00:00Z'), to: new Date('2100-01-01T00:00:00Z') });
  return instances.map((i) => {
    const rid = i.isOverride ? (i.event as unknown as { recurrenceid?: Date }).recurrenceid : undefined;
    return {
      uid: master.uid,
      start: new Date(i.start).toISOString(),
      end: new Date(i.end).toISOString(),
      recurrenceId: new Date(rid ?? i.start).toISOString(),
    };
  });
}

export const EXPANDERS: Record<string, (text: string) => ExpandedInstance[]> = {
  'ical.js': expandWithIcalJs,
  'node-ical': expandWithNodeIcal,
};
