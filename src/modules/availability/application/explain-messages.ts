import { type MessageKey, translate } from '../../../shared/i18n/i18n.js';
import { DEFAULT_LOCALE, type Locale } from '../../../shared/i18n/locales.js';
import type { ExplainReason, ExplainText } from '../domain/slot-explain.js';

/** The catalog key of a reason's sentence (src/shared/i18n/catalogs/admin/explain.ts). */
export const explainMessageKey = (text: ExplainText): MessageKey => `explain.${text.name}` as MessageKey;

/** A reason's sentence in `locale`; English is the engine's own message (the catalog's English is the same words). */
export function explainMessage(reason: ExplainReason, locale: Locale): string {
  return locale === DEFAULT_LOCALE ? reason.message : translate(locale, explainMessageKey(reason.text), reason.text.values);
}

/** The reasons with their sentences in `locale`; codes and everything else unchanged. */
export function localizeReasons(reasons: ExplainReason[], locale: Locale): ExplainReason[] {
  return locale === DEFAULT_LOCALE ? reasons : reasons.map((r) => ({ ...r, message: explainMessage(r, locale) }));
}
