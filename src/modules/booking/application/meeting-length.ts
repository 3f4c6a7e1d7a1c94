import { offeredDurations, ofRequestedLength, withDuration } from '../../meeting-types/domain/meeting-type-options.js';
import type { MeetingTypeSnapshot } from '../../meeting-types/domain/meeting-type.js';

/** A booking's length in whole minutes, from its stored start and end. */
export const lengthOf = (b: { start_time: Date; end_time: Date }): number =>
  Math.round((new Date(b.end_time).getTime() - new Date(b.start_time).getTime()) / 60_000);

/**
 * The meeting type as a booking, hold or reschedule of `minutes` sees it: the re-check then runs the slots endpoint's
 * engine with that length, so slot.end is the booking's real end. 400 naming duration_minutes when the type does not
 * offer it. Absent: the type's default, or for a reschedule (`moving`) the booking's own length while the type still
 * offers it (an invitee who picked 60 minutes keeps 60; one whose length was since withdrawn gets the default).
 */
export function ofLength(
  type: MeetingTypeSnapshot,
  minutes: number | undefined,
  moving?: { start_time: Date; end_time: Date },
): MeetingTypeSnapshot {
  if (minutes === undefined && moving) {
    const kept = lengthOf(moving);
    return offeredDurations(type).includes(kept) ? withDuration(type, kept) : type;
  }
  return ofRequestedLength(type, minutes);
}
