import { AppConfig } from '../../../config/app-config.js';
import { validateEnv } from '../../../config/env.validation.js';
import { sampleView } from '../domain/notify-fixtures.js';
import { googleCalendarLink, IcsService, outlookCalendarLink } from './ics.service.js';

const config = new AppConfig(validateEnv({ NODE_ENV: 'test', PUBLIC_URL: 'http://kairos.test', APP_SECRET: 'x'.repeat(40) }));
const ics = new IcsService(config);

/** Unfolds RFC 5545 lines and returns the property lines. */
const lines = (text: string) =>
  text
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter(Boolean);
const prop = (text: string, name: string) => lines(text).filter((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`));

describe('IcsService', () => {
  it('renders a REQUEST with a stable UID, SEQUENCE, ORGANIZER/ATTENDEE and local times with a matching VTIMEZONE', () => {
    const out = ics.render(sampleView(), 'REQUEST');
    expect(prop(out, 'METHOD')).toEqual(['METHOD:REQUEST']);
    expect(prop(out, 'UID')).toEqual(['UID:b-11111111@kairos.test']);
    expect(prop(out, 'SEQUENCE')).toEqual(['SEQUENCE:0']);
    // 15:00Z on 9 March 2027 is 10:00 in New York (EST, before the 14 March switch).
    expect(prop(out, 'DTSTART')).toContain('DTSTART;TZID=America/New_York:20270309T100000');
    expect(prop(out, 'DTEND')).toContain('DTEND;TZID=America/New_York:20270309T103000');
    expect(prop(out, 'STATUS')).toEqual(['STATUS:CONFIRMED']);
    expect(lines(out).some((l) => l.startsWith('ORGANIZER;') && l.endsWith(':mailto:hana@example.com'))).toBe(true);
    expect(lines(out).some((l) => l.startsWith('ATTENDEE;') && l.includes('ivo@example.com'))).toBe(true);
    expect(out).toContain('BEGIN:VTIMEZONE\r\nTZID:America/New_York');
    // The 2027 spring-forward transition: 02:00 EST becomes 03:00 EDT on 14 March.
    expect(out).toContain('BEGIN:DAYLIGHT\r\nDTSTART:20270314T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400');
    expect(out).toContain('BEGIN:STANDARD\r\nDTSTART:20271107T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500');
    expect(prop(out, 'DTSTAMP')[0]).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/);
  });

  it('keeps the UID and raises SEQUENCE on a move; CANCEL carries METHOD:CANCEL and STATUS:CANCELLED', () => {
    const moved = ics.render(
      sampleView({ sequence: 1, startTime: new Date('2027-03-16T14:00:00Z'), endTime: new Date('2027-03-16T14:30:00Z') }),
      'REQUEST',
    );
    expect(prop(moved, 'UID')).toEqual(['UID:b-11111111@kairos.test']);
    expect(prop(moved, 'SEQUENCE')).toEqual(['SEQUENCE:1']);
    expect(prop(moved, 'DTSTART')).toContain('DTSTART;TZID=America/New_York:20270316T100000'); // EDT now
    const cancelled = ics.render(sampleView({ sequence: 2, status: 'cancelled' }), 'CANCEL');
    expect(prop(cancelled, 'METHOD')).toEqual(['METHOD:CANCEL']);
    expect(prop(cancelled, 'STATUS')).toEqual(['STATUS:CANCELLED']);
    expect(prop(cancelled, 'SEQUENCE')).toEqual(['SEQUENCE:2']);
    expect(prop(cancelled, 'UID')).toEqual(['UID:b-11111111@kairos.test']);
  });

  it('renders a UTC organizer without TZID and a zone without DST with one observance', () => {
    const utc = ics.render(sampleView({ hosts: [{ id: 'h', name: 'U', email: 'u@example.com', timeZone: 'UTC' }] }), 'REQUEST');
    expect(prop(utc, 'DTSTART')).toEqual(['DTSTART:20270309T150000Z']);
    const tokyo = ics.render(sampleView({ hosts: [{ id: 'h', name: 'T', email: 't@example.com', timeZone: 'Asia/Tokyo' }] }), 'REQUEST');
    expect(prop(tokyo, 'DTSTART')).toContain('DTSTART;TZID=Asia/Tokyo:20270310T000000');
    expect(tokyo).toContain('TZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900');
  });

  it('quotes names without DQUOTE, backslash escapes, control characters or ;, and ends every file with CRLF', () => {
    const view = sampleView({
      hosts: [{ id: 'h', name: 'Ann "Boss"\\x; y: z, 李 🎉', email: 'a@example.com', timeZone: 'UTC' }],
      invitees: [{ ...sampleView().invitees[0], name: 'Line\nbreak "q"' }],
    });
    const out = ics.render(view, 'REQUEST');
    expect(out.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(lines(out).find((l) => l.startsWith('ORGANIZER'))).toBe(`ORGANIZER;CN="Ann 'Boss'/x, y: z, 李 🎉":mailto:a@example.com`);
    expect(lines(out).find((l) => l.startsWith('ATTENDEE'))).toContain(`;CN="Line break 'q'":MAILTO:ivo@example.com`);
  });

  it('DTSTAMP is when the object is made (the given change time, else now), never the meeting start', () => {
    const stamped = ics.render(sampleView(), 'REQUEST', { stamp: new Date('2027-03-01T10:11:12Z') });
    expect(prop(stamped, 'DTSTAMP')).toEqual(['DTSTAMP:20270301T101112Z']);
    const before = Date.now();
    const now = prop(ics.render(sampleView(), 'REQUEST'), 'DTSTAMP')[0];
    const at = Date.parse(now.replace(/^DTSTAMP:(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
  });

  it('a CANCEL of a cancelled booking still names its (declined) attendee', () => {
    const view = sampleView({ status: 'cancelled', invitees: [{ ...sampleView().invitees[0], status: 'cancelled' }] });
    const out = ics.render(view, 'CANCEL');
    expect(lines(out).filter((l) => l.startsWith('ATTENDEE'))).toEqual([expect.stringContaining('PARTSTAT=DECLINED')]);
    expect(lines(out).find((l) => l.startsWith('ATTENDEE'))).toContain('ivo@example.com');
  });

  it('builds add-to-calendar links in UTC', () => {
    const view = sampleView();
    expect(googleCalendarLink(view)).toContain('dates=20270309T150000Z%2F20270309T153000Z');
    expect(outlookCalendarLink(view)).toContain('startdt=2027-03-09T15%3A00%3A00.000Z');
  });
});
