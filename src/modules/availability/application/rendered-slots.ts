import { createHash } from 'node:crypto';
import { utcIso, zonedIso } from '../domain/wall-clock.js';

/** What a slots answer says, before the notice cut (see `cutAtNotice`). */
export interface SlotsAnswer {
  timeZone: string;
  meetingTypeId: string;
  durationMinutes: number;
  startDate: string;
  endDate: string;
  slots: { start: number; end: number; seatsRemaining?: number }[];
}

/**
 * The JSON body of GET /api/availability/slots, rendered once, with a boundary index so a later read can drop the
 * slots that fell inside the minimum notice without parsing: `starts[i]` is slot i's start (epoch ms, ascending)
 * and `offsets[i]` where its text begins in `body`; `offsets[n]` is the closing `]`. `tag` is a digest of the body.
 */
export interface RenderedSlots {
  body: string;
  starts: number[];
  offsets: number[];
  tag: string;
}

/**
 * Renders exactly what `JSON.stringify` of the API's response object gives (keys in the DTO's order), so the bytes
 * are the same whether they come from the cache or not.
 */
export function renderSlots(answer: SlotsAnswer): RenderedSlots {
  let body =
    `{"time_zone":${JSON.stringify(answer.timeZone)},"meeting_type_id":${JSON.stringify(answer.meetingTypeId)}` +
    `,"duration_minutes":${JSON.stringify(answer.durationMinutes)},"start_date":${JSON.stringify(answer.startDate)}` +
    `,"end_date":${JSON.stringify(answer.endDate)},"slots":[`;
  const starts: number[] = [];
  const offsets: number[] = [];
  // Every instant is formatted by integer arithmetic from the zone's offset table (wall-clock.ts): no Date per slot.
  const { slots, timeZone } = answer;
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i];
    if (i > 0) body += ',';
    starts.push(s.start);
    offsets.push(body.length);
    body +=
      `{"start_time":"${utcIso(s.start)}","end_time":"${utcIso(s.end)}","local_start_time":"${zonedIso(s.start, timeZone)}"` +
      (s.seatsRemaining !== undefined ? `,"seats_remaining":${JSON.stringify(s.seatsRemaining)}}` : '}');
  }
  offsets.push(body.length);
  body += ']}';
  return { body, starts, offsets, tag: createHash('sha256').update(body).digest('base64url').slice(0, 22) };
}

/** Index of the first slot starting at or after `earliest` (binary search over the ascending starts). */
export function firstAtOrAfter(starts: readonly number[], earliest: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid] < earliest) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The body without the slots that start before `earliest`, by two slices of the rendered text, and its strong ETag:
 * the digest of the whole body plus how many slots were cut, which together fix the bytes exactly.
 */
export function cutAtNotice(rendered: Pick<RenderedSlots, 'body' | 'starts' | 'offsets' | 'tag'>, earliest: number) {
  const cut = firstAtOrAfter(rendered.starts, earliest);
  const { body, offsets } = rendered;
  return {
    body: cut === 0 ? body : body.slice(0, offsets[0]) + body.slice(offsets[cut]),
    etag: `"${rendered.tag}-${cut}"`,
  };
}
