import { createHash, timingSafeEqual } from 'node:crypto';

export type MetricsAccess = 'granted' | 'unauthorized' | 'disabled';

/**
 * Who may read the metrics. On the app's own port (public behind the load balancer) only a caller presenting
 * METRICS_TOKEN as a bearer token, and nobody when no token is configured. On the separate METRICS_PORT listener,
 * which binds a private address, the token is checked when one is configured and not required otherwise.
 */
export function metricsAccess(
  expectedToken: string | null,
  authorization: string | undefined,
  listener: 'app' | 'metrics-port',
): MetricsAccess {
  if (!expectedToken) return listener === 'app' ? 'disabled' : 'granted';
  return bearerMatches(expectedToken, authorization) ? 'granted' : 'unauthorized';
}

function bearerMatches(expected: string, authorization: string | undefined): boolean {
  const presented = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization ?? '')?.[1];
  if (!presented) return false;
  // Compare digests: equal length whatever was sent, so the comparison time says nothing about the token.
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
