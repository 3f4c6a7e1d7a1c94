import { jest } from '@jest/globals';
import { GOOGLE_STATE_COOKIE, type OAuthRequest, SignedCookieStateStore } from './google-oauth.strategy.js';

/** A request whose response records the cookies set and cleared, and which sends back `cookie` as its Cookie header. */
function exchange(cookie?: string) {
  const set: Record<string, string> = {};
  const cleared: string[] = [];
  const req = {
    headers: cookie ? { cookie } : {},
    res: {
      cookie: (name: string, value: string) => {
        set[name] = value;
      },
      clearCookie: (name: string) => {
        cleared.push(name);
      },
    },
  } as unknown as OAuthRequest;
  return { req, set, cleared };
}

describe('SignedCookieStateStore', () => {
  const store = new SignedCookieStateStore(Buffer.alloc(32, 7), false);

  function start(): { state: string; cookie: string } {
    const { req, set } = exchange();
    let state = '';
    store.store(req, {}, (_e, s) => {
      state = s!;
    });
    return { state, cookie: `${GOOGLE_STATE_COOKIE}=${encodeURIComponent(set[GOOGLE_STATE_COOKIE]!)}` };
  }

  function verify(cookie: string | undefined, state: unknown): { ok: boolean; cleared: string[] } {
    const { req, cleared } = exchange(cookie);
    let ok = false;
    store.verify(req, state, {}, (_e, accepted) => {
      ok = accepted;
    });
    return { ok, cleared };
  }

  afterEach(() => jest.useRealTimers());

  it('accepts the state with the cookie of the browser that started, and clears that cookie', () => {
    const { state, cookie } = start();
    expect(state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(verify(`other=1; ${cookie}`, state)).toEqual({ ok: true, cleared: [GOOGLE_STATE_COOKIE] });
  });

  it('refuses another state, no cookie, a cookie of another store key, and an expired pair', () => {
    const { state, cookie } = start();
    expect(verify(cookie, start().state).ok).toBe(false);
    expect(verify(undefined, state).ok).toBe(false);
    expect(verify(cookie, undefined).ok).toBe(false);
    const foreign = new SignedCookieStateStore(Buffer.alloc(32, 8), false);
    const { req, set } = exchange();
    let foreignState = '';
    foreign.store(req, {}, (_e, s) => {
      foreignState = s!;
    });
    expect(verify(`${GOOGLE_STATE_COOKIE}=${set[GOOGLE_STATE_COOKIE]}`, foreignState).ok).toBe(false);

    jest.useFakeTimers({ now: Date.now() + 11 * 60_000 });
    expect(verify(cookie, state).ok).toBe(false);
  });
});
