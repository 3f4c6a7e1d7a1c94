/**
 * What counts as a secret in a URL, for the two places that must agree: log redaction (src/shared/logging) and
 * `Cache-Control: no-store` (http-security.ts). Pure functions over strings; no framework.
 */

/**
 * A query parameter whose value is a credential: booking management tokens, invitation and feed tokens, OAuth
 * codes and state, keys, passwords, signatures. Matched on the name as the app's parsers read it (percent- and
 * `+`-decoded, case-insensitive, `[...]` suffixes dropped: `token[]`, `TOKEN`, `tok%65n` and `management_token` are
 * all `token`), and by substring, so a new `*_token` parameter is covered the day it is added. Over-matching only
 * costs a redacted value in a log line.
 */
const SECRET_NAME = /token|secret|passw|code|state|key|sig|auth|session|ticket|nonce|otp/;

export function normalizeParamName(raw: string): string {
  let name = raw.replace(/\+/g, ' ');
  try {
    name = decodeURIComponent(name);
  } catch {
    /* a malformed escape: judge the raw spelling */
  }
  return name.trim().toLowerCase();
}

export function isSecretParamName(raw: string): boolean {
  return SECRET_NAME.test(normalizeParamName(raw));
}

/** Whether a query string (with or without its leading `?`) carries a secret parameter. */
export function queryHasSecret(query: string): boolean {
  return query
    .replace(/^\?/, '')
    .split('&')
    .some((pair) => pair !== '' && isSecretParamName(pair.split('=', 1)[0]));
}

/**
 * Routes that carry a credential in a path segment (the API's and pages' own): the private calendar feed
 * (`/feeds/<token>.ics`), team invitations (`/api/teams/invitations/<token>/accept`) and slot holds
 * (`DELETE /api/slots/holds/<token>`). Each regex captures what precedes the secret segment.
 */
export const SECRET_PATH_SEGMENTS: RegExp[] = [/(\/feeds\/)[^/?#]+/gi, /(\/invitations\/)[^/?#]+/gi, /(\/slots\/holds\/)[^/?#]+/gi];
