import type { FastifyRequest } from 'fastify';

// Crawlers, link unfurlers and uptime checks that announce themselves; what does not announce itself is counted.
const BOT = /bot|crawl|spider|slurp|facebookexternalhit|embedly|preview|monitor|curl|wget|python-requests|headless/i;

/**
 * Whether a booking page request is a person arriving (counted for insights): a GET (never HEAD), not a browser's
 * prefetch or prerender, not a self-declared bot, and the page as first opened: moving the calendar (month, date,
 * zone, clock or length in the query) is the same visit and is not counted again.
 */
export function isCountedView(req: FastifyRequest, query: Record<string, unknown>): boolean {
  if (req.method !== 'GET') return false;
  const purpose = `${String(req.headers['sec-purpose'] ?? '')} ${String(req.headers.purpose ?? '')}`;
  if (/prefetch|prerender/i.test(purpose)) return false;
  if (BOT.test(req.headers['user-agent'] ?? '')) return false;
  return !['month', 'date', 'tz', 'h12', 'duration'].some((key) => query[key] !== undefined);
}
