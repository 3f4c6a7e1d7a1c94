import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { EmailVerificationService } from '../src/modules/identity/application/email-verification.service.js';
import { UsersService } from '../src/modules/identity/application/users.service.js';
import { documentScreenshot, launchBrowser, seriousViolations } from './support/browser.js';
import { freePort } from './support/free-port.js';
import { TestSmtpServer } from './support/mail.js';
import { invitee } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC (07:00 in New York, on EST until 14 March).
const NOW = '2027-03-01T12:00:00Z';
const PASSWORD = 'correct-horse-battery';
const ZONE = 'America/New_York';

describe('sign-up, the welcome and email verification (headless Chromium)', () => {
  let t: TestApp;
  let base: string;
  let smtp: TestSmtpServer;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await startTestApp({ now: NOW, env: { SMTP_URL: smtp.url, PUBLIC_URL: base } });
    await t.app.listen(port, '127.0.0.1');
    ({ browser, close: closeBrowser } = await launchBrowser());
    context = await browser.newContext({
      baseURL: base,
      bypassCSP: true,
      timezoneId: ZONE,
      locale: 'en-US',
      viewport: { width: 1280, height: 900 },
    });
    context.setDefaultTimeout(20_000); // argon2 on a shared 2-core machine
    page = await context.newPage();
  });

  afterAll(async () => {
    await closeBrowser?.();
    await t?.close();
    await smtp?.close();
  });

  /** No serious axe violation at 1280 px and at 390 px (then back to 1280). */
  async function axeAtBothWidths(p: Page) {
    for (const width of [1280, 390]) {
      await p.setViewportSize({ width, height: 900 });
      expect({ width, violations: await seriousViolations(p) }).toEqual({ width, violations: [] });
    }
    await p.setViewportSize({ width: 1280, height: 900 });
  }

  async function signUp(p: Page, who: { name: string; email: string; username: string }) {
    await p.goto('/admin/signup');
    await p.fill('#name', who.name);
    await p.fill('#email', who.email);
    await p.fill('#username', who.username);
    await p.fill('#password', PASSWORD);
    await p.click('button[type=submit]');
    await p.waitForURL(/\/admin\/welcome\/hours$/);
  }

  const VERIFY = 'Verify your email for Kairos';
  /** The `count`-th mail to `to` with this subject (other mails, such as booking notices, are left aside). */
  const waitForMail = async (to: string, count: number, subject = VERIFY) => {
    const mails = () => smtp.to(to).filter((m) => m.subject === subject);
    for (let i = 0; i < 200 && mails().length < count; i++) await new Promise((r) => setTimeout(r, 50));
    expect(mails().length).toBeGreaterThanOrEqual(count);
    return mails()[count - 1];
  };
  const linkIn = (text: string) => /(http\S+\/admin\/verify-email\?token=\S+)/.exec(text)![1];

  const userRow = async (username: string) =>
    (await t.dataSource.query(`SELECT id, time_zone, onboarded_at, email_verified_at FROM users WHERE username = $1`, [username]))[0] as {
      id: string;
      time_zone: string;
      onboarded_at: Date | null;
      email_verified_at: Date | null;
    };

  it("sign-up preselects the browser's zone, and the account starts in it with weekday hours and a 30 minute meeting", async () => {
    await page.goto('/admin/signup');
    expect(await page.inputValue('#time_zone')).toBe(ZONE); // Intl.DateTimeFormat().resolvedOptions().timeZone
    await axeAtBothWidths(page);
    await signUp(page, { name: 'Nora Newhost', email: 'nora@example.com', username: 'nora' });

    const nora = await userRow('nora');
    expect(nora.time_zone).toBe(ZONE);
    expect(nora.onboarded_at).toBeNull();
    expect(nora.email_verified_at).toBeNull();
    const schedules = await t.dataSource.query(`SELECT id, time_zone, is_default FROM schedules WHERE user_id = $1`, [nora.id]);
    expect(schedules).toEqual([expect.objectContaining({ time_zone: ZONE, is_default: true })]);
    const rules = await t.dataSource.query(
      `SELECT day_of_week, to_char(start_time, 'HH24:MI') AS s, to_char(end_time, 'HH24:MI') AS e FROM availability_rules
        WHERE schedule_id = $1 ORDER BY day_of_week`,
      [schedules[0].id],
    );
    expect(rules).toEqual([1, 2, 3, 4, 5].map((d) => ({ day_of_week: d, s: '09:00', e: '17:00' })));
    const types = await t.dataSource.query(`SELECT name, slug, duration_minutes, is_active FROM meeting_types WHERE user_id = $1`, [
      nora.id,
    ]);
    expect(types).toEqual([{ name: '30 minute meeting', slug: '30min', duration_minutes: 30, is_active: true }]);
  });

  it('the public page books from minute one: it lists the type, shows slots, and a booking succeeds', async () => {
    const visitor = await browser.newContext({ baseURL: base, bypassCSP: true, timezoneId: 'Europe/Paris', locale: 'en-GB' });
    visitor.setDefaultTimeout(20_000);
    const p = await visitor.newPage();
    await p.goto('/nora');
    await p.click('text=30 minute meeting');
    await p.waitForURL(/\/nora\/30min\?.*tz=Europe%2FParis/); // the script found the browser's zone
    // Tuesday 2 March, 09:00-17:00 New York = 15:00-23:00 Paris: half-hour starts 15:00 … 22:30.
    await p.click('a.day[data-date="2027-03-02"]');
    await p.waitForSelector('a.day.selected[data-date="2027-03-02"]');
    const slots = await p.locator('.slot').allTextContents();
    expect(slots[0]).toBe('15:00');
    expect(slots.at(-1)).toBe('22:30');
    expect(slots).toHaveLength(16);
    await visitor.close();

    const [type] = await t.dataSource.query(
      `SELECT id FROM meeting_types WHERE slug = '30min' AND user_id = (SELECT id FROM users WHERE username = 'nora')`,
    );
    const booked = await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: type.id, start_time: '2027-03-02T14:00:00Z', ...invitee(1) })
      .expect(201);
    expect(booked.body.status).toBe('confirmed');
  });

  it('the welcome: hours from day checkboxes and time selects, a calendar to connect, the link to share; shown once', async () => {
    await page.goto('/admin/welcome');
    await page.waitForURL(/\/admin\/welcome\/hours$/);
    for (const d of [1, 2, 3, 4, 5]) expect(await page.isChecked(`input[name=days][value="${d}"]`)).toBe(true);
    expect(await page.inputValue('#start')).toBe('09:00');
    expect(await page.inputValue('#end')).toBe('17:00');
    expect(await page.inputValue('#time_zone')).toBe(ZONE);
    expect(await page.locator('#start option').count()).toBe(96); // 15-minute steps
    await axeAtBothWidths(page);
    await documentScreenshot(page, 'admin-welcome-hours');

    // An end before the start is answered beside the field; nothing is saved.
    await page.selectOption('#start', '18:00');
    await page.click('button:has-text("Save and continue")');
    await expect(page.textContent('#end-error')).resolves.toContain('after the start');
    await axeAtBothWidths(page);

    await page.uncheck('input[name=days][value="5"]'); // no Fridays
    await page.check('input[name=days][value="6"]'); // Saturdays instead
    await page.selectOption('#start', '10:15');
    await page.selectOption('#end', '16:45');
    await page.click('button:has-text("Save and continue")');
    await page.waitForURL(/\/admin\/welcome\/calendar$/);
    const nora = await userRow('nora');
    const rules = await t.dataSource.query(
      `SELECT day_of_week, to_char(start_time, 'HH24:MI') AS s, to_char(end_time, 'HH24:MI') AS e FROM availability_rules
        WHERE user_id = $1 ORDER BY day_of_week`,
      [nora.id],
    );
    expect(rules).toEqual([1, 2, 3, 4, 6].map((d) => ({ day_of_week: d, s: '10:15', e: '16:45' })));

    expect(await page.locator('form[action="/admin/calendars/connect/google"] input[name=return_to]').inputValue()).toBe(
      '/admin/welcome/calendar',
    );
    await axeAtBothWidths(page);
    await documentScreenshot(page, 'admin-welcome-calendar');
    await page.click('text=Not now, continue');
    await page.waitForURL(/\/admin\/welcome\/share$/);
    expect(await page.inputValue('#page-link')).toBe(`${base}/nora`);
    expect(await page.inputValue('#type-link')).toBe(`${base}/nora/30min`);
    expect(await page.isVisible('button[data-copy="page-link"]')).toBe(true); // the script shows the copy buttons
    await axeAtBothWidths(page);
    await documentScreenshot(page, 'admin-welcome-share');
    await page.click('button:has-text("Go to my dashboard")');
    await page.waitForURL(/\/admin\?welcome=done$/);
    await expect(page.textContent('[role=status]')).resolves.toContain('Your booking page is live');
    expect((await userRow('nora')).onboarded_at).not.toBeNull();

    // Shown once: every step now leads to the dashboard.
    for (const path of ['/admin/welcome', '/admin/welcome/hours', '/admin/welcome/calendar', '/admin/welcome/share']) {
      await page.goto(path);
      expect(new URL(page.url()).pathname).toBe('/admin');
    }
  });

  it('the mailed link verifies the address once; the banner and its resend go away', async () => {
    const mail = await waitForMail('nora@example.com', 1);
    await page.goto('/admin');
    await expect(page.textContent('.verify-banner')).resolves.toContain('nora@example.com');
    const token = (await t.http().post('/api/auth/login').send({ email: 'nora@example.com', password: PASSWORD }).expect(200)).body
      .access_token as string;
    expect((await t.http().get('/api/users/me').set('Authorization', `Bearer ${token}`).expect(200)).body.email_verified).toBe(false);

    const link = linkIn(mail.text);
    // Opening the link (as a mail scanner or prefetcher would) verifies nothing: the page asks for a click.
    await page.goto(link.replace(/^http:\/\/[^/]+/, ''));
    await expect(page.textContent('h1')).resolves.toBe('Confirm your email address');
    await axeAtBothWidths(page);
    expect((await t.http().get('/api/users/me').set('Authorization', `Bearer ${token}`).expect(200)).body.email_verified).toBe(false);
    await page.click('button[type=submit]');
    await expect(page.textContent('h1')).resolves.toBe('Email verified');
    await axeAtBothWidths(page);
    await documentScreenshot(page, 'admin-email-verified');
    await page.goto('/admin');
    expect(await page.locator('.verify-banner').count()).toBe(0);
    expect((await t.http().get('/api/users/me').set('Authorization', `Bearer ${token}`).expect(200)).body.email_verified).toBe(true);

    // Used once: the same link again is refused with a page saying so (before any button).
    const again = await page.goto(link.replace(/^http:\/\/[^/]+/, ''));
    expect(again!.status()).toBe(400);
    await expect(page.textContent('#error-summary')).resolves.toContain('invalid, was already used or has expired');
    await axeAtBothWidths(page);
  });

  it('skip: "Skip" on the first step ends the welcome and goes to the dashboard; resend sends a new link', async () => {
    const other = await browser.newContext({ baseURL: base, bypassCSP: true, timezoneId: 'Asia/Tokyo', locale: 'en-GB' });
    other.setDefaultTimeout(20_000);
    const p = await other.newPage();
    await signUp(p, { name: 'Sam Skipper', email: 'sam@example.com', username: 'sam' });
    expect((await userRow('sam')).time_zone).toBe('Asia/Tokyo');
    // The welcome's and the banner's forms need the CSRF token like every admin form.
    for (const path of ['/admin/welcome/done', '/admin/welcome/hours', '/admin/verify-email/resend']) {
      const forged = await p.request.post(path, { form: { skipped: '1', days: '1', start: '09:00', end: '10:00' }, maxRedirects: 0 });
      expect({ path, status: forged.status() }).toEqual({ path, status: 403 });
    }
    expect((await userRow('sam')).onboarded_at).toBeNull();
    await p.click('button:has-text("Skip")');
    await p.waitForURL(/\/admin\?welcome=skipped$/);
    expect((await userRow('sam')).onboarded_at).not.toBeNull();
    await p.goto('/admin/welcome');
    expect(new URL(p.url()).pathname).toBe('/admin');

    await waitForMail('sam@example.com', 1);
    await p.click('.verify-banner button:has-text("Resend the link")');
    await p.waitForURL(/\/admin\?verify=sent$/);
    await expect(p.textContent('[role=status]')).resolves.toContain('We sent a new verification link');
    const second = await waitForMail('sam@example.com', 2);
    expect(smtp.to('sam@example.com').filter((m) => m.subject === VERIFY)).toHaveLength(2);
    expect(linkIn(second.text)).not.toBe(linkIn((await waitForMail('sam@example.com', 1)).text));
    await other.close();
  });

  it('a zone ICU calls by its old name (Asia/Calcutta) preselects the listed current one (Asia/Kolkata)', async () => {
    const india = await browser.newContext({ baseURL: base, bypassCSP: true, timezoneId: 'Asia/Kolkata' });
    const p = await india.newPage();
    await p.goto('/admin/signup');
    await p.waitForFunction(() => (document.getElementById('time_zone') as HTMLSelectElement).value !== 'UTC');
    expect(await p.inputValue('#time_zone')).toBe('Asia/Kolkata');
    await india.close();
  });

  it('without JavaScript the zone stays a select (UTC unless chosen) and every welcome step is a plain form', async () => {
    const noJs = await browser.newContext({ baseURL: base, bypassCSP: true, timezoneId: 'Asia/Tokyo', javaScriptEnabled: false });
    noJs.setDefaultTimeout(20_000);
    const p = await noJs.newPage();
    await p.goto('/admin/signup');
    expect(await p.inputValue('#time_zone')).toBe('UTC');
    await p.selectOption('#time_zone', 'Europe/Berlin');
    await p.fill('#name', 'Ned Noscript');
    await p.fill('#email', 'ned@example.com');
    await p.fill('#username', 'ned');
    await p.fill('#password', PASSWORD);
    await p.click('button[type=submit]');
    await p.waitForURL(/\/admin\/welcome\/hours$/);
    expect((await userRow('ned')).time_zone).toBe('Europe/Berlin');
    expect(await p.inputValue('#time_zone')).toBe('Europe/Berlin');
    await p.click('button:has-text("Save and continue")');
    await p.waitForURL(/\/admin\/welcome\/calendar$/);
    await p.click('text=Not now, continue');
    await p.waitForURL(/\/admin\/welcome\/share$/);
    expect(await p.isVisible('button[data-copy="page-link"]')).toBe(false); // no script: the field alone, selectable
    await p.click('button:has-text("Go to my dashboard")');
    await p.waitForURL(/\/admin\?welcome=done$/);
    await noJs.close();
  });

  it('password reset end to end: forgot-password mail, choose a new password, log in with it', async () => {
    const p = await (await browser.newContext({ baseURL: base, bypassCSP: true, timezoneId: ZONE })).newPage();
    p.context().setDefaultTimeout(20_000);
    await p.goto('/admin/forgot-password');
    await axeAtBothWidths(p);
    await p.fill('#email', 'nora@example.com');
    await p.click('button:has-text("Send the link")');
    await expect(p.textContent('[role=status]')).resolves.toContain('If an account exists');
    const mail = await waitForMail('nora@example.com', 1, 'Reset your Kairos password');
    const link = /(http\S+\/admin\/reset-password\?token=\S+)/.exec(mail.text)![1];
    await p.goto(link.replace(/^http:\/\/[^/]+/, ''));
    await axeAtBothWidths(p);
    await p.fill('#new_password', 'a-brand-new-passphrase');
    await p.fill('#confirm_password', 'a-brand-new-passphrase');
    await p.click('button[type=submit]');
    await p.waitForURL(/\/admin\/login\?reset=1$/);
    await p.fill('#email', 'nora@example.com');
    await p.fill('#password', 'a-brand-new-passphrase');
    await p.click('button[type=submit]');
    await p.waitForURL(/\/admin$/);
    await p.context().close();
  });

  describe('verification tokens', () => {
    /** A fresh link for a host made through the API (no welcome, no starter kit, nothing mailed). */
    async function freshLink(): Promise<{ userId: string; token: string }> {
      const suffix = Math.random().toString(36).slice(2, 8);
      const email = `token-${suffix}@example.com`;
      const created = await t
        .http()
        .post('/api/users')
        .send({ email, name: 'Token Tester', password: PASSWORD, time_zone: 'UTC', username: `token-${suffix}` })
        .expect(201);
      expect(created.body.email_verified).toBe(false);
      expect(await t.dataSource.query(`SELECT 1 FROM meeting_types WHERE user_id = $1`, [created.body.id])).toEqual([]); // API: unchanged
      await t.app.get(EmailVerificationService).send(created.body.id, null);
      const mail = await waitForMail(email, 1);
      return { userId: created.body.id, token: new URL(linkIn(mail.text)).searchParams.get('token')! };
    }

    /** Opens the link (GET: a page with a button, nothing used) and returns a function that presses the button. */
    async function openLink(token: string): Promise<() => request.Test> {
      const agent = request.agent(t.app.getHttpServer());
      const shown = await agent.get(`/admin/verify-email?token=${encodeURIComponent(token)}`).expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(shown.text)![1];
      expect(/name="token" value="([^"]+)"/.exec(shown.text)![1]).toBe(token);
      return () => agent.post('/admin/verify-email').type('form').send({ _csrf: csrf, token });
    }

    it('opening a link verifies nothing; of three concurrent clicks exactly one verifies', async () => {
      const { userId, token } = await freshLink();
      const presses = await Promise.all([openLink(token), openLink(token), openLink(token)]);
      const [before] = await t.dataSource.query(`SELECT email_verified_at FROM users WHERE id = $1`, [userId]);
      expect(before.email_verified_at).toBeNull();
      const statuses = (await Promise.all(presses.map((press) => press()))).map((r) => r.status).sort();
      expect(statuses).toEqual([200, 400, 400]);
      const [row] = await t.dataSource.query(`SELECT email_verified_at FROM users WHERE id = $1`, [userId]);
      expect(row.email_verified_at).not.toBeNull();
      const stored = await t.dataSource.query(`SELECT token_hash FROM email_verifications WHERE user_id = $1`, [userId]);
      expect(stored[0].token_hash).not.toContain(token); // hashed at rest
    });

    it('an expired link and a tampered one are refused with a 400 page, and verify nothing', async () => {
      const { userId, token } = await freshLink();
      const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
      const bad = await t
        .http()
        .get(`/admin/verify-email?token=${encodeURIComponent(tampered)}`)
        .expect(400);
      expect(bad.text).toContain('invalid, was already used or has expired');
      await t.http().get('/admin/verify-email').expect(400);
      await t
        .http()
        .get(`/admin/verify-email?token=${'x'.repeat(500)}`)
        .expect(400);
      const press = await openLink(token); // opened in time, clicked too late
      t.clock!.advance(48 * 3_600_000 + 1000);
      try {
        await t
          .http()
          .get(`/admin/verify-email?token=${encodeURIComponent(token)}`)
          .expect(400);
        expect((await press().expect(400)).text).toContain('invalid, was already used or has expired');
      } finally {
        t.clock!.set(NOW);
      }
      const [row] = await t.dataSource.query(`SELECT email_verified_at FROM users WHERE id = $1`, [userId]);
      expect(row.email_verified_at).toBeNull();
    });

    it('a new email address is not verified: the banner comes back until the new address is proven', async () => {
      const { userId, token } = await freshLink();
      await (await openLink(token))().expect(200);
      await t.app.get(UsersService).update(userId, { email: `moved-${userId.slice(0, 8)}@example.com` });
      const [row] = await t.dataSource.query(`SELECT email_verified_at FROM users WHERE id = $1`, [userId]);
      expect(row.email_verified_at).toBeNull();
    });

    it('a link stops working when the account changed its address meanwhile', async () => {
      const { userId, token } = await freshLink();
      await t.dataSource.query(`UPDATE users SET email = 'changed-' || email WHERE id = $1`, [userId]);
      await t
        .http()
        .get(`/admin/verify-email?token=${encodeURIComponent(token)}`)
        .expect(400);
      const [row] = await t.dataSource.query(`SELECT email_verified_at FROM users WHERE id = $1`, [userId]);
      expect(row.email_verified_at).toBeNull();
    });
  });

  describe('"Resend the link" is limited like "Forgot password?"', () => {
    let limited: TestApp;
    let limitedBase: string;

    beforeAll(async () => {
      const port = await freePort();
      limitedBase = `http://127.0.0.1:${port}`;
      limited = await startTestApp({
        now: NOW,
        env: {
          SMTP_URL: smtp.url,
          PUBLIC_URL: limitedBase,
          RATE_LIMIT_ENABLED: 'true',
          RATE_LIMIT_MAX: '100000',
          RATE_LIMIT_LOGIN_MAX: '100000',
          RATE_LIMIT_CREDENTIAL_ACCOUNT_MAX: '3',
          RATE_LIMIT_CREDENTIAL_ADDRESS_MAX: '100',
        },
      });
      await limited.app.listen(port, '127.0.0.1');
    });
    afterAll(async () => {
      await limited?.close();
    });

    it('the sign-up mail and two resends go out; the next resend is a 429 page with Retry-After', async () => {
      const c = await browser.newContext({ baseURL: limitedBase, bypassCSP: true, timezoneId: ZONE });
      c.setDefaultTimeout(20_000);
      const p = await c.newPage();
      await signUp(p, { name: 'Rita Resend', email: 'rita@example.com', username: 'rita' });
      for (let i = 0; i < 2; i++) {
        await p.goto('/admin');
        await p.click('.verify-banner button:has-text("Resend the link")');
        await p.waitForURL(/\/admin\?verify=sent$/);
      }
      await waitForMail('rita@example.com', 3);
      await p.goto('/admin');
      const [answer] = await Promise.all([
        p.waitForResponse((r) => r.url().endsWith('/admin/verify-email/resend')),
        p.click('.verify-banner button:has-text("Resend the link")'),
      ]);
      expect(answer.status()).toBe(429);
      expect(Number(answer.headers()['retry-after'])).toBeGreaterThan(0);
      await expect(p.textContent('#error-summary')).resolves.toContain('Too many requests');
      await axeAtBothWidths(p);
      expect(smtp.to('rita@example.com').filter((m) => m.subject === VERIFY)).toHaveLength(3);
      await c.close();
    });
  });
});
