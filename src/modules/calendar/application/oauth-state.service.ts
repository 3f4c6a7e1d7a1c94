import { Injectable } from '@nestjs/common';
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { AppConfig } from '../../../config/app-config.js';
import { CacheStore } from '../../../shared/cache/cache-store.js';
import { Clock } from '../../../shared/clock/clock.js';
import { invalid } from '../../../shared/http/domain-error.js';
import { safeEqual } from '../../../shared/security/tokens.js';

interface StatePayload {
  uid: string;
  p: string; // provider
  n: string; // nonce
  exp: number; // epoch seconds
  r?: string; // where the browser goes back to after the callback (an /admin path), when not the default
}

const STATE_TTL_SECONDS = 600;

/**
 * The OAuth `state`: user id, provider, nonce and expiry, HMAC-signed with a key derived from the app secret.
 * The callback is public (the browser comes back from the provider without our token), so the state is what says
 * whose connection this is; each state is accepted once.
 */
@Injectable()
export class OAuthStateService {
  private readonly key: Buffer;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
    private readonly cache: CacheStore,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', config.appSecret, 'kairos', 'calendar-oauth-state', 32));
  }

  private sign(data: string) {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }

  issue(userId: string, provider: string, returnTo?: string): string {
    const payload: StatePayload = {
      uid: userId,
      p: provider,
      n: randomBytes(16).toString('base64url'),
      exp: Math.floor(this.clock.now().getTime() / 1000) + STATE_TTL_SECONDS,
      ...(returnTo && isAdminPath(returnTo) ? { r: returnTo } : {}),
    };
    const data = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${data}.${this.sign(data)}`;
  }

  /**
   * The admin page a signed state asks the callback to return to, or null (unsigned, unparsable or none given).
   * Only where to send the browser: consume() still decides whether the state is accepted.
   */
  returnTarget(state: string | undefined): string | null {
    const [data, signature] = (state ?? '').split('.');
    if (!data || !signature || !safeEqual(signature, this.sign(data))) return null;
    try {
      const r = (JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as StatePayload).r;
      return typeof r === 'string' && isAdminPath(r) ? r : null;
    } catch {
      return null;
    }
  }

  /** The user id the state was issued to; a tampered, expired, reused or foreign state is a 400. */
  async consume(state: string | undefined, provider: string): Promise<string> {
    const [data, signature] = (state ?? '').split('.');
    if (!data || !signature || !safeEqual(signature, this.sign(data))) throw invalid('OAuth state is missing or invalid');
    let payload: StatePayload;
    try {
      payload = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as StatePayload;
    } catch {
      throw invalid('OAuth state is missing or invalid');
    }
    if (payload.p !== provider) throw invalid('OAuth state was issued for another provider');
    if (payload.exp * 1000 < this.clock.now().getTime()) throw invalid('OAuth state has expired: start the connection again');
    const nonceKey = `cal-oauth-nonce:${payload.n}`;
    if (await this.cache.get(nonceKey)) throw invalid('OAuth state was already used: start the connection again');
    await this.cache.set(nonceKey, '1', STATE_TTL_SECONDS + 60);
    return payload.uid;
  }
}

/** A same-site admin path (never `//host` or a full URL): the state can only send the browser back into the admin. */
const isAdminPath = (path: string) => /^\/admin(\/[a-z0-9\-/]*)?$/.test(path);
