/** Handles are URL path segments (`/:username`), so they must not shadow the app's own top-level routes. */
export const RESERVED_USERNAMES = new Set([
  'admin', 'api', 'health', 'metrics', 'docs', 'static', 'assets', 'public', 'login', 'logout', 'signup',
  'booking', 'bookings', 'book', 'cancel', 'reschedule', 'settings', 'favicon.ico', 'robots.txt', 'kairos',
]);
export const USERNAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])?$/;

export const isReservedUsername = (username: string) => RESERVED_USERNAMES.has(username.toLowerCase());
