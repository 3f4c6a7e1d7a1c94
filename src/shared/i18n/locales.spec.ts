import { firstDayOfWeek, formatClockIn, formatLongDateIn, prefers12Hour, weekdayNames } from './format.js';
import { matchLocale, negotiateLocale, parseAcceptLanguage } from './locales.js';

describe('matchLocale', () => {
  it.each([
    ['de', 'de'],
    ['de-AT', 'de'],
    ['DE-ch', 'de'],
    ['en-US', 'en'],
    ['fr-CA', 'fr'],
    ['es-MX', 'es'],
    ['pt', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
    ['pt-br', 'pt-BR'],
    ['pt_BR', 'pt-BR'],
    ['ja-JP', 'ja'],
    ['nl', null],
    ['', null],
    ['<script>', null],
    [undefined, null],
  ])('%s → %s', (tag, locale) => {
    expect(matchLocale(tag)).toBe(locale);
  });
});

describe('parseAcceptLanguage', () => {
  it('orders by q-value, keeps the header order on ties, drops q=0 and *', () => {
    expect(parseAcceptLanguage('fr;q=0.5, ja, de-AT;q=0.9, nl;q=0, *;q=0.1, es;q=0.9')).toEqual(['ja', 'de-AT', 'es', 'fr']);
    expect(parseAcceptLanguage('')).toEqual([]);
    expect(parseAcceptLanguage('en;q=abc, de')).toEqual(['de']);
  });
});

describe('negotiateLocale', () => {
  it('prefers ?lang=, then the cookie, then Accept-Language, then English', () => {
    expect(negotiateLocale({ query: 'fr', cookie: 'de', acceptLanguage: 'ja' })).toMatchObject({ locale: 'fr', source: 'query' });
    expect(negotiateLocale({ query: 'xx', cookie: 'de', acceptLanguage: 'ja' })).toMatchObject({ locale: 'de', source: 'cookie' });
    expect(negotiateLocale({ cookie: 'zz', acceptLanguage: 'nl, ja;q=0.8, de;q=0.5' })).toMatchObject({ locale: 'ja', source: 'header' });
    expect(negotiateLocale({ acceptLanguage: 'nl, sv' })).toEqual({ locale: 'en', formatLocale: 'en-GB', source: 'default' });
    expect(negotiateLocale({})).toEqual({ locale: 'en', formatLocale: 'en-GB', source: 'default' });
  });

  it('puts what the page knows of the person (the language they booked in) before the browser’s header', () => {
    expect(negotiateLocale({ preferred: 'fr', acceptLanguage: 'de' })).toMatchObject({ locale: 'fr', source: 'preferred' });
    expect(negotiateLocale({ preferred: 'fr', cookie: 'ja' })).toMatchObject({ locale: 'ja', source: 'cookie' });
    // The same language in the header keeps the browser's regional formats.
    expect(negotiateLocale({ preferred: 'en', acceptLanguage: 'en-US' })).toMatchObject({ locale: 'en', formatLocale: 'en-US' });
    expect(negotiateLocale({ preferred: 'xx', acceptLanguage: 'es' })).toMatchObject({ locale: 'es', source: 'header' });
  });

  it('keeps the browser’s region for dates: en-US gets a 12-hour clock, plain English 24 hours', () => {
    expect(negotiateLocale({ acceptLanguage: 'en-US,en;q=0.9' }).formatLocale).toBe('en-US');
    expect(negotiateLocale({ acceptLanguage: 'de-AT' })).toMatchObject({ locale: 'de', formatLocale: 'de-AT' });
    expect(negotiateLocale({ acceptLanguage: 'pt-PT' })).toMatchObject({ locale: 'pt-BR', formatLocale: 'pt-PT' });
    expect(negotiateLocale({ query: 'en' }).formatLocale).toBe('en-GB');
    expect(prefers12Hour('en-US')).toBe(true);
    for (const tag of ['en-GB', 'de', 'fr', 'es', 'pt-BR', 'ja']) expect(prefers12Hour(tag)).toBe(false);
  });
});

describe('localized dates', () => {
  const at = new Date('2027-03-09T08:30:00Z');

  it('formats in the zone and locale', () => {
    expect(formatLongDateIn(at, 'Europe/Berlin', 'en')).toBe('Tuesday, 9 March 2027');
    expect(formatLongDateIn(at, 'Europe/Berlin', 'de')).toBe('Dienstag, 9. März 2027');
    expect(formatLongDateIn(at, 'Asia/Tokyo', 'ja')).toBe('2027年3月9日火曜日');
    expect(formatClockIn(at, 'Europe/Berlin', false, 'en')).toBe('09:30');
    expect(formatClockIn(at, 'Europe/Berlin', true, 'en-US')).toBe('9:30 AM');
    expect(formatClockIn(at, 'Europe/Berlin', false, 'de')).toBe('09:30');
    expect(formatClockIn(at, 'Asia/Tokyo', false, 'ja')).toBe('17:30');
  });

  it('starts weeks where the locale does', () => {
    expect(firstDayOfWeek('de')).toBe(1);
    expect(firstDayOfWeek('en-GB')).toBe(1);
    expect(firstDayOfWeek('en-US')).toBe(7);
    expect(firstDayOfWeek('ja')).toBe(7);
    expect(firstDayOfWeek('pt-BR')).toBe(7);
    expect(weekdayNames('en-GB', 1).map((d) => d.short)).toEqual(['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su']);
    expect(weekdayNames('de', 1).at(0)).toEqual({ short: 'Mo', long: 'Montag' });
    expect(weekdayNames('ja', 7).at(0)).toEqual({ short: '日', long: '日曜日' });
  });
});
