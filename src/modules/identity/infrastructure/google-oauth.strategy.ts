import { PassportStrategy } from '@nestjs/passport';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { createHmac, randomBytes } from 'node:crypto';
import passport from 'passport';
import { type Profile, Strategy, type StrategyOptions } from 'passport-google-oauth20';
import { hostPortOf, type OutboundHttp } from '../../../shared/outbound/outbound-http.js';
import { safeEqual } from '../../../shared/security/tokens.js';

/** Who Google says signed in: the stable account id (`sub`) and the address with Google's word on it. */
export interface GoogleIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

export interface GoogleOAuthOptions {
  clientId: string;
  clientSecret: string;
  authUrl: string;
  tokenUrl: string;
  userInfoUrl: string;
  /** Our callback (PUBLIC_URL/admin/login/google/callback): must be registered with the Google OAuth client. Read per
   * request: without PUBLIC_URL it names the port the app is bound to, known only after listen(). */
  callbackUrl: () => string;
  /** Signs the state cookie (derived from APP_SECRET). */
  stateKey: Buffer;
  /** Mark the state cookie Secure (PUBLIC_URL is https). */
  secureCookies: boolean;
}

/** How one pass of the strategy ended. `answered`: passport already answered (the redirect to Google). */
export type GoogleOAuthOutcome =
  | { kind: 'answered' }
  | { kind: 'identity'; identity: GoogleIdentity }
  | { kind: 'cancelled' }
  | { kind: 'bad_state' }
  | { kind: 'failed'; reason: string };

export const GOOGLE_STATE_COOKIE = 'kairos_google_state';
export const GOOGLE_CALLBACK_PATH = '/admin/login/google/callback';
const STATE_TTL_MS = 10 * 60_000;
const BAD_STATE = 'bad_state';

/**
 * "Sign in with Google" as a passport strategy (`passport-google-oauth20` through `@nestjs/passport`), scopes
 * `openid email profile`, no offline access: sign-in needs who the person is, not their calendar.
 *
 * One instance per app, built from that app's configuration, registered in a passport instance of its own: passport's
 * default export is a process-wide registry where a second Nest app in the same process (the tests start several)
 * would replace the first app's strategy under the same name. Requests run through `run()`, which asks that private
 * registry, so passport derives a fresh object per request from this strategy (its success/fail hooks are per request).
 *
 * Outbound: the token exchange and the userinfo call go through the app's OutboundHttp (the one address policy,
 * pinned connections), not the `oauth` package's own https requests: every request of the `oauth` client funnels
 * through `OAuth2._request`, which is replaced here. The configured token and userinfo endpoints are the operator's
 * choice and may be private (the tests' loopback fake), like the calendar's provider endpoints.
 */
export class GoogleOAuthStrategy extends PassportStrategy(Strategy, 'google') {
  private ownPassport?: passport.Authenticator;
  private readonly callbackUrl: () => string;

  constructor(options: GoogleOAuthOptions, outbound: OutboundHttp) {
    super({
      clientID: options.clientId,
      clientSecret: options.clientSecret,
      callbackURL: options.callbackUrl(),
      authorizationURL: options.authUrl,
      tokenURL: options.tokenUrl,
      userProfileURL: options.userInfoUrl,
      scope: ['openid', 'email', 'profile'],
      // Our store's signatures are the arities passport-oauth2 dispatches on (3 for store, 4 for verify).
      store: new SignedCookieStateStore(options.stateKey, options.secureCookies) as unknown as StrategyOptions['store'],
    } satisfies StrategyOptions);
    const oauth2 = (this as unknown as { _oauth2: OAuth2Client })._oauth2;
    oauth2.useAuthorizationHeaderforGET(true); // the access token in a header, never in a URL
    oauth2._request = outboundRequest(outbound, [hostPortOf(options.tokenUrl), hostPortOf(options.userInfoUrl)]);
    this.callbackUrl = options.callbackUrl;
  }

  /** Called by the mixin's constructor (before field initialisers: useDefineForClassFields is off). */
  getPassportInstance(): passport.Authenticator {
    return (this.ownPassport ??= new passport.Authenticator());
  }

  /** The verify step: the userinfo profile as our identity. An account without an id is no identity. */
  validate(_accessToken: string, _refreshToken: string | undefined, profile: Profile): GoogleIdentity | false {
    const json = profile._json as { sub?: unknown; email?: unknown; email_verified?: unknown; name?: unknown };
    const subject = typeof json.sub === 'string' ? json.sub : profile.id;
    if (!subject) return false;
    return {
      subject,
      email: typeof json.email === 'string' && json.email ? json.email : null,
      // Google sends a boolean; some proxies of the userinfo endpoint send the string "true".
      emailVerified: json.email_verified === true || json.email_verified === 'true',
      name: typeof json.name === 'string' && json.name.trim() ? json.name.trim() : null,
    };
  }

  /**
   * One pass of the strategy on this request: on the start route passport answers with the redirect to Google; on
   * the callback it checks the state, exchanges the code, reads userinfo and hands back the identity (or why not).
   */
  run(req: FastifyRequest, reply: FastifyReply): Promise<GoogleOAuthOutcome> {
    return new Promise<GoogleOAuthOutcome>((resolve) => {
      const query = (req.query ?? {}) as Record<string, unknown>;
      const oauthReq: OAuthRequest = {
        query,
        headers: req.headers,
        body: req.body,
        res: {
          cookie: (name, value, options) => void reply.setCookie(name, value, options),
          clearCookie: (name, options) => void reply.clearCookie(name, options),
        },
      };
      // Passport answers the Node way (statusCode, setHeader, end: the redirect to Google); the reply sends it, with
      // the state cookie and the security headers already set on the reply.
      const oauthRes = {
        statusCode: 200,
        setHeader: (name: string, value: string) => void reply.header(name, value),
        end: () => {
          void reply.code(oauthRes.statusCode).send();
          resolve({ kind: 'answered' });
        },
      };
      const middleware = this.getPassportInstance().authenticate(
        'google',
        { session: false, callbackURL: this.callbackUrl() } as passport.AuthenticateOptions,
        (error: Error | null, user: GoogleIdentity | false, info: { message?: string } | undefined, status: number | undefined) => {
          if (error) resolve({ kind: 'failed', reason: error.message });
          else if (user) resolve({ kind: 'identity', identity: user });
          else if (status === 403 || info?.message === BAD_STATE) resolve({ kind: 'bad_state' });
          else if (query.error === 'access_denied') resolve({ kind: 'cancelled' });
          else resolve({ kind: 'failed', reason: info?.message ?? 'no identity' });
        },
      ) as (req: OAuthRequest, res: typeof oauthRes, next: (error?: unknown) => void) => void;
      middleware(oauthReq, oauthRes, (error?: unknown) =>
        resolve({ kind: 'failed', reason: error instanceof Error ? error.message : 'unexpected' }),
      );
    });
  }
}

/** What passport and the state store see of a request: its query and headers, and the cookies of the answer. */
export interface OAuthRequest {
  query: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  body?: unknown;
  res: {
    cookie(
      name: string,
      value: string,
      options: { httpOnly: boolean; sameSite: 'lax'; secure: boolean; path: string; maxAge: number },
    ): void;
    clearCookie(name: string, options: { path: string }): void;
  };
}

/**
 * The OAuth `state` of a sign-in, bound to the browser that started it: the state is 24 random bytes, and an
 * httpOnly SameSite=Lax cookie holds its expiry and HMAC. The callback is accepted only from that browser (a login
 * CSRF, where an attacker's own code lands in a victim's browser, fails), within ten minutes, once (the cookie is
 * cleared on the first callback). No server-side state: any replica can check it.
 */
export class SignedCookieStateStore {
  constructor(
    private readonly key: Buffer,
    private readonly secure: boolean,
  ) {}

  private mac(state: string, expires: number): string {
    return createHmac('sha256', this.key).update(`google-signin:${state}:${expires}`).digest('base64url');
  }

  store(req: OAuthRequest, _meta: unknown, callback: (error: Error | null, state?: string) => void): void {
    const state = randomBytes(24).toString('base64url');
    const expires = Date.now() + STATE_TTL_MS;
    req.res.cookie(GOOGLE_STATE_COOKIE, `${expires}.${this.mac(state, expires)}`, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure,
      path: GOOGLE_CALLBACK_PATH,
      maxAge: STATE_TTL_MS / 1000, // Max-Age, in seconds
    });
    callback(null, state);
  }

  verify(req: OAuthRequest, state: unknown, _meta: unknown, callback: (error: Error | null, ok: boolean, info?: unknown) => void): void {
    const cookie = cookieOf(req, GOOGLE_STATE_COOKIE);
    req.res.clearCookie(GOOGLE_STATE_COOKIE, { path: GOOGLE_CALLBACK_PATH });
    const [expiresText, mac] = (cookie ?? '').split('.');
    const expires = Number(expiresText);
    const ok =
      typeof state === 'string' &&
      state.length > 0 &&
      Boolean(mac) &&
      Number.isFinite(expires) &&
      expires > Date.now() &&
      safeEqual(mac, this.mac(state, expires));
    if (ok) callback(null, true);
    else callback(null, false, { message: BAD_STATE });
  }
}

function cookieOf(req: OAuthRequest, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** The part of the `oauth` package's OAuth2 client that passport-oauth2 uses for its requests. */
interface OAuth2Client {
  useAuthorizationHeaderforGET(use: boolean): void;
  _request: OAuth2Request;
}

type OAuth2Callback = (
  error: { statusCode: number; data: string } | Error | null,
  body?: string,
  response?: { statusCode: number; headers: unknown },
) => void;
type OAuth2Request = (
  method: string,
  url: string,
  headers: Record<string, string> | undefined,
  body: string | Buffer | null | undefined,
  accessToken: string | null,
  callback: OAuth2Callback,
) => void;

/**
 * `OAuth2._request` over OutboundHttp, answering the way the `oauth` package does: 2xx is (null, body, response),
 * anything else ({statusCode, data}), a network failure the error. The callback runs outside the promise chain, so
 * an exception in passport's code is not swallowed as a rejection.
 */
function outboundRequest(outbound: OutboundHttp, allow: string[]): OAuth2Request {
  return (method, url, headers, body, accessToken, callback) => {
    const target = new URL(url);
    if (accessToken) target.searchParams.set('access_token', accessToken); // unused: tokens go in the header
    const sent = Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !/^(host|content-length)$/i.test(name)));
    outbound
      .request(target.href, {
        method,
        headers: sent,
        body: body ? body.toString() : undefined,
        allow,
        timeoutMs: 15_000,
        maxBytes: 1024 * 1024,
      })
      .then(
        (res) =>
          process.nextTick(() =>
            res.status >= 200 && res.status < 300
              ? callback(null, res.body, { statusCode: res.status, headers: res.headers })
              : callback({ statusCode: res.status, data: res.body }),
          ),
        (error: unknown) => process.nextTick(() => callback(error instanceof Error ? error : new Error(String(error)))),
      );
  };
}
