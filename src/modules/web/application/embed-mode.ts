// The booking pages inside a host's site (issue #18, ADR 0018): `?embed=1` pages without the site's chrome, framed only
// by the host's embed origins, that tell the embedding page what happens (public/embed-frame.js posts the events
// rendered here). Prefill and utm_* parameters of the page URL travel with the invitee through the calendar, the
// hold and the form. Pure.
import type { BookingQuestion } from '../../meeting-types/domain/meeting-type.js';
import { UTM_KEYS } from '../../booking/domain/utm.js';

type Query = Readonly<Record<string, string | string[] | undefined>>;
/** Query parameters a page passes on: names to one value or several (a multi-choice answer). */
export type Carried = Record<string, string | string[]>;

const MAX_CARRIED_VALUE = 1000;
const MAX_CARRIED_ANSWERS = 20;
/** `answers[<question id>]` (question ids: meeting-type.dto.ts). */
const ANSWER_PARAM = /^answers\[([a-z0-9][a-z0-9_-]{0,63})\]$/;
const PREFILL_FIELDS = ['name', 'email', 'guests'] as const;

const first = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const fits = (v: string) => v !== '' && v.length <= MAX_CARRIED_VALUE;

export const isEmbed = (query: Query): boolean => first(query.embed) === '1';

/**
 * What a booking page passes on to the next one: `embed=1`, the utm_* parameters and the prefill (`name`, `email`,
 * `guests`, `answers[<question id>]`, repeated for several choices). `withPrefill: false` for a form that shows the
 * prefill in its own fields.
 */
export function carriedParams(query: Query, withPrefill = true): Carried {
  const carried: Carried = {};
  if (isEmbed(query)) carried.embed = '1';
  for (const key of UTM_KEYS) {
    const value = first(query[key]).trim();
    if (fits(value)) carried[key] = value;
  }
  if (!withPrefill) return carried;
  for (const key of PREFILL_FIELDS) {
    const value = first(query[key]);
    if (fits(value)) carried[key] = value;
  }
  let answers = 0;
  for (const [key, raw] of Object.entries(query)) {
    if (!ANSWER_PARAM.test(key) || raw === undefined || answers >= MAX_CARRIED_ANSWERS) continue;
    const values = (Array.isArray(raw) ? raw : [raw]).filter(fits).slice(0, 20);
    if (values.length === 0) continue;
    carried[key] = values.length === 1 ? values[0] : values;
    answers++;
  }
  return carried;
}

/** The booking form's values from a prefill: `name`, `email`, `guests` and `q_<id>` for `answers[<id>]`. */
export function prefilledForm(query: Query, questions: readonly BookingQuestion[]): Record<string, string | string[]> {
  const carried = carriedParams(query);
  const form: Record<string, string | string[]> = {};
  for (const key of PREFILL_FIELDS) if (typeof carried[key] === 'string') form[key] = carried[key];
  for (const q of questions) {
    const key = `answers[${q.id}]`;
    if (Object.hasOwn(carried, key)) form[`q_${q.id}`] = carried[key];
  }
  return form;
}

/** Appends the carried parameters to a URL's query. */
export function withCarried(href: string, carried: Carried): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(carried)) for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
  const extra = q.toString();
  if (extra === '') return href;
  return `${href}${href.includes('?') ? '&' : '?'}${extra}`;
}

/** Hidden inputs that post the carried parameters on. */
export const hiddenInputs = (carried: Carried): Array<{ name: string; value: string }> =>
  Object.entries(carried).flatMap(([name, v]) => (Array.isArray(v) ? v : [v]).map((value) => ({ name, value })));

/** An event the framed page tells the embedding page (embed.js relays it as a DOM event and a callback). */
export interface EmbedEvent {
  type: 'kairos:page_loaded' | 'kairos:date_selected' | 'kairos:booking_created';
  payload: Record<string, unknown>;
}

/**
 * What the layout renders for an embedded page: the origins its script may post to (the host's embed origins: the
 * browser only lets those frame the page, so the parent is one of them) and the events this page reports.
 */
export function embedView(origins: readonly string[], events: EmbedEvent[]) {
  return { origins: JSON.stringify(origins), events: JSON.stringify(events) };
}
