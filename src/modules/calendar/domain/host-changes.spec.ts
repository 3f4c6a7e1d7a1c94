import { compareWithWrittenEvents, type WrittenEventRef } from './host-changes.js';
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
});
