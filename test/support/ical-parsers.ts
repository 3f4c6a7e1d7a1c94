import { spawnSync } from 'node:child_process';
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';

/** What a calendar client takes from one VEVENT, in the same shape whichever parser read it. */
export interface ParsedEvent {
  uid: string;
  sequence: number;
  summary: string;
  status: string | null;
  dtstamp: string; // ISO instant
  organizer: { cn: string | null; email: string } | null;
  attendees: Array<{ cn: string | null; email: string }>;
}

const mailto = (value: string) => value.replace(/^mailto:/i, '').toLowerCase();

/** Mozilla's ical.js (Thunderbird's parser). */
export function parseWithIcalJs(text: string): ParsedEvent[] {
  const root = new ICAL.Component(ICAL.parse(text));
  return root.getAllSubcomponents('vevent').map((v) => {
    const person = (p: ICAL.Property) => ({
      cn: (p.getParameter('cn') as string | undefined) ?? null,
      email: mailto(String(p.getFirstValue())),
    });
    const organizer = v.getFirstProperty('organizer');
    return {
      uid: String(v.getFirstPropertyValue('uid')),
      sequence: Number(v.getFirstPropertyValue('sequence') ?? 0),
      summary: String(v.getFirstPropertyValue('summary') ?? ''),
      status: (v.getFirstPropertyValue('status') as string | null) ?? null,
      dtstamp: (v.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().toISOString(),
      organizer: organizer ? person(organizer) : null,
      attendees: v.getAllProperties('attendee').map(person),
    };
  });
}

/** node-ical (the most used npm parser). */
export function parseWithNodeIcal(text: string): ParsedEvent[] {
  const data = nodeIcal.sync.parseICS(text);
  type Person = { params?: { CN?: string }; val: string } | string;
  const person = (p: Person) =>
    typeof p === 'string' ? { cn: null, email: mailto(p) } : { cn: p.params?.CN ?? null, email: mailto(p.val) };
  return Object.values(data)
    .filter((c) => c?.type === 'VEVENT')
    .map((c) => {
      const e = c as unknown as Record<string, unknown>;
      const attendees = e.attendee === undefined ? [] : ([e.attendee].flat() as Person[]);
      const summary = e.summary as string | { val: string };
      return {
        uid: String(e.uid),
        sequence: Number(e.sequence ?? 0),
        summary: typeof summary === 'string' ? summary : (summary?.val ?? ''),
        status: (e.status as string | undefined) ?? null,
        dtstamp: new Date(e.dtstamp as Date).toISOString(),
        organizer: e.organizer ? person(e.organizer as Person) : null,
        attendees: attendees.map(person),
      };
    });
}

/** Debian's python3-icalendar and python3-vobject (what Radicale uses), run by the system Python. */
const PYTHON = '/usr/bin/python3';
const SCRIPT = String.raw`
import json, sys
which = sys.argv[1]
text = sys.stdin.read()
out = []
def mail(v): return str(v).lower().replace('mailto:', '')
if which == 'icalendar':
    import icalendar
    cal = icalendar.Calendar.from_ical(text)
    for e in cal.walk('VEVENT'):
        def person(p): return {'cn': p.params.get('CN'), 'email': mail(p)}
        att = e.get('ATTENDEE', [])
        att = att if isinstance(att, list) else [att]
        out.append({'uid': str(e.get('UID')), 'sequence': int(e.get('SEQUENCE', 0)), 'summary': str(e.get('SUMMARY', '')),
                    'status': str(e.get('STATUS')) if e.get('STATUS') else None,
                    'dtstamp': e.decoded('DTSTAMP').isoformat(),
                    'organizer': person(e['ORGANIZER']) if 'ORGANIZER' in e else None,
                    'attendees': [person(a) for a in att]})
else:
    import vobject
    cal = vobject.readOne(text)
    for e in cal.contents.get('vevent', []):
        def person(p): return {'cn': (p.params.get('CN') or [None])[0], 'email': mail(p.value)}
        out.append({'uid': e.uid.value, 'sequence': int(e.sequence.value) if hasattr(e, 'sequence') else 0,
                    'summary': e.summary.value if hasattr(e, 'summary') else '',
                    'status': e.status.value if hasattr(e, 'status') else None,
                    'dtstamp': e.dtstamp.value.isoformat(),
                    'organizer': person(e.organizer) if hasattr(e, 'organizer') else None,
                    'attendees': [person(a) for a in e.contents.get('attendee', [])]})
print(json.dumps(out))
`;

export function parseWithPython(text: string, which: 'icalendar' | 'vobject'): ParsedEvent[] {
  const run = spawnSync(PYTHON, ['-c', SCRIPT, which], { input: text, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3-${which} could not read the calendar: ${run.stderr.trim().split('\n').pop()}`);
  const events = JSON.parse(run.stdout) as ParsedEvent[];
  return events.map((e) => ({ ...e, dtstamp: new Date(e.dtstamp.replace(/\+00:00$/, 'Z')).toISOString() }));
}

/** The four parsers, by name. */
export const PARSERS: Record<string, (text: string) => ParsedEvent[]> = {
  'ical.js': parseWithIcalJs,
  'node-ical': parseWithNodeIcal,
  'python3-icalendar': (text) => parseWithPython(text, 'icalendar'),
  'python3-vobject': (text) => parseWithPython(text, 'vobject'),
};
