import { compareWithWrittenEvents, eventsToFetch, type WrittenEventRef } from './host-changes.js';
import type { Occurrence } from './occurrence.js';

const at = (hour: number) => new Date(Date.UTC(2026, 5, 1, hour));
const occurrence = (externalEventId: string, startHour: number, extra: Partial<Occurrence> = {}): Occurrence => ({
  externalEventId,
  start: at(startHour),
  end: at(startHour + 1),
  allDay: false,
  busy: true,
  status: 'confirmed',
  ...extra,
});
const ours: WrittenEventRef = { id: 'link-1', externalEventId: 'ev-ours', eventStart: at(9), eventEnd: at(10) };

describe('compareWithWrittenEvents', () => {
  it('sees nothing when our event is listed where we wrote it, and does not cache it as foreign', () => {
    const result = compareWithWrittenEvents([ours], {
      reset: true,
      touchedKeys: [],
      occurrences: [occurrence('ev-ours', 9), occurrence('ev-other', 12)],
    });
    expect(result.hostChanges).toEqual([]);
    expect(result.foreign.map((o) => o.externalEventId)).toEqual(['ev-other']);
  });

  it('reports a deletion when a full read no longer lists our event', () => {
    const result = compareWithWrittenEvents([ours], { reset: true, touchedKeys: [], occurrences: [occurrence('ev-other', 12)] });
    expect(result.hostChanges).toEqual([{ kind: 'deleted', linkId: 'link-1' }]);
  });

  it('reports a deletion when an incremental read touches our event and lists no occurrence of it', () => {
    const result = compareWithWrittenEvents([ours], { reset: false, touchedKeys: ['ev-ours'], occurrences: [] });
    expect(result.hostChanges).toEqual([{ kind: 'deleted', linkId: 'link-1' }]);
  });

  it('infers nothing about our event from an incremental read that does not touch it', () => {
    const result = compareWithWrittenEvents([ours], { reset: false, touchedKeys: ['ev-other'], occurrences: [occurrence('ev-other', 12)] });
    expect(result.hostChanges).toEqual([]);
  });

  it('reports a move with the new times when the start or the end differs', () => {
    const moved = compareWithWrittenEvents([ours], { reset: false, touchedKeys: ['ev-ours'], occurrences: [occurrence('ev-ours', 14)] });
    expect(moved.hostChanges).toEqual([{ kind: 'moved', linkId: 'link-1', start: at(14), end: at(15) }]);
    const longer = compareWithWrittenEvents([ours], {
      reset: true,
      touchedKeys: [],
      occurrences: [{ ...occurrence('ev-ours', 9), end: at(11) }],
    });
    expect(longer.hostChanges).toEqual([{ kind: 'moved', linkId: 'link-1', start: at(9), end: at(11) }]);
  });

  it('ignores links without an event yet, and never caches events that carry a booking id', () => {
    const unwritten: WrittenEventRef = { id: 'link-2', externalEventId: null, eventStart: null, eventEnd: null };
    const result = compareWithWrittenEvents([unwritten], {
      reset: true,
      touchedKeys: [],
      occurrences: [occurrence('ev-x', 9, { bookingId: 'b-1' })],
    });
    expect(result).toEqual({ hostChanges: [], foreign: [] });
  });

  it('with the ids fetched, only those fetched and not found are deletions (a link written after the fetch is not)', () => {
    const later: WrittenEventRef = { id: 'link-4', externalEventId: 'ev-later', eventStart: at(11), eventEnd: at(12) };
    const result = compareWithWrittenEvents([ours, later], { reset: true, touchedKeys: [], occurrences: [] }, new Set(['ev-ours']));
    expect(result.hostChanges).toEqual([{ kind: 'deleted', linkId: 'link-1' }]);
  });

  it('a far move fetched by id and added to the read is a move, not a deletion', () => {
    const far = { ...occurrence('ev-ours', 9), start: new Date('2026-12-01T09:00:00Z'), end: new Date('2026-12-01T10:00:00Z') };
    const result = compareWithWrittenEvents([ours], { reset: false, touchedKeys: ['ev-ours'], occurrences: [far] }, new Set(['ev-ours']));
    expect(result.hostChanges).toEqual([{ kind: 'moved', linkId: 'link-1', start: far.start, end: far.end }]);
    expect(result.foreign).toEqual([]);
  });
});

describe('eventsToFetch', () => {
  const window = { from: at(5), to: at(20) };
  const past: WrittenEventRef = { id: 'link-3', externalEventId: 'ev-past', eventStart: at(1), eventEnd: at(2) };
  const beyond: WrittenEventRef = { id: 'link-5', externalEventId: 'ev-beyond', eventStart: at(21), eventEnd: at(22) };
  const unwritten: WrittenEventRef = { id: 'link-2', externalEventId: null, eventStart: null, eventEnd: null };
  const written = [{ ...ours, eventStart: at(9), eventEnd: at(10) }, past, beyond, unwritten];

  it.each([
    [
      'a full read that lists it',
      { reset: true, touchedKeys: [], occurrences: [occurrence('ev-ours', 9), occurrence('ev-beyond', 21)] },
      [],
    ],
    [
      'a full read that does not list them (past ones are not asked about)',
      { reset: true, touchedKeys: [], occurrences: [] },
      ['ev-ours', 'ev-beyond'],
    ],
    ['an incremental read that touches it without an occurrence', { reset: false, touchedKeys: ['ev-ours'], occurrences: [] }, ['ev-ours']],
    [
      'an incremental read that touches it with one',
      { reset: false, touchedKeys: ['ev-ours'], occurrences: [occurrence('ev-ours', 14)] },
      [],
    ],
    ['an incremental read that does not touch it', { reset: false, touchedKeys: ['ev-other'], occurrences: [] }, []],
    [
      'a window listing without it (recorded inside the window)',
      { reset: false, touchedKeys: [], occurrences: [], listedKeys: ['ev-other'] },
      ['ev-ours'],
    ],
    ['a window listing with it', { reset: false, touchedKeys: [], occurrences: [], listedKeys: ['ev-ours'] }, []],
  ])('%s', (_name, changes, expected) => {
    expect(eventsToFetch(written, changes, window)).toEqual(expected);
  });
});
