/**
 * Handles are URL path segments (`/:username`), so they must not shadow the app's own top-level routes
 * (`test/input-hygiene.e2e-spec.ts` reads the router and fails when a new top-level route is missing here), nor
 * names a host might be expected to own (`www`, `support`) or that pages may take later. The one list checked by
 * sign-up, the profile change and the admin forms (through UsersService), and by the public pages' lookup.
 */
export const RESERVED_USERNAMES = new Set([
  // top-level routes today
  'admin',
  'api',
  'booking',
  'feeds',
  'health',
  'metrics',
  'static',
  'embed.js', // the embed script (issue #18)
  'embed',
  // routes and files browsers, crawlers and tools ask for
  'docs',
  'assets',
  'public',
  'favicon.ico',
  'robots.txt',
  'sitemap.xml',
  'well-known',
  '.well-known',
  'openapi',
  'openapi.json',
  'security.txt',
  'manifest.json',
  'apple-touch-icon.png',
  // account and booking words a future top-level page may use
  'login',
  'logout',
  'signup',
  'signin',
  'register',
  'join',
  'auth',
  'oauth',
  'callback',
  'password',
  'reset',
  'forgot-password',
  'reset-password',
  'verify',
  'account',
  'settings',
  'profile',
  'me',
  'new',
  'dashboard',
  'bookings',
  'book',
  'cancel',
  'reschedule',
  'teams',
  'team',
  'integrations',
  'webhooks',
  'calendar',
  'calendars',
  'availability',
  'schedules',
  'slots',
  'feed',
  'export',
  'embed',
  'widget',
  // names that would pass for the service itself
  'kairos',
  'www',
  'mail',
  'support',
  'help',
  'about',
  'status',
  'terms',
  'privacy',
  'security',
  'root',
  'system',
]);
export const USERNAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])?$/;

export const isReservedUsername = (username: string) => RESERVED_USERNAMES.has(username.toLowerCase());

/**
 * Usernames to offer a host who signs up without choosing one (Sign in with Google), best first: the email's local
 * part folded to the handle alphabet (`Ada.Lovelace+cal@x` → `ada-lovelace-cal`), then numbered variants. A local
 * part that folds to nothing usable, or to a reserved name, starts from `host`.
 */
export function usernameCandidates(email: string, count = 10): string[] {
  const local = email.split('@')[0] ?? '';
  let base = local
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 36)
    .replace(/-+$/, '');
  if (!USERNAME_PATTERN.test(base) || isReservedUsername(base)) base = 'host';
  const out = [base];
  for (let n = 2; out.length < count; n++) out.push(`${base}-${n}`);
  return out;
}
