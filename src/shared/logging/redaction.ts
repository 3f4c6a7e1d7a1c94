import { SECRET_PATH_SEGMENTS, isSecretParamName } from '../security/secret-params.js';

export const REDACTED = '[REDACTED]';
export const EMAIL_MASK = '[EMAIL]';

/** An email address anywhere in a string (invitees' above all: they never agreed to be in our logs). */
const EMAIL = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

const HAS_EMAIL = new RegExp(EMAIL.source);

export const maskEmails = (text: string): string => text.replace(EMAIL, EMAIL_MASK);

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * A request URL fit for the logs: the value of every secret query parameter masked, in every shape the parsers
 * accept (`?token=a&token=b`, `?token[]=`, `?TOKEN=`, `?tok%65n=`, `?management_token=`; see secret-params.ts),
 * any query value holding an email address masked, and the secret path segments (`/feeds/<token>.ics`,
 * `/invitations/<token>/accept`, `/slots/holds/<token>`) masked, also when percent-encoded or in capitals (Express
 * routes match case-insensitively).
 */
export function redactUrl(url: string | undefined): string {
  const raw = url ?? '';
  const q = raw.indexOf('?');
  const path = redactPath(q === -1 ? raw : raw.slice(0, q));
  if (q === -1) return path;
  const query = raw
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      if (eq === -1) return decoded(name).includes('@') ? EMAIL_MASK : pair;
      if (isSecretParamName(name)) return `${name}=${REDACTED}`;
      return decoded(pair.slice(eq + 1)).includes('@') ? `${name}=${EMAIL_MASK}` : pair;
    });
  return `${path}?${query.join('&')}`;
}

function redactPath(path: string): string {
  const mask = (p: string) => SECRET_PATH_SEGMENTS.reduce((acc, pattern) => acc.replace(pattern, `$1${REDACTED}`), p);
  const masked = mask(path);
  // A percent-encoded spelling (`/fe%65ds/<token>.ics`) the patterns cannot see: judge and log the decoded path.
  const plain = decoded(path);
  const maskedPlain = mask(plain);
  return maskedPlain !== plain && masked === path ? maskedPlain : masked;
}

type Serialized = Record<string, unknown>;

/** pino's `err` serializer output with email addresses masked in the message and stack. */
export function maskErrorEmails(serialized: Serialized): Serialized {
  const out: Serialized = { ...serialized };
  for (const key of ['message', 'stack']) if (typeof out[key] === 'string') out[key] = maskEmails(out[key]);
  return out;
}

/**
 * Masks emails in what a log call was given: string arguments (messages and printf values), and the string fields
 * of a merging object (one level: `{ context, email }`). Errors are left to the `err` serializer.
 */
export function maskLogArguments(args: unknown[]): unknown[] {
  return args.map((arg) => {
    if (typeof arg === 'string') return maskEmails(arg);
    if (arg && typeof arg === 'object' && !(arg instanceof Error) && !Array.isArray(arg)) {
      let copy: Record<string, unknown> | null = null;
      for (const [key, value] of Object.entries(arg)) {
        if (typeof value !== 'string' || !HAS_EMAIL.test(value)) continue;
        copy ??= { ...(arg as Record<string, unknown>) };
        copy[key] = maskEmails(value);
      }
      return copy ?? arg;
    }
    return arg;
  });
}
