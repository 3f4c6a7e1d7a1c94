import type { FastifyReply } from 'fastify';

/** A CSP host source for an origin: scheme, host (letters, digits, "-", dots, or an IP literal) and optional port. */
const ORIGIN_SOURCE = /^https?:\/\/(?:(?:[a-z0-9-]+\.)*[a-z0-9-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/**
 * Lets `origins` frame this one response (issue #18, ADR 0018): the Content-Security-Policy helmet set (applyHttpSecurity)
 * keeps every directive but `frame-ancestors`, which lists the origins, or stays 'none' when there are none; the
 * X-Frame-Options: DENY goes when some are allowed (browsers that know CSP ignore it beside frame-ancestors, older ones
 * would refuse the frame). Every other response keeps frame-ancestors 'none' and DENY. The origins were checked when
 * the host saved them (identity embed-origins.ts); anything that is not a plain origin is still left out here, so a
 * stored value can never add a directive.
 */
export function allowFramingBy(reply: FastifyReply, origins: readonly string[]): void {
  const allowed = [...new Set(origins.filter((o) => ORIGIN_SOURCE.test(o)))];
  const ancestors = `frame-ancestors ${allowed.length > 0 ? allowed.join(' ') : "'none'"}`;
  const current = reply.raw.getHeader('content-security-policy');
  const csp = typeof current === 'string' ? current : '';
  const next = /frame-ancestors[^;]*/.test(csp)
    ? csp.replace(/frame-ancestors[^;]*/, ancestors)
    : [csp, ancestors].filter(Boolean).join(';');
  reply.raw.setHeader('Content-Security-Policy', next);
  if (allowed.length > 0) reply.raw.removeHeader('X-Frame-Options');
}
