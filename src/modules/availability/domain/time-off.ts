// Time off: ranges in which a host takes no bookings (busy time for the engine), and what the host's public page
// says meanwhile. Pure: the clock and the stored ranges are passed in.
import type { Problem } from '../../../shared/http/domain-error.js';
import { singleLineProblem } from '../../../shared/validation/text.js';

const DAY = 86_400_000;
/** One range covers at most a year: longer absences are several ranges, and a typo ("2072") is caught. */
export const MAX_TIME_OFF_MS = 366 * DAY;
export const MAX_REASON_LENGTH = 200;
/** Ranges a host may have that have not ended yet: bounds what every busy read of theirs carries. */
export const MAX_UPCOMING_TIME_OFF = 200;

export interface TimeOffInput {
  start: number;
  end: number;
  reason?: string | null;
  redirectToUserId?: string | null;
}

/** A stored range, as the engine and the public page read it. */
export interface TimeOffRange {
  id: string;
  start: number;
  end: number;
  reason: string | null;
  redirectToUserId: string | null;
}

/**
 * What is wrong with a new range, field by field (teammate membership needs the database and is checked by the
 * service). The reason is trimmed; an empty one is no reason.
 */
export function timeOffProblems(input: TimeOffInput, hostId: string, now: number): { reason: string | null; problems: Problem[] } {
  const problems: Problem[] = [];
  if (input.end <= input.start) {
    problems.push({ field: 'end_time', code: 'not_after_start', message: 'end_time must be after start_time' });
  } else if (input.end - input.start > MAX_TIME_OFF_MS) {
    problems.push({
      field: 'end_time',
      code: 'too_long',
      message: 'end_time must be at most 366 days after start_time (add another range for longer)',
    });
  } else if (input.end <= now) {
    problems.push({
      field: 'end_time',
      code: 'in_past',
      message: 'end_time must be in the future: time off that has ended changes nothing',
    });
  }
  const reason = input.reason?.trim() || null;
  if (reason !== null) {
    const line = singleLineProblem(reason);
    if (line) problems.push({ field: 'reason', code: 'not_single_line', message: `reason ${line}` });
    else if (reason.length > MAX_REASON_LENGTH) {
      problems.push({ field: 'reason', code: 'too_long', message: `reason must be at most ${MAX_REASON_LENGTH} characters` });
    }
  }
  if (input.redirectToUserId === hostId) {
    problems.push({ field: 'redirect_to_user_id', code: 'self', message: 'redirect_to_user_id must be a teammate, not yourself' });
  }
  return { reason, problems };
}

/** The host is away at `now`: until when (through ranges that touch or overlap), and the range that says why. */
export interface Away {
  until: number;
  range: TimeOffRange;
}

/**
 * Whether the host is away at `now`. Of the ranges containing now, the one ending last speaks (its reason and
 * redirect); `until` follows any range that starts before the away time ends, so back-to-back ranges read as one.
 */
export function awayAt(ranges: readonly TimeOffRange[], now: number): Away | null {
  let current: TimeOffRange | null = null;
  for (const r of ranges) {
    if (r.start <= now && now < r.end && (current === null || r.end > current.end)) current = r;
  }
  if (current === null) return null;
  let until = current.end;
  const later = ranges.filter((r) => r.end > until).sort((a, b) => a.start - b.start);
  for (const r of later) {
    if (r.start > until) break;
    until = Math.max(until, r.end);
  }
  return { until, range: current };
}

/** Of a teammate's bookable types, the one to offer instead of `type`: the same slug, else the same duration. */
export function matchingType<T extends { slug: string; durationMinutes: number }>(
  type: { slug: string; durationMinutes: number },
  candidates: readonly T[],
): T | null {
  return candidates.find((c) => c.slug === type.slug) ?? candidates.find((c) => c.durationMinutes === type.durationMinutes) ?? null;
}
