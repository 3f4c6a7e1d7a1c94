// The origins a host allows to frame their booking pages (issue #18, ADR 0018): each one a web origin, scheme
// (http or https), host and optional port, nothing else: no path, query, credentials or wildcard. Pure.
import type { Problem } from '../../../shared/http/domain-error.js';

export const MAX_EMBED_ORIGINS = 20;
export const MAX_EMBED_ORIGIN_LENGTH = 255;

/**
 * The origin `text` names, in its canonical spelling (lowercase, punycode, no default port: what browsers compare and
 * what a CSP source expression matches), or why it is not one. A trailing "/" is tolerated (people paste it).
 */
export function parseEmbedOrigin(text: string): { origin: string } | { problem: string } {
  const raw = text.trim();
  if (raw === '') return { problem: 'must not be empty' };
  if (raw.length > MAX_EMBED_ORIGIN_LENGTH) return { problem: `must be at most ${MAX_EMBED_ORIGIN_LENGTH} characters` };
  if (/[\s\p{Cc}]/u.test(raw)) return { problem: 'must not contain spaces or control characters' };
  if (raw.includes('*')) return { problem: 'must name one site: wildcards are not supported, list each origin' };
  if (!/^https?:\/\//i.test(raw)) return { problem: 'must start with https:// (or http://), like https://example.com' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'is not a web address, like https://example.com' };
  }
  if (url.username || url.password) return { problem: 'must not contain a user name or password' };
  // Letters, digits, "-" and dots (IDNs arrive in punycode), or an IP literal: nothing that could end a CSP source.
  if (!/^(?:[a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/.test(url.hostname))
    return { problem: 'must name a host, like https://example.com' };
  // Only "/" may follow the host (and port): new URL('https://x.com') already has pathname "/".
  const rest = raw.replace(/^https?:\/\/[^/?#]*/i, '');
  if (rest !== '' && rest !== '/') return { problem: 'must be an origin only (scheme, host and port), without a path, query or #' };
  return { origin: url.origin };
}

/**
 * Everything wrong with a list of embed origins, each problem naming its entry (`embed_origins.2`), and the list as
 * stored: canonical, duplicates dropped, in the order given.
 */
export function checkEmbedOrigins(list: readonly string[]): { origins: string[]; problems: Problem[] } {
  const problems: Problem[] = [];
  if (list.length > MAX_EMBED_ORIGINS) {
    problems.push({ field: 'embed_origins', code: 'too_many', message: `embed_origins must list at most ${MAX_EMBED_ORIGINS} origins` });
  }
  const origins: string[] = [];
  list.forEach((text, i) => {
    const parsed = parseEmbedOrigin(text);
    if ('problem' in parsed) {
      problems.push({
        field: `embed_origins.${i}`,
        code: 'invalid_origin',
        message: `embed_origins.${i} (${JSON.stringify(text.slice(0, 80))}) ${parsed.problem}`,
      });
    } else if (!origins.includes(parsed.origin)) origins.push(parsed.origin);
  });
  return { origins, problems };
}
