// Messages by key from one ICU MessageFormat catalog per language (@formatjs/intl), English as the reference.
import { createIntl, createIntlCache, type IntlShape } from '@formatjs/intl';
import { de } from './catalogs/de.js';
import { en, type MessageKey } from './catalogs/en.js';
import { es } from './catalogs/es.js';
import { fr } from './catalogs/fr.js';
import { ja } from './catalogs/ja.js';
import { ptBR } from './catalogs/pt-BR.js';
import { DEFAULT_LOCALE, isSupportedLocale, type Locale } from './locales.js';

export type { MessageKey } from './catalogs/en.js';
export type Catalog = Record<MessageKey, string>;

export const CATALOGS: Record<Locale, Catalog> = { en, de, fr, es, 'pt-BR': ptBR, ja };

export type MessageValues = Record<string, string | number | Date | null | undefined>;

const cache = createIntlCache();
const intls = new Map<Locale, IntlShape>();

function intlFor(locale: Locale): IntlShape {
  let intl = intls.get(locale);
  if (!intl) {
    intl = createIntl(
      {
        locale,
        defaultLocale: DEFAULT_LOCALE,
        messages: CATALOGS[locale],
        // A message missing from a catalog is a bug the catalog test catches; at run time English stands in.
        onError: () => undefined,
      },
      cache,
    );
    intls.set(locale, intl);
  }
  return intl;
}

export const isMessageKey = (key: string): key is MessageKey => Object.prototype.hasOwnProperty.call(en, key);

/** The message `key` in `locale` with its arguments; an unknown key comes back as itself (visible, never a crash). */
export function translate(locale: string | null | undefined, key: string, values: MessageValues = {}): string {
  const l: Locale = isSupportedLocale(locale) ? locale : DEFAULT_LOCALE;
  if (!isMessageKey(key)) return key;
  const clean: Record<string, string | number | Date> = {};
  for (const [k, v] of Object.entries(values)) clean[k] = v ?? '';
  return intlFor(l).formatMessage({ id: key, defaultMessage: en[key] }, clean);
}

/** A translator bound to one language: `t('booking.confirm', {host})`. */
export type Translate = (key: MessageKey, values?: MessageValues) => string;
export const translatorFor =
  (locale: string | null | undefined): Translate =>
  (key, values) =>
    translate(locale, key, values);
