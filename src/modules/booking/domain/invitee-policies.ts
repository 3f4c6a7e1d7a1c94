// What a meeting type's invitee policies allow (issue #17 item 3). Pure: counts and the clock are passed in.

const MINUTE = 60_000;

/** Emails compare as the invitee would expect: case and surrounding spaces do not make another person. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** 409 text when the invitee already has `active` upcoming bookings of the type and the cap allows no more. */
export function inviteeCapRefusal(active: number, cap: number | null): string | null {
  if (cap === null || active < cap) return null;
  return (
    `this meeting type takes at most ${cap} upcoming ${cap === 1 ? 'booking' : 'bookings'} per invitee ` +
    `(max_active_bookings_per_invitee); you have ${active}. Cancel one first, or pick another meeting type.`
  );
}

/**
 * 409 text when an invitee's cancel or reschedule comes within the type's cutoff before the start; hosts are never
 * refused (callers only ask for invitees). A cutoff of 0 only closes the started meeting, as does no cutoff.
 */
export function cutoffRefusal(
  action: 'cancel' | 'reschedule',
  startMs: number,
  nowMs: number,
  cutoffMinutes: number | null,
): string | null {
  if (cutoffMinutes === null || nowMs < startMs - cutoffMinutes * MINUTE) return null;
  const field = action === 'cancel' ? 'cancellation_cutoff_minutes' : 'reschedule_cutoff_minutes';
  return (
    `this booking can no longer be ${action === 'cancel' ? 'cancelled' : 'rescheduled'} online: the meeting type allows ` +
    `it up to ${formatMinutes(cutoffMinutes)} before the start (${field}); please contact the host`
  );
}

function formatMinutes(m: number): string {
  if (m % 1440 === 0 && m > 0) return `${m / 1440} ${m === 1440 ? 'day' : 'days'}`;
  if (m % 60 === 0 && m > 0) return `${m / 60} ${m === 60 ? 'hour' : 'hours'}`;
  return `${m} ${m === 1 ? 'minute' : 'minutes'}`;
}
