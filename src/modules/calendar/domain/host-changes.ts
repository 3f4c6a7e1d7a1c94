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

/**
 * What a read of one calendar returned: everything (`reset`) or the events under `touchedKeys`. `listedKeys`: every
 * event in the window now, for protocols whose incremental read lists the window (CalDAV ETags), so an event of ours
 * absent from it is noticed even when it was never read before (written and deleted between two syncs).
 */
export interface CalendarReadChanges {
  reset: boolean;
  touchedKeys: string[];
  occurrences: Occurrence[];
  listedKeys?: string[];
}

export interface ReadWindow {
  from: Date;
  to: Date;
}

/**
 * Our events recorded inside the window. A read that answers "nothing changed" from a collection tag alone (CalDAV
 * getctag) must not do so while one of these is unknown to its state: a tag that is a hash of the contents comes
 * back to its old value when our event is written and deleted between two syncs.
 */
export function recordedInWindow(written: WrittenEventRef[], window: ReadWindow): string[] {
  return written.flatMap((l) =>
    l.externalEventId && l.eventStart && l.eventEnd && l.eventEnd > window.from && l.eventStart < window.to ? [l.externalEventId] : [],
  );
}

/**
 * Our events the read covers but does not list: each may have been deleted, or moved out of the read's window (a
 * calendar-query time range, a calendarView, a full list between timeMin and timeMax), so each is fetched by id
 * before anything is decided. Covered: all of ours after a reset, the touched ones, and, where the read lists the
 * whole window, ours recorded inside it. Events we wrote for times that ended before the window are not asked
 * about: they left it by time passing, not by the host's hand.
 */
export function eventsToFetch(written: WrittenEventRef[], changes: CalendarReadChanges, window: ReadWindow): string[] {
  const touched = new Set(changes.touchedKeys);
  const listed = new Set(changes.listedKeys ?? []);
  const seen = new Set(changes.occurrences.map((o) => o.externalEventId));
  const inWindow = (l: WrittenEventRef) =>
    !l.eventStart || !l.eventEnd || (l.eventEnd.getTime() > window.from.getTime() && l.eventStart.getTime() < window.to.getTime());
  const covered = (l: WrittenEventRef, id: string) =>
    changes.reset || touched.has(id) || (changes.listedKeys !== undefined && !listed.has(id) && inWindow(l));
  return written.flatMap((l) => {
    const id = l.externalEventId;
    if (!id || !covered(l, id) || seen.has(id)) return [];
    return !l.eventEnd || l.eventEnd.getTime() > window.from.getTime() ? [id] : [];
  });
}

/**
 * Compares one calendar's read with the events we wrote there. An event of ours listed at other times was moved
 * (however far: the host decided). One the read does not list was deleted, but only if it was fetched by id and not
 * found (`fetched`, see eventsToFetch; found ones are among the occurrences): a read says nothing about events it
 * does not cover, nor about a link written after the fetch. Without `fetched`, every covered event not listed is a
 * deletion. Also returns the foreign busy time to cache: neither our events (already busy as bookings; cached they
 * would go stale on reschedule) nor any event carrying a booking id.
 */
export function compareWithWrittenEvents(
  written: WrittenEventRef[],
  changes: CalendarReadChanges,
  fetched?: ReadonlySet<string>,
): { hostChanges: HostChange[]; foreign: Occurrence[] } {
  const byEventId = new Map(written.flatMap((l): Array<[string, WrittenEventRef]> => (l.externalEventId ? [[l.externalEventId, l]] : [])));
  const touched = new Set(changes.touchedKeys);
  const occurrencesByKey = new Map<string, Occurrence[]>();
  for (const o of changes.occurrences) occurrencesByKey.set(o.externalEventId, [...(occurrencesByKey.get(o.externalEventId) ?? []), o]);
  const hostChanges: HostChange[] = [];
  for (const [eventId, link] of byEventId) {
    const seen = occurrencesByKey.get(eventId);
    if (!seen || seen.length === 0) {
      if (fetched ? fetched.has(eventId) : changes.reset || touched.has(eventId)) hostChanges.push({ kind: 'deleted', linkId: link.id });
    } else if (
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
