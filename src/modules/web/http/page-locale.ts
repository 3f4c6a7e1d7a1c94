// The language of a page request (issue #18): `?lang=` (or a form's `lang` field) > the picker's cookie >
// Accept-Language > English, plus what the templates need to speak it (the `t` helper reads `i18n.locale`).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { prefers12Hour } from '../../../shared/i18n/format.js';
import { translatorFor, type Translate } from '../../../shared/i18n/i18n.js';
import { LOCALE_COOKIE, LOCALE_NAMES, SUPPORTED_LOCALES, negotiateLocale, type Locale } from '../../../shared/i18n/locales.js';

export interface PageLocale {
  locale: Locale;
  /** The tag dates and times are formatted with (the browser's region when it named one, e.g. en-US). */
  formatLocale: string;
  /** The locale's own clock: 12-hour for en-US, 24-hour for en-GB, de, fr, es, pt-BR and ja. */
  h12Default: boolean;
  /** The `lang` every link and form of the flow keeps, when the page was asked for in a language explicitly. */
  keepLang: string | null;
  t: Translate;
}

const first = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '').trim();

/**
 * The page's language. A valid `lang` in the query or the posted form also sets the picker's cookie (a year).
 * `preferred`: what the page knows of the person (the language an invitee booked in), before Accept-Language.
 */
export function pageLocale(req: FastifyRequest, res?: FastifyReply, preferred?: string | null): PageLocale {
  const query = (req.query && typeof req.query === 'object' ? req.query : {}) as Record<string, unknown>;
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
  const asked = first(query.lang) || first(body.lang);
  const cookies: Record<string, string | undefined> = (req as { cookies?: Record<string, string | undefined> }).cookies ?? {};
  const negotiated = negotiateLocale({
    query: asked,
    cookie: cookies[LOCALE_COOKIE] ?? null,
    preferred: preferred ?? null,
    acceptLanguage: first(req.headers['accept-language']),
  });
  const explicit = negotiated.source === 'query';
  if (explicit && res && cookies[LOCALE_COOKIE] !== negotiated.locale && typeof res.setCookie === 'function') {
    res.setCookie(LOCALE_COOKIE, negotiated.locale, { path: '/', sameSite: 'lax', maxAge: 365 * 86_400, httpOnly: true });
  }
  return {
    locale: negotiated.locale,
    formatLocale: negotiated.formatLocale,
    h12Default: prefers12Hour(negotiated.formatLocale),
    keepLang: explicit ? negotiated.locale : null,
    t: translatorFor(negotiated.locale),
  };
}

/** The clock a page shows: `h12=1` 12-hour, `h12=0` 24-hour, else the locale's own. */
export function clockOf(raw: unknown, loc: Pick<PageLocale, 'h12Default'>): boolean {
  const v = first(raw);
  return v === '1' ? true : v === '0' ? false : loc.h12Default;
}

/** The `h12` parameter links keep for a clock: none when it is the locale's own (plain English links stay plain). */
export const clockParam = (h12: boolean, loc: Pick<PageLocale, 'h12Default'>): Record<string, string> =>
  h12 === loc.h12Default ? {} : { h12: h12 ? '1' : '0' };

/** `lang` for links and forms of the flow (empty when the language was not asked for explicitly). */
export const langParam = (loc: Pick<PageLocale, 'keepLang'>): Record<string, string> => (loc.keepLang ? { lang: loc.keepLang } : {});

/** Adds `lang` (and the clock) to a path that may already carry a query. */
export function withLang(path: string, loc: Pick<PageLocale, 'keepLang'>): string {
  if (!loc.keepLang) return path;
  return `${path}${path.includes('?') ? '&' : '?'}lang=${encodeURIComponent(loc.keepLang)}`;
}

/**
 * What the templates read: `i18n.locale` (the `t` helper, `<html lang>`) and the language picker, a GET form to the
 * same page keeping its query (but `lang`). No picker on a page answering a POST: its path only takes the form.
 */
export function i18nView(req: FastifyRequest, loc: PageLocale, withPicker = req.method === 'GET') {
  const url = new URL(req.url, 'http://x');
  const hidden = [...url.searchParams.entries()].filter(([k]) => k !== 'lang').map(([name, value]) => ({ name, value }));
  return {
    locale: loc.locale,
    formatLocale: loc.formatLocale,
    keepLang: loc.keepLang,
    picker: withPicker
      ? {
          action: url.pathname,
          hidden,
          options: SUPPORTED_LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l], selected: l === loc.locale })),
        }
      : null,
  };
}
