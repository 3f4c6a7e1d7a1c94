// The campaign parameters a booking came with (issue #18): the five utm_* keys of the page or embed URL, passed
// through the booking form and POST /api/bookings, stored on the invitee and carried by webhooks. Pure.
import { singleLineProblem } from '../../../shared/validation/text.js';

export const UTM_KEYS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;
export type UtmKey = (typeof UTM_KEYS)[number];
/** Only the keys given; null on a booking that came with none. */
export type Utm = Partial<Record<UtmKey, string>>;
export const MAX_UTM_LENGTH = 255;

/**
 * The utm_* values of a query or form, as a booking keeps them: trimmed, one line, at most 255 characters, empty
 * ones left out (a value that is not storable is dropped: it is the link's, not the invitee's mistake). Null when
 * none is left.
 */
export function utmFrom(values: object): Utm | null {
  const utm: Utm = {};
  for (const key of UTM_KEYS) {
    const raw = (values as Record<string, unknown>)[key];
    const value = (Array.isArray(raw) ? raw[0] : raw) as unknown;
    if (typeof value !== 'string') continue;
    const text = value.trim();
    if (text === '' || text.length > MAX_UTM_LENGTH || singleLineProblem(text)) continue;
    utm[key] = text;
  }
  return Object.keys(utm).length > 0 ? utm : null;
}
