/**
 * One admin area's messages: English (the reference, `as const` so its keys are the type) and every other language
 * with exactly those keys. The languages' catalogs (../en.ts, ../de.ts, ...) spread these objects.
 */
export type AreaCatalog<English extends Record<string, string>> = { en: English } & Record<
  'de' | 'fr' | 'es' | 'ptBR' | 'ja',
  Record<keyof English, string>
>;
