// Pure text checks (no framework imports): used by the request guard, the DTO decorators and domain rules.
// PostgreSQL text and jsonb cannot hold U+0000, and a lone UTF-16 surrogate has no UTF-8 form (it would be stored
// as U+FFFD, silently changing the value): neither can be stored as sent.
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** C0 controls (CR and LF included), DEL and C1 controls: never part of a name. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
/** The same, but line breaks and tabs are allowed (multi-line text typed in a textarea). */
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Bidirectional overrides and isolates can make a name read differently from what it is ("Trojan Source"). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

export const hasUnstorableText = (s: string) => UNSTORABLE.test(s);

/**
 * The path of the first string (or object key) in a parsed request that PostgreSQL cannot store, or null.
 * Walks objects and arrays to a bounded depth; deeper values are left to validation (the body limit bounds size).
 */
export function findUnstorableText(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path || '(value)' : null;
  if (value === null || typeof value !== 'object' || depth > 32) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], path ? `${path}.${i}` : String(i), depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, v] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (UNSTORABLE.test(key)) return path ? `${path} (a key)` : '(a key)';
    const found = findUnstorableText(v, here, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Why a one-line text (a name, title, label or reason) is not acceptable, or null. Refuses control characters,
 * line breaks included (they forge lines in emails, .ics files and logs), and bidirectional overrides.
 */
export function singleLineProblem(value: string): string | null {
  if (CONTROL.test(value)) return 'must be a single line without control characters';
  if (BIDI_CONTROL.test(value)) return 'must not contain bidirectional control characters';
  return null;
}

/** Why a multi-line text (a description, a long answer) is not acceptable, or null: line breaks and tabs are fine. */
export function multiLineProblem(value: string): string | null {
  if (CONTROL_EXCEPT_LINES.test(value)) return 'must not contain control characters (line breaks and tabs are fine)';
  if (BIDI_CONTROL.test(value)) return 'must not contain bidirectional control characters';
  return null;
}
