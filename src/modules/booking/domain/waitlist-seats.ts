/**
 * Group waitlists (issue #19 part 2): a full group session's freed seats go to the line, one person per seat. Each
 * promotion takes a seat hold with a seat number; numbers are unique per session in the database
 * (slot_holds_one_per_seat, waitlist_entries_one_promoted), so a second promotion computed from the same snapshot
 * fails instead of taking a seat twice. Pure: the numbers to use, from what the engine and the tables say.
 */

/**
 * The seat numbers for this round of promotions: one per free seat while people wait (seatsRemaining is the engine's
 * count: seats minus active invitees minus live seat holds), the lowest numbers in 1..seats that no seat hold or
 * promoted entry uses yet. Fewer (never more) when the numbers run out: a lapsed hold not yet ended keeps its number.
 */
export function seatsToPromote(c: { seats: number; seatsRemaining: number; waiting: number; takenNumbers: Iterable<number> }): number[] {
  const wanted = Math.max(0, Math.min(c.seatsRemaining, c.waiting));
  const taken = new Set(c.takenNumbers);
  const out: number[] = [];
  for (let seat = 1; seat <= c.seats && out.length < wanted; seat++) if (!taken.has(seat)) out.push(seat);
  return out;
}
