// The languages Kairos speaks and how a request's language is chosen (issue #18): an explicit `?lang=` wins, then the
// cookie the language picker sets, then the browser's Accept-Language (by q-value), then English.

export const SUPPORTED_LOCALES = ['en', 'de', 'fr', 'es', 'pt-BR', 'ja'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** The cookie the booking pages' language picker sets (a year, not httpOnly-sensitive: it only names a language). */
export const LOCALE_COOKIE = 'kairos_lang';

/** Each language's own name, for the picker (always shown in that language). */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  'pt-BR': 'Português (Brasil)',
  ja: '日本語',
};

export const isSupportedLocale = (value: unknown): value is Locale =>
  typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);

const BCP47 = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i;

/**
 * The catalog for a language tag, or null: exact ("pt-BR"), case-insensitive ("pt-br"), or by its language
 * ("de-AT" → de, "fr-CA" → fr, "en-US" → en; any Portuguese → pt-BR, the one Portuguese catalog).
 */
export function matchLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null;
  const t = tag.trim().replace(/_/g, '-');
  if (!BCP47.test(t)) return null;
  const exact = SUPPORTED_LOCALES.find((l) => l.toLowerCase() === t.toLowerCase());
  if (exact) return exact;
  const language = (t.split('-')[0] ?? '').toLowerCase();
  if (language === 'pt') return 'pt-BR';
  return SUPPORTED_LOCALES.find((l) => l === language) ?? null;
}

/** Accept-Language entries, best first (q=0 dropped; ties keep the header's order). "*" is ignored. */
export function parseAcceptLanguage(header: string | null | undefined): string[] {
  if (!header) return [];
  const entries: Array<{ tag: string; q: number; i: number }> = [];
  header
    .split(',')
    .slice(0, 50)
    .forEach((part, i) => {
      const [rawTag = '', ...params] = part.trim().split(';');
      const tag = rawTag.trim();
      if (!tag || tag === '*') return;
      let q = 1;
      for (const p of params) {
        const [k = '', v] = p.trim().split('=');
        if (k.trim().toLowerCase() === 'q') {
          const n = Number(v);
          q = Number.isFinite(n) && n >= 0 && n <= 1 ? n : 0;
        }
      }
      if (q > 0) entries.push({ tag, q, i });
    });
  return entries.sort((a, b) => b.q - a.q || a.i - b.i).map((e) => e.tag);
}

export interface NegotiatedLocale {
  /** The catalog used. */
  locale: Locale;
  /**
   * The tag dates and times are formatted with: the browser's own regional tag when it names this language
   * ("en-US" → 12-hour clock, "de-AT"), else the catalog's default ("en" → en-GB, Kairos's 24-hour English).
   */
  formatLocale: string;
  /** Where the choice came from. */
  source: 'query' | 'cookie' | 'preferred' | 'header' | 'default';
}

/** The default formatting tag of a catalog. */
export const defaultFormatLocale = (locale: Locale): string => (locale === 'en' ? 'en-GB' : locale);

function formatTagFor(locale: Locale, tag: string | null): string {
  if (tag && matchLocale(tag) === locale && tag.includes('-')) {
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf([tag]);
      if (supported) return supported;
    } catch {
      // not a well-formed tag for Intl: fall back to the catalog's default
    }
  }
  return defaultFormatLocale(locale);
}

/**
 * The request's language: `?lang=` > picker cookie > `preferred` (what the page knows of the person, e.g. the language
 * an invitee booked in, for their manage pages) > Accept-Language (q-values) > English. When the browser names the
 * preferred language too, its regional formats are kept (en-US: 12-hour clock).
 */
export function negotiateLocale(input: {
  query?: string | null;
  cookie?: string | null;
  preferred?: string | null;
  acceptLanguage?: string | null;
}): NegotiatedLocale {
  const fromQuery = matchLocale(input.query);
  if (fromQuery) return { locale: fromQuery, formatLocale: defaultFormatLocale(fromQuery), source: 'query' };
  const fromCookie = matchLocale(input.cookie);
  if (fromCookie) return { locale: fromCookie, formatLocale: defaultFormatLocale(fromCookie), source: 'cookie' };
  let fromHeader: NegotiatedLocale | null = null;
  for (const tag of parseAcceptLanguage(input.acceptLanguage)) {
    const locale = matchLocale(tag);
    if (locale) {
      fromHeader = { locale, formatLocale: formatTagFor(locale, tag), source: 'header' };
      break;
    }
  }
  const preferred = matchLocale(input.preferred);
  if (preferred && fromHeader?.locale !== preferred) {
    return { locale: preferred, formatLocale: defaultFormatLocale(preferred), source: 'preferred' };
  }
  return fromHeader ?? { locale: DEFAULT_LOCALE, formatLocale: defaultFormatLocale(DEFAULT_LOCALE), source: 'default' };
}
