import { OutboundError, parseOutboundUrl } from '../../../shared/outbound/outbound-http.js';

/**
 * Calendar URLs typed in by hosts (ICS feeds, CalDAV servers) go through the shared outbound client
 * (src/shared/outbound): one address policy, connections pinned to the checked address, redirects re-checked.
 * CALENDAR_PRIVATE_URL_ALLOWLIST (host:port) names private servers allowed anyway (a CalDAV server on the LAN, tests).
 * This file keeps what is calendar-specific: webcal:// URLs and the error a host sees when a URL is refused.
 */
export class UnsafeUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeUrlError';
  }
}

export const REFUSED_MESSAGE =
  'refusing to connect to a private address (loopback, private, link-local, NAT64 or another non-public range)';

export function assertSafeUrlShape(raw: string): URL {
  try {
    return parseOutboundUrl(raw.replace(/^webcals?:\/\//i, 'https://'));
  } catch (error) {
    throw new UnsafeUrlError((error as Error).message);
  }
}

/** The outbound client's refusals as UnsafeUrlError (a 400 when a host saves the URL); other errors unchanged. */
export function asUnsafeUrlError(error: unknown): unknown {
  if (error instanceof OutboundError && error.kind === 'refused') return new UnsafeUrlError(REFUSED_MESSAGE);
  if (error instanceof OutboundError && error.kind === 'invalid_url') return new UnsafeUrlError(error.message);
  return error;
}
