import fastifyCookie from '@fastify/cookie';
import { Injectable } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../../config/app-config.js';
import { SESSION_DAYS, UserSessions } from '../../identity/application/user-sessions.service.js';
import type { AuthenticatedRequest } from '../../../shared/http/authentication.js';

export const SESSION_COOKIE = 'kairos_session';
export const CSRF_COOKIE = 'kairos_csrf';

export type WebRequest = AuthenticatedRequest;

/** A validly signed, non-empty cookie's value, or null (no cookie, or one whose signature fails). */
function signedCookie(req: WebRequest, name: string): string | null {
  const raw = req.cookies[name];
  if (!raw) return null;
  const { valid, value } = req.unsignCookie(raw);
  return valid && value ? value : null;
}

/**
 * Admin sessions: a signed, httpOnly, SameSite=Lax cookie holding a random session secret; the session itself lives
 * in identity's user_sessions (UserSessions), so logout and credential changes end it on the server.
 * CSRF: a synchronizer token, HMAC(app secret, CSRF cookie value), embedded in every admin form; the CSRF cookie is
 * random, signed and httpOnly, so a cross-site page can neither read nor forge the pair. Logging in rotates both.
 */
@Injectable()
export class WebSessions {
  private readonly secret: string;

  constructor(
    private readonly config: AppConfig,
    private readonly userSessions: UserSessions,
  ) {
    this.secret = createHmac('sha256', config.appSecret).update('kairos:web-session').digest('hex');
  }

  get cookieSecret(): string {
    return this.secret;
  }

  private cookieOptions(maxAgeMs?: number) {
    return {
      httpOnly: true,
      sameSite: 'lax' as const,
      signed: true,
      path: '/',
      secure: this.config.publicUrl.startsWith('https://'),
      ...(maxAgeMs ? { maxAge: Math.floor(maxAgeMs / 1000) } : {}), // @fastify/cookie counts seconds
    };
  }

  /** The signed-in host id, or null (no cookie, or a session that expired, was logged out or revoked). */
  async userIdOf(req: WebRequest): Promise<string | null> {
    const secret = signedCookie(req, SESSION_COOKIE);
    return secret ? this.userSessions.userOf(secret) : null;
  }

  /** Starts a new server-side session (ending the one this browser had, if any) and rotates the CSRF token. */
  async signIn(req: WebRequest, res: FastifyReply, userId: string): Promise<string> {
    await this.endCurrent(req);
    const session = await this.userSessions.start(userId);
    if (session) res.setCookie(SESSION_COOKIE, session.secret, this.cookieOptions(SESSION_DAYS * 86_400_000));
    return this.rotateCsrf(res);
  }

  /** Ends this browser's session on the server (not just the cookie: a copied cookie stops working too). */
  async signOut(req: WebRequest, res: FastifyReply): Promise<void> {
    await this.endCurrent(req);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.clearCookie(CSRF_COOKIE, { path: '/' });
  }

  private async endCurrent(req: WebRequest): Promise<void> {
    const secret = signedCookie(req, SESSION_COOKIE);
    if (secret) await this.userSessions.end(secret);
  }

  /** The form token for this request's CSRF cookie, setting a fresh cookie when there is none. */
  csrfToken(req: WebRequest, res: FastifyReply): string {
    const seed = signedCookie(req, CSRF_COOKIE);
    if (seed) return this.tokenFor(seed);
    return this.rotateCsrf(res);
  }

  verifyCsrf(req: WebRequest): boolean {
    const seed = signedCookie(req, CSRF_COOKIE);
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (!seed || typeof sent !== 'string') return false;
    const expected = Buffer.from(this.tokenFor(seed));
    const given = Buffer.from(sent);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private rotateCsrf(res: FastifyReply): string {
    const seed = randomBytes(18).toString('base64url');
    res.setCookie(CSRF_COOKIE, seed, this.cookieOptions());
    return this.tokenFor(seed);
  }

  private tokenFor(seed: string): string {
    return createHmac('sha256', this.secret).update(`csrf:${seed}`).digest('base64url');
  }
}

/**
 * Cookies for the whole app (@fastify/cookie, signing with the session secret), and for /admin routes only (so the
 * API never honours the cookie) a preHandler hook, which runs once the form body is parsed and before Nest's guards:
 * it refuses any POST without a valid CSRF token and sets request.user for the global HostAuthGuard when a session
 * is present.
 */
export async function registerAdminSessions(app: NestFastifyApplication): Promise<void> {
  const sessions = app.get(WebSessions);
  await app.register(fastifyCookie, { secret: sessions.cookieSecret });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
      if (req.is404 || !req.routeOptions.url?.startsWith('/admin')) return;
      const webReq = req as WebRequest;
      if (req.method === 'POST' && !sessions.verifyCsrf(webReq)) {
        return reply.code(403).type('text/html; charset=utf-8').send(FORM_EXPIRED_PAGE);
      }
      const userId = await sessions.userIdOf(webReq);
      if (userId) webReq.user = { id: userId, via: 'session' };
    });
}

const FORM_EXPIRED_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Form expired · Kairos</title>' +
  '<link rel="stylesheet" href="/static/kairos.css"></head><body><main id="main"><section class="card narrow">' +
  '<h1>This form has expired</h1><p role="alert">The security token was missing or out of date. ' +
  'Go back, reload the page and try again.</p><p><a href="/admin">Back to the admin</a></p></section></main></body></html>';
