// Pure: zone-name checks and canonical spelling (no framework imports), for domain code, pages and DTOs.

/**
 * ICU (and so Intl) keeps the old spelling of zones IANA renamed as its canonical id (CLDR stability), so
 * `resolvedOptions()` turns "Asia/Kolkata" into "Asia/Calcutta". We store the current IANA name instead.
 */
const CURRENT_IANA_NAME: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Europe/Kiev': 'Europe/Kyiv',
  'America/Godthab': 'America/Nuuk',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Rangoon': 'Asia/Yangon',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Ulan_Bator': 'Asia/Ulaanbaatar',
};

/** ICU's old name → the current IANA name, for browsers (kairos.js) whose Intl answers with the old one. */
export const ZONE_ALIASES: Readonly<Record<string, string>> = CURRENT_IANA_NAME;

const canonical = new Map<string, string | null>();

function resolve(value: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/**
 * The stored spelling of a zone name, or null when it is not one: Intl matches names case-insensitively and follows
 * links ("america/new_york" and "US/Eastern" are "America/New_York"); a renamed zone gets its current IANA name
 * when this runtime knows it. Only area/location names and UTC/GMT count: "EST" or "+05:00" are not places.
 * Memoized because constructing Intl formats is slow.
 */
export function canonicalTimeZone(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return null;
  let result = canonical.get(value);
  if (result === undefined) {
    const upper = value.toUpperCase();
    const named = value.includes('/') || upper === 'UTC' || upper === 'GMT';
    const resolved = named ? resolve(value) : null;
    const current = resolved ? CURRENT_IANA_NAME[resolved] : undefined;
    result = current && resolve(current) ? current : resolved;
    if (canonical.size < 10_000) canonical.set(value, result);
  }
  return result;
}

/** True for IANA zone names the runtime knows (any letter case, links included) and "UTC". */
export function isIanaTimeZone(value: unknown): value is string {
  return canonicalTimeZone(value) !== null;
}
