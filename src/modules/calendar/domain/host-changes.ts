import type { Occurrence } from './occurrence.js';

/** What the host did in their calendar to an event we wrote. */
export type HostChange = { kind: 'deleted'; linkId: string } | { kind: 'moved'; linkId: string; start: Date; end: Date };

/** An event we wrote, as we last wrote it. */
export interface WrittenEventRef {
  id: string;
  externalEventId: string | null;
  eventStart: Date | null;
  eventEnd: Date | null;
}

/** What a read of one calendar returned: everything (`reset`) or the events under `touchedKeys`. */
export interface CalendarReadChanges {
  reset: boolean;
  touchedKeys: string[];
  occurrences: Occurrence[];
}

/**
 * Compares one calendar's read with the events we wrote there. An event of ours the read covers (all of them after a
 * reset, else the touched ones) and does not list was deleted; listed at other times, moved. Events the read does
 * not cover tell nothing. Also returns the foreign busy time to cache: neither our events (already busy as
 * bookings; cached they would go stale on reschedule) nor any event carrying a booking id.
 */
export function compareWithWrittenEvents(
  written: WrittenEventRef[],
  changes: CalendarReadChanges,
): { hostChanges: HostChange[]; foreign: Occurrence[] } {
  const byEventId = new Map(written.flatMap((l): Array<[string, WrittenEventRef]> => (l.externalEventId ? [[l.externalEventId, l]] : [])));
  const touched = new Set(changes.touchedKeys);
  const occurrencesByKey = new Map<string, Occurrence[]>();
  for (const o of changes.occurrences) occurrencesByKey.set(o.externalEventId, [...(occurrencesByKey.get(o.externalEventId) ?? []), o]);
  const hostChanges: HostChange[] = [];
  for (const [eventId, link] of byEventId) {
    if (!changes.reset && !touched.has(eventId)) continue;
    const seen = occurrencesByKey.get(eventId);
    if (!seen || seen.length === 0) hostChanges.push({ kind: 'deleted', linkId: link.id });
    else if (
      link.eventStart &&
      link.eventEnd &&
      (seen[0].start.getTime() !== link.eventStart.getTime() || seen[0].end.getTime() !== link.eventEnd.getTime())
    ) {
      hostChanges.push({ kind: 'moved', linkId: link.id, start: seen[0].start, end: seen[0].end });
    }
  }
  const foreign = changes.occurrences.filter((o) => !byEventId.has(o.externalEventId) && !o.bookingId);
  return { hostChanges, foreign };
}
