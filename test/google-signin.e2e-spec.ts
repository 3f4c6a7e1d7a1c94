import passport from 'passport';
import request from 'supertest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { createHost, HOST_PASSWORD } from './support/factories.js';
import { FakeGoogleCalendar, type FakeGoogleIdentity } from './support/fake-google-calendar.js';
import { freePort } from './support/free-port.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type Agent = ReturnType<typeof request.agent>;
/** Starting an app (migrations; PGlite on KAIROS_TEST_DB=embedded) on a busy 2-core machine can take over a minute. */
const START_TIMEOUT = 180_000;
const CALLBACK = 'http://kairos.test/admin/login/google/callback';

describe('Sign in with Google (e2e against a local fake Google)', () => {
  let t: TestApp;
  let google: FakeGoogleCalendar;

  beforeAll(async () => {
    google = await new FakeGoogleCalendar().start();
    t = await startTestApp({ env: { ...google.env } });
  }, START_TIMEOUT);
  afterAll(async () => {
    await t?.close();
    await google?.stop();
  });
  beforeEach(() => {
    google.oauth.consent = 'allow';
  });

  const browserAgent = (): Agent => request.agent(t.app.getHttpServer());

  /** Our start route → the fake consent screen (answers at once) → the callback URL it sends the browser to. */
  async function consent(agent: Agent, identity?: FakeGoogleIdentity, fake = google, callback = CALLBACK): Promise<string> {
    if (identity) fake.oauth.identity = identity;
    const start = await agent.get('/admin/login/google').expect(302);
    const consentUrl = new URL(start.headers.location);
    expect(consentUrl.origin + consentUrl.pathname).toBe(`${fake.url}/o/oauth2/v2/auth`);
    expect(Object.fromEntries(consentUrl.searchParams)).toMatchObject({
      client_id: fake.oauth.clientId,
      response_type: 'code',
      scope: 'openid email profile',
      redirect_uri: callback,
      state: expect.any(String),
    });
    expect(consentUrl.searchParams.has('access_type')).toBe(false); // sign-in wants no refresh token
    const back = await fetch(consentUrl, { redirect: 'manual' });
    expect(back.status).toBe(302);
    const target = new URL(back.headers.get('location')!);
    expect(target.origin + target.pathname).toBe(callback);
    return `${target.pathname}${target.search}`;
  }

  async function signIn(agent: Agent, identity?: FakeGoogleIdentity) {
    return agent.get(await consent(agent, identity)).expect(303);
  }

  const userRow = async (where: string, value: string) =>
    (await t.dataSource.query(`SELECT id, email, name, username, time_zone, google_subject FROM users WHERE ${where} = $1`, [value]))[0];

  it('offers the button on the login and sign-up pages', async () => {
    for (const path of ['/admin/login', '/admin/signup']) {
      const page = await t.http().get(path).expect(200);
      expect(page.text).toMatch(
        /<a class="button secondary" href="\/admin\/login\/google" data-detect-zone-link>Sign (in|up) with Google<\/a>/,
      );
    }
  });

  it('signs a new host up, then signs them in again by the Google account id, whatever the email says', async () => {
    const agent = browserAgent();
    const identity = { sub: '200000000000000000001', email: 'Marie.Curie@gmail.test', email_verified: true, name: 'Marie Curie' };
    const res = await signIn(agent, identity);
    expect(res.headers.location).toBe('/admin/welcome');
    const dashboard = await agent.get('/admin').expect(200);
    expect(dashboard.text).toContain('marie-curie');
    const row = await userRow('google_subject', identity.sub);
    // No ?tz= (a client without the script): UTC, changed in the welcome.
    expect(row).toMatchObject({ email: 'Marie.Curie@gmail.test', name: 'Marie Curie', username: 'marie-curie', time_zone: 'UTC' });

    // The code went to the fake's token endpoint and the token to userinfo, through our outbound client, the token
    // in a header (never in a URL).
    const [token] = google.requestsTo('POST', /^\/token$/).slice(-1);
    expect(token.headers['user-agent']).toBe('Kairos/1.0');
    expect(token.body).toMatchObject({ grant_type: 'authorization_code', redirect_uri: CALLBACK, client_id: 'google-client-id' });
    const [userinfo] = google.requestsTo('GET', /^\/v1\/userinfo$/).slice(-1);
    expect(userinfo.headers.authorization).toMatch(/^Bearer ya29\./);
    expect(userinfo.query.has('access_token')).toBe(false);

    // Later, from another browser, with another address at Google: the same host, no second account.
    const again = await signIn(browserAgent(), { ...identity, email: 'marie@elsewhere.test', email_verified: false });
    expect(again.headers.location).toBe('/admin');
    expect(
      await t.dataSource.query(`SELECT id FROM users WHERE google_subject = $1 OR lower(email) LIKE 'marie%'`, [identity.sub]),
    ).toEqual([{ id: row.id }]);

    // A second Google sign-up whose email folds to the same handle gets the next one.
    await signIn(browserAgent(), { sub: '200000000000000000002', email: 'marie.curie@other.test', email_verified: true, name: 'Marie C' });
    expect((await userRow('google_subject', '200000000000000000002')).username).toBe('marie-curie-2');
  });

  it('links an existing password account when Google has verified its email, and the password keeps working', async () => {
    const host = await createHost(t, { email: 'grace@example.com', name: 'Grace Hopper' });
    const agent = browserAgent();
    const res = await signIn(agent, { sub: '300000000000000000001', email: 'GRACE@example.com', email_verified: true, name: 'G. Hopper' });
    expect(res.headers.location).toBe('/admin');
    expect(await userRow('id', host.id)).toMatchObject({
      google_subject: '300000000000000000001',
      name: 'Grace Hopper',
      email: 'grace@example.com',
    });
    expect((await agent.get('/admin').expect(200)).text).toContain(host.username);
    // Google verified the address: the account's email counts as verified (no banner).
    expect((await t.http().get('/api/users/me').set(host.auth).expect(200)).body.email_verified).toBe(true);
    await t.http().post('/api/auth/login').send({ email: host.email, password: HOST_PASSWORD }).expect(200);

    // Another Google account with the same verified address cannot take the link over.
    const other = await signIn(browserAgent(), { sub: '300000000000000000002', email: 'grace@example.com', email_verified: true });
    expect(other.headers.location).toBe('/admin/login?google=linked_elsewhere');
    expect((await userRow('id', host.id)).google_subject).toBe('300000000000000000001');
  });

  it('refuses to link an account to a Google email that Google has not verified', async () => {
    const host = await createHost(t, { email: 'ada@example.com' });
    const agent = browserAgent();
    const res = await signIn(agent, { sub: '400000000000000000001', email: 'ada@example.com', email_verified: false, name: 'Mallory' });
    expect(res.headers.location).toBe('/admin/login?google=unverified');
    expect((await userRow('id', host.id)).google_subject).toBeNull();
    expect(await userRow('google_subject', '400000000000000000001')).toBeUndefined();
    // No session: the admin sends this browser to log in, and the login page says why.
    expect((await agent.get('/admin').expect(303)).headers.location).toMatch(/^\/admin\/login/);
    const page = await agent.get(res.headers.location).expect(200);
    expect(page.text).toContain('Google has not verified that the address is yours');
  });

  it('sends a person who cancels on the consent screen back to the login page with a message', async () => {
    google.oauth.consent = 'deny';
    const agent = browserAgent();
    const path = await consent(agent, { sub: '500000000000000000001', email: 'cancel@example.com', email_verified: true });
    expect(path).toContain('error=access_denied');
    const res = await agent.get(path).expect(303);
    expect(res.headers.location).toBe('/admin/login?google=cancelled');
    expect((await agent.get(res.headers.location).expect(200)).text).toContain('Google sign-in was cancelled');
    expect(await userRow('google_subject', '500000000000000000001')).toBeUndefined();
  });

  it('accepts the callback only in the browser that started it, with its own state, once', async () => {
    const identity = { sub: '600000000000000000001', email: 'state@example.com', email_verified: true };
    const refused = '/admin/login?google=bad_state';

    // A tampered state.
    const a = browserAgent();
    const tampered = (await consent(a, identity)).replace(/state=([^&]+)/, (_m, s: string) => `state=${s.slice(0, -2)}xx`);
    expect((await a.get(tampered).expect(303)).headers.location).toBe(refused);

    // A genuine callback opened in another browser (a login CSRF: the attacker's code in the victim's browser).
    const genuine = await consent(browserAgent(), identity);
    const victim = browserAgent();
    expect((await victim.get(genuine).expect(303)).headers.location).toBe(refused);
    expect((await victim.get('/admin').expect(303)).headers.location).toMatch(/^\/admin\/login/);

    // No code and no error; then the genuine flow works once, and replaying its callback is refused.
    const b = browserAgent();
    expect((await b.get('/admin/login/google/callback').expect(303)).headers.location).toBe(refused);
    const path = await consent(b, identity);
    expect((await b.get(path).expect(303)).headers.location).toBe('/admin/welcome');
    expect((await b.get(path).expect(303)).headers.location).toBe(refused);
    expect((await b.get('/admin/login?google=bad_state').expect(200)).text).toContain('not started from this browser');
    expect(await t.dataSource.query(`SELECT 1 FROM users WHERE google_subject = $1`, [identity.sub])).toHaveLength(1);
  });

  it("keeps the strategy out of passport's process-wide registry", () => {
    expect((passport as unknown as { _strategy(name: string): unknown })._strategy('google')).toBeUndefined();
  });

  describe('a second app in the same process, with its own fake Google (driven by a browser)', () => {
    let t2: TestApp;
    let google2: FakeGoogleCalendar;
    let base: string;
    let browser: Browser;
    let closeBrowser: () => Promise<void>;

    beforeAll(async () => {
      google2 = await new FakeGoogleCalendar('second-client-id', 'second-client-secret').start();
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      t2 = await startTestApp({
        env: {
          ...google2.env,
          PUBLIC_URL: base,
          // The credential limiter as in production, small enough to reach: failures per address.
          RATE_LIMIT_ENABLED: 'true',
          RATE_LIMIT_CREDENTIAL_ADDRESS_MAX: '4',
        },
      });
      await t2.app.listen(port, '127.0.0.1');
      ({ browser, close: closeBrowser } = await launchBrowser());
    }, START_TIMEOUT);
    afterAll(async () => {
      await closeBrowser?.();
      await t2?.close();
      await google2?.stop();
    });

    it('a host clicks "Sign up with Google", passes the consent screen and lands in the admin', async () => {
      google2.oauth.identity = { sub: '700000000000000000001', email: 'lin@gmail.test', email_verified: true, name: 'Lin Second' };
      const context = await browser.newContext({ baseURL: base, timezoneId: 'Asia/Tokyo' });
      context.setDefaultTimeout(20_000);
      const page = await context.newPage();
      await page.goto('/admin/signup');
      await page.click('a:has-text("Sign up with Google")');
      await page.waitForURL(`${base}/admin/welcome/hours`);
      // The browser's zone went along (kairos.js adds ?tz= to the link): the account, its starter hours and type.
      expect(await page.inputValue('#time_zone')).toBe('Asia/Tokyo');
      const [lin] = await t2.dataSource.query(
        `SELECT id, time_zone, email_verified_at FROM users WHERE google_subject = '700000000000000000001'`,
      );
      expect(lin.time_zone).toBe('Asia/Tokyo');
      expect(lin.email_verified_at).not.toBeNull(); // Google said the address is verified
      expect(await t2.dataSource.query(`SELECT time_zone FROM schedules WHERE user_id = $1`, [lin.id])).toEqual([
        { time_zone: 'Asia/Tokyo' },
      ]);
      expect(await t2.dataSource.query(`SELECT slug FROM meeting_types WHERE user_id = $1`, [lin.id])).toEqual([{ slug: '30min' }]);
      await page.goto('/admin');
      await page.locator('text=lin').first().waitFor();
      expect(new URL(page.url()).pathname).toBe('/admin');
      await context.close();
      const [row] = await t2.dataSource.query(`SELECT username FROM users WHERE google_subject = $1`, ['700000000000000000001']);
      expect(row).toEqual({ username: 'lin' });
    });

    it('each app keeps its own Google client and endpoints', async () => {
      const tokensBefore = google.requestsTo('POST', /^\/token$/).length;
      // The second app (built last) talks to the second fake...
      const agent2 = request.agent(t2.app.getHttpServer());
      const path2 = await consent(
        agent2,
        { sub: '800000000000000000001', email: 'two@example.com', email_verified: true },
        google2,
        `${base}/admin/login/google/callback`,
      );
      expect((await agent2.get(path2).expect(303)).headers.location).toBe('/admin/welcome');
      expect(google2.requestsTo('POST', /^\/token$/).at(-1)!.body.client_id).toBe('second-client-id');
      // ...and the first still to the first, with its own client (not replaced by the second app's strategy).
      const agent1 = browserAgent();
      expect(
        (
          await agent1
            .get(await consent(agent1, { sub: '800000000000000000002', email: 'one@example.com', email_verified: true }))
            .expect(303)
        ).headers.location,
      ).toBe('/admin/welcome');
      expect(google.requestsTo('POST', /^\/token$/)).toHaveLength(tokensBefore + 1);
      expect(google.requestsTo('POST', /^\/token$/).at(-1)!.body.client_id).toBe('google-client-id');
      expect(await t.dataSource.query(`SELECT 1 FROM users WHERE google_subject = '800000000000000000001'`)).toHaveLength(0);
    });

    it('counts failed callbacks against the credential limiter, like wrong passwords', async () => {
      const agent = request.agent(t2.app.getHttpServer());
      for (let i = 0; i < 4; i++) {
        expect((await agent.get('/admin/login/google/callback?code=forged&state=forged').expect(303)).headers.location).toBe(
          '/admin/login?google=bad_state',
        );
      }
      const blocked = await agent.get('/admin/login/google/callback?code=forged&state=forged').expect(303);
      expect(blocked.headers.location).toBe('/admin/login?google=rate_limited');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      // The same address is blocked for passwords too: one limiter for every credential check.
      await t2.http().post('/api/auth/login').send({ email: 'lin@gmail.test', password: 'whatever-password' }).expect(429);
    });
  });

  describe('without a Google OAuth client', () => {
    let off: TestApp;
    beforeAll(async () => {
      off = await startTestApp({ env: { GOOGLE_CLIENT_ID: undefined, GOOGLE_CLIENT_SECRET: undefined } });
    }, START_TIMEOUT);
    afterAll(async () => {
      await off?.close();
    });

    it('shows no button and answers 404 on the routes', async () => {
      for (const path of ['/admin/login', '/admin/signup'])
        expect((await off.http().get(path).expect(200)).text).not.toContain('with Google');
      await off.http().get('/admin/login/google').expect(404);
      await off.http().get('/admin/login/google/callback?code=x&state=y').expect(404);
    });
  });
});
