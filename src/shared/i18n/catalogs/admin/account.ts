// Admin: sign-in, sign-up, welcome, password reset, email verification, profile, API keys, calendars, teams, webhooks.
// English is the reference: every other language has exactly its keys with the same ICU arguments
// (src/shared/i18n/catalogs.spec.ts). The languages' catalogs (../en.ts, ../de.ts, ...) spread these objects.
const en = {} as const;

type Key = keyof typeof en;

export const adminAccount: {
  en: typeof en;
  de: Record<Key, string>;
  fr: Record<Key, string>;
  es: Record<Key, string>;
  ptBR: Record<Key, string>;
  ja: Record<Key, string>;
} = {
  en,
  de: {},
  fr: {},
  es: {},
  ptBR: {},
  ja: {},
};
