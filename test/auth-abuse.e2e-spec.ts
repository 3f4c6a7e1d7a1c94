import { createHmac } from 'node:crypto';
import type { Response } from 'supertest';
import { HOST_PASSWORD, createHost, type TestHost } from './support/factories.js';
import { TestSmtpServer } from './support/mail.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 12, items 4, 5, 6 (deleted accounts) and 7 (account deletion): sessions and tokens that outlive logout or a
 * credential change, password guessing without limits, weak passwords, password reset, and destructive actions
 * without proof of the password. Each test replays the attack and expects it refused.
 */
const NOW = '2027-03-01T12:00:00Z';
const ACCOUNT_MAX = 3;
const ADDRESS_MAX = 5;
const NEW_PASSWORD = 'a-new-long-passphrase';

let t: TestApp;
let smtp: TestSmtpServer;
let ipSeq = 0;
/** A client address of the test's own (the app trusts X-Forwarded-For from loopback, as it does from nginx). */
const freshIp = () => `198.51.100.${++ipSeq}`;

/** A cookie jar over supertest for the admin pages: keeps cookies, reads each form's CSRF token. */
class AdminBrowser {
  readonly cookies = new Map<string, string>();
  constructor(readonly ip = freshIp()) {}

  private header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response) {
    const set = res.headers['set-cookie'] as unknown as string[] | undefined;
    for (const c of set ?? []) {
      const pair = c.split(';')[0]!;
      const i = pair.indexOf('=');
      const [name, value] = [pair.slice(0, i), pair.slice(i + 1)];
      if (!value || /expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  async get(path: string) {
    return this.keep(await t.http().get(path).set('Cookie', this.header()).set('X-Forwarded-For', this.ip));
  }

  /** Posts a form with the CSRF token of the page at `formPage` (by default the path itself). */
  async post(path: string, form: Record<string, string>, formPage = path) {
    const page = await this.get(formPage);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    if (!csrf) throw new Error(`no form on ${formPage}: ${page.status}`);
    return this.keep(
      await t
        .http()
        .post(path)
        .type('form')
        .set('Cookie', this.header())
        .set('X-Forwarded-For', this.ip)
        .send({ _csrf: csrf, ...form }),
    );
  }

  async logIn(email: string, password = HOST_PASSWORD) {
    const res = await this.post('/admin/login', { email, password });
    expect(res.status).toBe(303);
    return res;
  }

  session() {
    return this.cookies.get('kairos_session');
  }
}

/** Signed in to the admin? (an admin page answers 200; a refused session is sent to the login page). */
async function signedIn(b: AdminBrowser) {
  const res = await b.get('/admin/api-keys');
  if (res.status === 200) return true;
  expect(res.status).toBe(303);
  expect(res.headers.location).toMatch(/^\/admin\/login/);
  return false;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const login = (email: string, password: string, ip = freshIp()) =>
  t.http().post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });
async function tokenOf(host: TestHost, password = HOST_PASSWORD) {
  return (await login(host.email, password).expect(200)).body.access_token as string;
}
async function apiKeyOf(host: TestHost) {
  return (await t.http().post('/api/api-keys').set(host.auth).send({ name: 'ci' }).expect(201)).body.key as string;
}

/** Waits for the reset mail to `email` (the mail leaves after the 202) and returns the token of its link. */
async function resetTokenFor(email: string, count = 1): Promise<string> {
  for (let i = 0; i < 200 && smtp.to(email).length < count; i++) await new Promise((r) => setTimeout(r, 25));
  const mail = smtp.to(email)[count - 1];
  if (!mail) throw new Error(`no reset mail for ${email}`);
  expect(mail.subject).toBe('Reset your Kairos password');
  const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  expect(mail.text).toContain('http://kairos.test/admin/reset-password?token=');
  return token!;
}

beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  t = await startTestApp({
    now: NOW,
    env: {
      SMTP_URL: smtp.url,
      OUTBOX_POLL_INTERVAL_MS: '0',
      NOTIFY_SWEEP_INTERVAL_MS: '0',
      // Only the credential limiter is under test: the general and per-route limits are out of reach.
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_MAX: '100000',
      RATE_LIMIT_LOGIN_MAX: '100000',
      RATE_LIMIT_BOOKING_MAX: '100000',
      RATE_LIMIT_CREDENTIAL_ACCOUNT_MAX: String(ACCOUNT_MAX),
      RATE_LIMIT_CREDENTIAL_ADDRESS_MAX: String(ADDRESS_MAX),
      PASSWORD_RESET_TTL_MINUTES: '60',
    },
  });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe('item 4: sessions and tokens end with logout and credential changes', () => {
  it('an admin session cookie is refused after logout, and cannot mint API keys', async () => {
    const host = await createHost(t);
    const browser = new AdminBrowser();
    await browser.logIn(host.email);
    const stolen = browser.session()!;
    expect(await signedIn(browser)).toBe(true);
    expect((await browser.post('/admin/logout', {}, '/admin')).status).toBe(303);
    expect(browser.session()).toBeUndefined();

    // The attacker replays the copied cookie: the session ended on the server, not just in the browser.
    const attacker = new AdminBrowser();
    attacker.cookies.set('kairos_session', stolen);
    expect(await signedIn(attacker)).toBe(false);
    const mint = await attacker.post('/admin/api-keys', { name: 'backdoor' }, '/admin/login');
    expect(mint.status).toBe(303);
    expect(mint.headers.location).toMatch(/^\/admin\/login/);
    const keys = await t.http().get('/api/api-keys').set(host.auth).expect(200);
    expect(keys.body).toEqual([]);
    // Sessions are stored hashed: the cookie's secret is nowhere in the table.
    const rows = await t.dataSource.query(`SELECT * FROM user_sessions WHERE user_id = $1`, [host.id]);
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(decodeURIComponent(stolen).slice(2, 30));
  });

  it('a password change (admin) revokes every session and access token; the changing session is re-issued', async () => {
    const host = await createHost(t);
    const token = await tokenOf(host);
    const mine = new AdminBrowser();
    await mine.logIn(host.email);
    const other = new AdminBrowser();
    await other.logIn(host.email);
    const oldCookie = mine.session()!;

    const res = await mine.post(
      '/admin/profile/password',
      { current_password: HOST_PASSWORD, new_password: NEW_PASSWORD, confirm_password: NEW_PASSWORD },
      '/admin/profile',
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/profile?saved=password');

    expect(await signedIn(mine)).toBe(true); // re-issued: a new cookie
    expect(mine.session()).not.toBe(oldCookie);
    expect(await signedIn(other)).toBe(false); // another browser (maybe the attacker's) is out
    const replay = new AdminBrowser();
    replay.cookies.set('kairos_session', oldCookie);
    expect(await signedIn(replay)).toBe(false);
    for (const auth of [bearer(token), host.auth]) {
      const refused = await t.http().get('/api/users/me').set(auth).expect(401);
      expect(refused.body).toMatchObject({ status_code: 401, error: 'Unauthorized' });
      await t.http().post('/api/api-keys').set(auth).send({ name: 'x' }).expect(401);
    }
    await login(host.email, HOST_PASSWORD).expect(401);
    await t
      .http()
      .get('/api/users/me')
      .set(bearer(await tokenOf(host, NEW_PASSWORD)))
      .expect(200);
  });

  it('a password change (API) revokes access tokens and sessions; API keys are kept (ADR 0006); an API key cannot change it', async () => {
    const host = await createHost(t);
    const second = await tokenOf(host);
    const key = await apiKeyOf(host);
    const browser = new AdminBrowser();
    await browser.logIn(host.email);

    const viaKey = await t
      .http()
      .post('/api/users/me/password')
      .set(bearer(key))
      .send({ current_password: HOST_PASSWORD, new_password: NEW_PASSWORD })
      .expect(403);
    expect(viaKey.body.message).toMatch(/API key cannot change the password/);
    const wrong = await t
      .http()
      .post('/api/users/me/password')
      .set(host.auth)
      .set('X-Forwarded-For', freshIp())
      .send({ current_password: 'not-my-password', new_password: NEW_PASSWORD })
      .expect(403);
    expect(wrong.body).toMatchObject({ status_code: 403, message: 'current_password is incorrect' });
    await t
      .http()
      .post('/api/users/me/password')
      .set(host.auth)
      .send({ current_password: HOST_PASSWORD, new_password: NEW_PASSWORD })
      .expect(204);

    await t.http().get('/api/users/me').set(host.auth).expect(401);
    await t.http().get('/api/users/me').set(bearer(second)).expect(401);
    expect(await signedIn(browser)).toBe(false);
    await t.http().get('/api/users/me').set(bearer(key)).expect(200);
  });

  it('an email change revokes every access token and other sessions; the changing session stays', async () => {
    const host = await createHost(t);
    const token = await tokenOf(host);
    const mine = new AdminBrowser();
    await mine.logIn(host.email);
    const other = new AdminBrowser();
    await other.logIn(host.email);
    const newEmail = `moved-${host.username}@example.com`;
    const res = await mine.post('/admin/profile/email', { email: newEmail, password: HOST_PASSWORD }, '/admin/profile');
    expect(res.status).toBe(303);
    expect(await signedIn(mine)).toBe(true);
    expect(await signedIn(other)).toBe(false);
    await t.http().get('/api/users/me').set(bearer(token)).expect(401);
    await t.http().get('/api/users/me').set(host.auth).expect(401);
    await login(newEmail, HOST_PASSWORD).expect(200);
  });
});

describe('access tokens are verified by the app itself', () => {
  it('refuses forged tokens: another secret, alg "none", another token type, a generation from the future', async () => {
    const host = await createHost(t);
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const sign = (payload: object, secret: string, header: object = { alg: 'HS256', typ: 'JWT' }) => {
      const head = `${b64(header)}.${b64(payload)}`;
      return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
    };
    const exp = Math.floor(Date.now() / 1000) + 600;
    const secret = 'test-secret-that-is-long-enough-0123456789'; // the suite's JWT_SECRET
    // Sanity: a token made like the app's own is accepted, so the refusals below are about what was changed.
    await t
      .http()
      .get('/api/users/me')
      .set(bearer(sign({ sub: host.id, typ: 'access', gen: 0, exp }, secret)))
      .expect(200);
    const forged = [
      sign({ sub: host.id, typ: 'access', gen: 0, exp }, 'another-secret-entirely-0123456789'),
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: host.id, typ: 'access', gen: 0, exp })}.`,
      sign({ sub: host.id, typ: 'refresh', gen: 0, exp }, secret),
      sign({ sub: host.id, typ: 'access', gen: 7, exp }, secret),
    ];
    for (const token of forged) await t.http().get('/api/users/me').set(bearer(token)).expect(401);
  });
});

describe('item 6 (part): a still-valid token of a deleted account is 401 everywhere', () => {
  it('POST /api/api-keys, POST /api/teams, meeting types and the rest answer 401, not 500 or 400', async () => {
    const host = await createHost(t);
    const leftover = await tokenOf(host); // another device's token, still unexpired
    const browser = new AdminBrowser();
    await browser.logIn(host.email);
    await t.http().delete('/api/users/me').set(host.auth).send({ password: HOST_PASSWORD }).expect(204);

    const calls: [string, () => Promise<Response>][] = [
      ['POST /api/api-keys', () => t.http().post('/api/api-keys').set(bearer(leftover)).send({ name: 'x' })],
      ['POST /api/teams', () => t.http().post('/api/teams').set(bearer(leftover)).send({ name: 'Ghosts' })],
      [
        'POST /api/meeting-types',
        () => t.http().post('/api/meeting-types').set(bearer(leftover)).send({ name: 'Intro', duration_minutes: 30 }),
      ],
      ['GET /api/meeting-types', () => t.http().get('/api/meeting-types').set(bearer(leftover))],
      ['GET /api/users/me', () => t.http().get('/api/users/me').set(bearer(leftover))],
      ['POST /api/availability/rules', () => t.http().post('/api/availability/rules').set(bearer(leftover)).send({ rules: [] })],
    ];
    for (const [name, call] of calls) {
      const res = await call();
      expect([name, res.status]).toEqual([name, 401]);
      expect(res.body).toMatchObject({ status_code: 401, error: 'Unauthorized' });
    }
    expect(await signedIn(browser)).toBe(false);
  });
});

describe('item 7 (part): DELETE /api/users/me needs the password and refuses API keys', () => {
  it('without the password 400, with a wrong one 403, with an API key 403; nothing is deleted', async () => {
    const host = await createHost(t);
    const key = await apiKeyOf(host);
    const missing = await t.http().delete('/api/users/me').set(host.auth).expect(400);
    expect(missing.body).toMatchObject({ status_code: 400, error: 'Bad Request' });
    expect(missing.body.message).toMatch(/password/);
    const wrong = await t
      .http()
      .delete('/api/users/me')
      .set(host.auth)
      .set('X-Forwarded-For', freshIp())
      .send({ password: 'not-my-password' })
      .expect(403);
    expect(wrong.body).toMatchObject({ status_code: 403, message: 'password is incorrect' });
    const viaKey = await t.http().delete('/api/users/me').set(bearer(key)).send({ password: HOST_PASSWORD }).expect(403);
    expect(viaKey.body.message).toMatch(/API key cannot delete the account/);
    // A key cannot mint more keys either (a leaked key must not outlive its revocation through successors).
    const mint = await t.http().post('/api/api-keys').set(bearer(key)).send({ name: 'successor' }).expect(403);
    expect(mint.body.message).toMatch(/API key cannot create API keys/);
    await t.http().get('/api/users/me').set(host.auth).expect(200);
    await t.http().delete('/api/users/me').set(host.auth).send({ password: HOST_PASSWORD }).expect(204);
    await t.http().get('/api/users/me').set(bearer(key)).expect(401);
  });

  it('the admin delete form asks for the password too', async () => {
    const host = await createHost(t);
    const browser = new AdminBrowser();
    await browser.logIn(host.email);
    const page = await browser.get('/admin/profile');
    expect(page.text).toContain('id="delete_password"');
    const noPassword = await browser.post('/admin/profile/delete', { confirm: host.username }, '/admin/profile');
    expect(noPassword.status).toBe(400);
    expect(noPassword.text).toContain('Enter your current password to delete your account.');
    const wrong = await browser.post('/admin/profile/delete', { confirm: host.username, password: 'not-my-password' }, '/admin/profile');
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('That is not your current password.');
    await t.http().get('/api/users/me').set(host.auth).expect(200);
    const ok = await browser.post('/admin/profile/delete', { confirm: host.username, password: HOST_PASSWORD }, '/admin/profile');
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/admin/login?deleted=1');
    await t.http().get('/api/users/me').set(host.auth).expect(401);
  });
});

describe('item 5: one limiter for every credential check, per account and per address', () => {
  it(`admin login form: after ${ACCOUNT_MAX} wrong passwords for one account (from several addresses), 429 with Retry-After, even with the right password`, async () => {
    const host = await createHost(t);
    for (let i = 0; i < ACCOUNT_MAX; i++) {
      const res = await new AdminBrowser().post('/admin/login', { email: host.email, password: `guess-number-${i}` });
      expect(res.status).toBe(401);
      expect(res.text).toContain('The email or password is incorrect.');
    }
    const blocked = await new AdminBrowser().post('/admin/login', { email: host.email, password: 'guess-number-x' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.text).toMatch(/Too many failed attempts\. Please retry later/);
    const right = await new AdminBrowser().post('/admin/login', { email: host.email.toUpperCase(), password: HOST_PASSWORD });
    expect(right.status).toBe(429);
    // The API login shares the account's bucket: one limiter.
    const api = await login(host.email, HOST_PASSWORD).expect(429);
    expect(api.body).toMatchObject({ status_code: 429, error: 'Too Many Requests' });
    expect(Number(api.headers['retry-after'])).toBeGreaterThan(0);
  });

  it(`admin login form: one address guessing across accounts is refused after ${ADDRESS_MAX} failures`, async () => {
    const attacker = new AdminBrowser();
    for (let i = 0; i < ADDRESS_MAX; i++) {
      expect(
        (await attacker.post('/admin/login', { email: `victim-${i}-${attacker.ip}@example.com`, password: 'guess-one-two' })).status,
      ).toBe(401);
    }
    const blocked = await attacker.post('/admin/login', { email: `victim-x-${attacker.ip}@example.com`, password: 'guess-one-two' });
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    // Another address is not affected.
    expect(
      (await new AdminBrowser().post('/admin/login', { email: `victim-x-${attacker.ip}@example.com`, password: 'guess-one-two' })).status,
    ).toBe(401);
  });

  it('API login: per account and per address, 429 with Retry-After', async () => {
    const host = await createHost(t);
    for (let i = 0; i < ACCOUNT_MAX; i++) await login(host.email, `wrong-guess-${i}`).expect(401);
    const byAccount = await login(host.email, 'wrong-guess-x').expect(429);
    expect(byAccount.body.message).toMatch(/too many attempts: try again in \d+ s/);
    expect(Number(byAccount.headers['retry-after'])).toBeGreaterThan(0);

    const ip = freshIp();
    for (let i = 0; i < ADDRESS_MAX; i++) await login(`nobody-${i}-${ip}@example.com`, 'wrong-guess', ip).expect(401);
    const byAddress = await login(`nobody-x-${ip}@example.com`, 'wrong-guess', ip).expect(429);
    expect(Number(byAddress.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('wrong API keys and wrong current passwords count too', async () => {
    const ip = freshIp();
    for (let i = 0; i < ADDRESS_MAX; i++)
      await t
        .http()
        .get('/api/users/me')
        .set('X-Forwarded-For', ip)
        .set(bearer(`kai_guess${i}`))
        .expect(401);
    const keys = await t.http().get('/api/users/me').set('X-Forwarded-For', ip).set(bearer('kai_guessx')).expect(429);
    expect(keys.headers['retry-after']).toBeDefined();

    const host = await createHost(t);
    for (let i = 0; i < ACCOUNT_MAX; i++) {
      await t
        .http()
        .delete('/api/users/me')
        .set(host.auth)
        .set('X-Forwarded-For', freshIp())
        .send({ password: `guess-${i}-guess` })
        .expect(403);
    }
    const checks = await t
      .http()
      .delete('/api/users/me')
      .set(host.auth)
      .set('X-Forwarded-For', freshIp())
      .send({ password: HOST_PASSWORD })
      .expect(429);
    expect(checks.headers['retry-after']).toBeDefined();
    await t.http().get('/api/users/me').set(host.auth).expect(200); // not deleted
  });
});

describe('item 5: weak passwords are refused', () => {
  it('a common password or one containing the email or username: 400 on sign-up, change and in the admin form', async () => {
    const body = (n: string, password: string) => ({ email: `${n}@example.com`, name: 'Weak', password, time_zone: 'UTC', username: n });
    const common = await t.http().post('/api/users').send(body('weak-one', 'password123')).expect(400);
    expect(common.body).toMatchObject({
      status_code: 400,
      error: 'Bad Request',
      errors: [{ field: 'password', messages: [expect.stringMatching(/too common/)] }],
    });
    const own = await t.http().post('/api/users').send(body('grace-hopper', 'grace-hopper-1906')).expect(400);
    expect(own.body.message).toMatch(/must not contain your email address or username/);
    const email = await t
      .http()
      .post('/api/users')
      .send({ ...body('weak-two', 'x'), password: 'weak-two@example.com' })
      .expect(400);
    expect(email.body.message).toMatch(/email address or username/);
    expect(await t.dataSource.query(`SELECT id FROM users WHERE username IN ('weak-one', 'grace-hopper', 'weak-two')`)).toEqual([]);

    const host = await createHost(t);
    const change = await t
      .http()
      .post('/api/users/me/password')
      .set(host.auth)
      .send({ current_password: HOST_PASSWORD, new_password: 'iloveyou' })
      .expect(400);
    expect(change.body).toMatchObject({ errors: [{ field: 'new_password', messages: [expect.stringMatching(/too common/)] }] });
    await t.http().get('/api/users/me').set(host.auth).expect(200); // nothing changed, nothing revoked

    const form = await new AdminBrowser().post('/admin/signup', {
      name: 'Weak',
      email: 'weak-form@example.com',
      username: 'weak-form',
      time_zone: 'UTC',
      password: 'qwertyuiop',
    });
    expect(form.status).toBe(400);
    expect(form.text).toMatch(/id="password-error"[^>]*>[^<]*too common/);

    // Every mistake comes back at once: a reserved username and a weak password beside the other fields' problems.
    const all = await new AdminBrowser().post('/admin/signup', {
      name: '',
      email: 'nope',
      username: 'admin',
      time_zone: 'UTC',
      password: 'qwertyuiop',
    });
    expect(all.status).toBe(400);
    expect(all.text).toMatch(/id="name-error"[^>]*>[^<]*must not be empty/);
    expect(all.text).toMatch(/id="email-error"[^>]*>[^<]*valid email address/);
    expect(all.text).toMatch(/id="username-error"[^>]*>[^<]*reserved/);
    expect(all.text).toMatch(/id="password-error"[^>]*>[^<]*too common/);
    const api = await t
      .http()
      .post('/api/users')
      .send({ email: 'all-wrong@example.com', name: 'All', username: 'admin', time_zone: 'UTC', password: 'qwertyuiop' })
      .expect(400);
    expect(api.body.errors).toEqual([
      { field: 'username', messages: ['username "admin" is reserved; choose another'], codes: ['reserved'] },
      { field: 'password', messages: [expect.stringMatching(/too common/)], codes: ['too_common'] },
    ]);
  });
});

describe('item 5: password reset by email', () => {
  it('202 with the same body for known and unknown emails; a single-use link sets the password and revokes every session', async () => {
    const host = await createHost(t);
    const oldToken = await tokenOf(host);
    const browser = new AdminBrowser();
    await browser.logIn(host.email);

    const known = await t
      .http()
      .post('/api/auth/password-reset')
      .set('X-Forwarded-For', freshIp())
      .send({ email: host.email.toUpperCase() })
      .expect(202);
    const unknown = await t
      .http()
      .post('/api/auth/password-reset')
      .set('X-Forwarded-For', freshIp())
      .send({ email: `nobody-${host.username}@example.com` })
      .expect(202);
    expect(unknown.body).toEqual(known.body);
    expect(known.body).toEqual({ message: 'If an account exists for this email, a link to reset its password has been sent.' });
    await t.http().post('/api/auth/password-reset').send({ email: 'not-an-email' }).expect(400);

    const token = await resetTokenFor(host.email);
    expect(smtp.to(`nobody-${host.username}@example.com`)).toEqual([]);
    // Stored hashed.
    const rows = await t.dataSource.query(`SELECT * FROM password_resets WHERE user_id = $1`, [host.id]);
    expect(JSON.stringify(rows)).not.toContain(token);

    const page = await new AdminBrowser().get(`/admin/reset-password?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    // A weak password is refused without spending the link.
    const weak = await t.http().post('/api/auth/password-reset/confirm').send({ token, new_password: 'password1' }).expect(400);
    expect(weak.body.errors).toEqual([{ field: 'new_password', messages: [expect.stringMatching(/too common/)], codes: ['too_common'] }]);
    await t.http().post('/api/auth/password-reset/confirm').send({ token, new_password: NEW_PASSWORD }).expect(204);

    await t.http().get('/api/users/me').set(bearer(oldToken)).expect(401);
    expect(await signedIn(browser)).toBe(false);
    await login(host.email, HOST_PASSWORD).expect(401);
    await login(host.email, NEW_PASSWORD).expect(200);
    const again = await t
      .http()
      .post('/api/auth/password-reset/confirm')
      .send({ token, new_password: 'yet-another-passphrase' })
      .expect(400);
    expect(again.body).toMatchObject({ status_code: 400, message: expect.stringMatching(/invalid, was already used or has expired/) });
    await t.http().post('/api/auth/password-reset/confirm').send({ token: 'made-up', new_password: 'yet-another-passphrase' }).expect(400);
  });

  it('an expired link is refused (pinned clock)', async () => {
    const host = await createHost(t);
    await t.http().post('/api/auth/password-reset').set('X-Forwarded-For', freshIp()).send({ email: host.email }).expect(202);
    const token = await resetTokenFor(host.email);
    t.clock!.advance(61 * 60_000);
    try {
      await t.http().post('/api/auth/password-reset/confirm').send({ token, new_password: NEW_PASSWORD }).expect(400);
      expect((await new AdminBrowser().get(`/admin/reset-password?token=${token}`)).status).toBe(400);
      await login(host.email, HOST_PASSWORD).expect(200);
    } finally {
      t.clock!.set(NOW);
    }
  });

  it('the admin pages: "Forgot password?" on the login page, the same answer for any email, then the new password', async () => {
    const host = await createHost(t);
    const browser = new AdminBrowser();
    expect((await browser.get('/admin/login')).text).toContain('href="/admin/forgot-password"');
    const unknown = await browser.post('/admin/forgot-password', { email: `ghost-${host.username}@example.com` });
    const known = await new AdminBrowser().post('/admin/forgot-password', { email: host.email });
    expect([unknown.status, known.status]).toEqual([200, 200]);
    const sentText = (html: string) => /<div class="alert ok" role="status">([\s\S]*?)<\/div>/.exec(html)?.[1];
    expect(sentText(known.text)).toBeDefined();
    expect(sentText(unknown.text)).toBe(sentText(known.text));
    const token = await resetTokenFor(host.email);

    const differ = await browser.post(
      '/admin/reset-password',
      { token, new_password: NEW_PASSWORD, confirm_password: 'something-else' },
      `/admin/reset-password?token=${token}`,
    );
    expect(differ.status).toBe(400);
    const weak = await browser.post(
      '/admin/reset-password',
      { token, new_password: '123456789', confirm_password: '123456789' },
      `/admin/reset-password?token=${token}`,
    );
    expect(weak.status).toBe(400);
    expect(weak.text).toMatch(/id="new_password-error"[^>]*>[^<]*too common/);
    const done = await browser.post(
      '/admin/reset-password',
      { token, new_password: NEW_PASSWORD, confirm_password: NEW_PASSWORD },
      `/admin/reset-password?token=${token}`,
    );
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/admin/login?reset=1');
    await browser.logIn(host.email, NEW_PASSWORD);
    expect(await signedIn(browser)).toBe(true);
  });
});

describe('item 5: without Redis the credential limiter holds in memory (one instance)', () => {
  it('the block and its Retry-After come from the in-process storage', async () => {
    const solo = await startTestApp({
      redis: false,
      env: { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_LOGIN_MAX: '100000', RATE_LIMIT_CREDENTIAL_ACCOUNT_MAX: '1' },
    });
    try {
      await solo.http().post('/api/auth/login').send({ email: 'solo@example.com', password: 'wrong-guess' }).expect(401);
      const res = await solo.http().post('/api/auth/login').send({ email: 'solo@example.com', password: 'wrong-guess' }).expect(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await solo.close();
    }
  });
});
