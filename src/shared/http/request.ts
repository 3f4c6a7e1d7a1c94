import type { FastifyReply, FastifyRequest } from 'fastify';

// Small helpers over Fastify's request and reply for what Express offered built in (req.path, req.fresh,
// res.headersSent), so controllers, guards and filters say what they mean in one call.

/** The request path without the query string (Express's `req.path`). */
export function pathOf(req: Pick<FastifyRequest, 'url'>): string {
  const q = req.url.indexOf('?');
  return q === -1 ? req.url : req.url.slice(0, q);
}

/** The query string as parsed by Fastify: repeated keys become arrays. */
export type Query = Record<string, string | string[] | undefined>;

export function queryOf(req: Pick<FastifyRequest, 'query'>): Query {
  return (req.query ?? {}) as Query;
}

/** Whether the response has started (a handler answered through the reply, or a library through reply.raw). */
export function replySent(reply: FastifyReply): boolean {
  return reply.sent || reply.raw.headersSent;
}

/**
 * If-None-Match against our ETag: a list of tags (or *), weak or strong (a weak comparison, as RFC 9110 asks for
 * If-None-Match). Fastify, unlike Express, does not answer conditional GETs itself.
 */
export function noneMatchHits(ifNoneMatch: string | string[] | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = strip(etag);
  return (Array.isArray(ifNoneMatch) ? ifNoneMatch.join(',') : ifNoneMatch)
    .split(',')
    .map(strip)
    .some((t) => t === '*' || t === wanted);
}
