import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { documentScreenshot, launchBrowser, seriousViolations } from './support/browser.js';
import { markEmailVerified } from './support/factories.js';
import { TestSmtpServer } from './support/mail.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC (London is on GMT until 28 March; Tokyo is UTC+9 all year).
const NOW = '2027-03-01T12:00:00Z';

describe('web pages in a real browser (headless Chromium)', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let base: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let host: BrowserContext;
  let hostPage: Page;
  let invitee: BrowserContext;
  let page: Page;
  let manageUrl: string;

  const username = 'ada';
  const hostEmail = 'ada@example.com';

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    t = await startTestApp({ now: NOW, env: { SMTP_URL: smtp.url, OUTBOX_POLL_INTERVAL_MS: '50', NOTIFY_SWEEP_INTERVAL_MS: '100' } });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    ({ browser, close: closeBrowser } = await launchBrowser());
    host = await browser.newContext({ baseURL: base, timezoneId: 'Europe/London', locale: 'en-GB', bypassCSP: true });
    hostPage = await host.newPage();
    invitee = await browser.newContext({
      baseURL: base,
      timezoneId: 'Asia/Tokyo',
      locale: 'en-GB',
      viewport: { width: 1100, height: 900 },
      bypassCSP: true,
    });
    page = await invitee.newPage();
    host.setDefaultTimeout(10_000);
    invitee.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await closeBrowser?.();
    await t?.close();
    await smtp?.close();
  });

  it('a host signs up, sets weekly hours and overrides, and creates a meeting type with a question', async () => {
    await hostPage.goto('/admin/signup');
    expect(await hostPage.inputValue('#time_zone')).toBe('Europe/London'); // detected from the browser
    await hostPage.fill('#name', 'Ada Lovelace');
    await hostPage.fill('#email', hostEmail);
    await hostPage.fill('#username', 'admin'); // reserved: refused beside the field
    await hostPage.fill('#password', 'correct-horse-battery');
    await hostPage.click('button[type=submit]');
    await expect(hostPage.textContent('#username-error')).resolves.toMatch(/reserved/);
    await hostPage.fill('#username', username);
    await hostPage.fill('#password', 'correct-horse-battery');
    await hostPage.click('button[type=submit]');
    await hostPage.waitForURL(/\/admin\/welcome\/hours$/); // the welcome (test/web-onboarding.e2e-spec.ts); the full editor here
    await hostPage.goto('/admin/availability');

    // Days are ticked (each starts at 09:00-17:00); a malformed time is answered beside its box and nothing is saved.
    for (const d of [1, 2, 3, 4, 5, 6]) await hostPage.check(`#avail_${d}`);
    await hostPage.fill('#d6_start_0', '9 to 5');
    await hostPage.click('text=Save availability');
    await expect(hostPage.textContent('#d6_start_0-error')).resolves.toContain('is not a time');
    expect(await hostPage.getAttribute('#d6_start_0', 'aria-invalid')).toBe('true');
    expect(await hostPage.inputValue('#d1_end_0')).toBe('17:00'); // the other answers are kept

    await hostPage.uncheck('#avail_6');
    await hostPage.fill('#d2_end_0', '12:00');
    await hostPage.click('fieldset.weekday[data-day="2"] [data-add]'); // several intervals in a day
    await hostPage.fill('#d2_start_1', '13:00');
    await hostPage.fill('#d2_end_1', '17:00');
    await hostPage.click('text=Save availability');
    await hostPage.waitForURL(/saved=1/);
    expect(await hostPage.inputValue('#d2_end_1')).toBe('17:00');
    await hostPage.fill('#ov_date', '2027-03-03'); // a day off
    await hostPage.click('text=Save override');
    await hostPage.waitForURL(/override_saved=2027-03-03/);
    await hostPage.fill('#ov_date', '2027-03-04'); // other hours
    await hostPage.check('input[name=ov_kind][value=hours]');
    await hostPage.fill('#ov_start_0', '10:00');
    await hostPage.fill('#ov_end_0', '12:00');
    await hostPage.click('text=Save override');
    await hostPage.waitForURL(/override_saved=2027-03-04/);
    await expect(hostPage.textContent('.override-list')).resolves.toMatch(/Thursday, 4 March 2027\s*10:00 – 12:00/);
    expect(await seriousViolations(hostPage)).toEqual([]);

    await hostPage.goto('/admin/meeting-types/new');
    await hostPage.fill('#name', 'Intro call');
    await hostPage.fill('#duration_minutes', '3'); // below the minimum
    await hostPage.click('text=Save meeting type');
    await expect(hostPage.textContent('#duration_minutes-error')).resolves.toContain('from 5 to 720');
    await hostPage.fill('#duration_minutes', '30');
    await hostPage.fill('#q_label_0', 'What would you like to discuss?');
    await hostPage.selectOption('#q_type_0', 'long_text');
    await hostPage.check('input[name=q_required_0]');
    expect(await seriousViolations(hostPage)).toEqual([]);
    await hostPage.click('text=Save meeting type');
    await hostPage.waitForURL(/\/admin\/meeting-types\?saved=1/);
    await expect(hostPage.textContent('.type-list')).resolves.toContain('Intro call');
  });

  it('refuses admin form posts without a valid CSRF token (the same forms with it succeed above)', async () => {
    const without = await hostPage.request.post('/admin/availability', { form: { time_zone: 'UTC', day_1: '' }, maxRedirects: 0 });
    expect(without.status()).toBe(403);
    const forged = await hostPage.request.post('/admin/availability', { form: { _csrf: 'forged', time_zone: 'UTC' }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    await hostPage.goto('/admin/availability');
    expect(await hostPage.inputValue('#time_zone')).toBe('Europe/London'); // unchanged
    expect(await hostPage.inputValue('#d1_end_0')).toBe('17:00');

    // The session cookie is httpOnly, SameSite=Lax and signed.
    const cookie = (await host.cookies()).find((c) => c.name === 'kairos_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(decodeURIComponent(cookie.value)).toMatch(/^[\w-]+\.[\w/+]{43}$/); // <secret>.<HMAC-SHA256> (@fastify/cookie)
    // A tampered signature is no session: the admin asks to log in.
    const [secret] = decodeURIComponent(cookie.value).split('.');
    const tampered = await hostPage.request.get('/admin', {
      headers: { cookie: `kairos_session=${encodeURIComponent(`${secret}.${'A'.repeat(43)}`)}` },
      maxRedirects: 0,
    });
    expect(tampered.status()).toBe(303);
    // And the API never honours it: the cookie alone is no Bearer token.
    const api = await hostPage.request.get('/api/meeting-types');
    expect(api.status()).toBe(401);
  });

  it('an invitee in Tokyo sees the times in their zone, books, and sees the confirmation', async () => {
    await page.goto(`/${username}`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('text=Intro call');
    await page.waitForURL(/tz=Asia%2FTokyo/); // the script found the browser's zone
    expect(await page.inputValue('#tz')).toBe('Asia/Tokyo');

    // London Tue 2 March 09:00-12:00 and 13:00-17:00 = Tokyo 18:00-21:00 and 22:00-02:00 (next day).
    await page.click('a.day[data-date="2027-03-02"]');
    await page.waitForSelector('a.day.selected[data-date="2027-03-02"]');
    const tuesday = await page.locator('.slot').allTextContents();
    // (00:00-01:30 are London's Monday 15:00-17:00.)
    expect(tuesday).toEqual([
      '00:00',
      '00:30',
      '01:00',
      '01:30',
      '18:00',
      '18:30',
      '19:00',
      '19:30',
      '20:00',
      '20:30',
      '22:00',
      '22:30',
      '23:00',
      '23:30',
    ]);
    // Wed 3 March is off in London (override): Tokyo's 3 March keeps only Tuesday's late London hours.
    await page.click('a.day[data-date="2027-03-03"]');
    await page.waitForSelector('a.day.selected[data-date="2027-03-03"]');
    expect(await page.locator('.slot').allTextContents()).toEqual(['00:00', '00:30', '01:00', '01:30']);
    // Thu 4 March London 10:00-12:00 (override) = Tokyo 19:00-21:00.
    await page.click('a.day[data-date="2027-03-04"]');
    await page.waitForSelector('a.day.selected[data-date="2027-03-04"]');
    expect(await page.locator('.slot').allTextContents()).toEqual(['19:00', '19:30', '20:00', '20:30']);

    // 12-hour display.
    await page.click('text=Use 12-hour clock');
    await page.waitForSelector('text=Use 24-hour clock');
    expect(await page.locator('.slot').first().textContent()).toBe('7:00 PM');
    await page.click('text=Use 24-hour clock');
    await page.waitForSelector('text=Use 12-hour clock');

    // Keyboard: the days and slots are links, reachable with Tab.
    await page.focus('a.day[data-date="2027-03-02"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('a.day.selected[data-date="2027-03-02"]');
    expect(await seriousViolations(page)).toEqual([]);
    await documentScreenshot(page, 'booking-calendar');

    await page.click('.slot >> text=18:00');
    await page.waitForURL(/\/book\?/);
    await expect(page.textContent('.when')).resolves.toContain('Tuesday, 2 March 2027, 18:00 – 18:30');
    await page.click('text=Confirm booking'); // empty: errors beside the fields
    await expect(page.textContent('#name-error')).resolves.toContain('enter your name');
    await expect(page.textContent('[id="q-what-would-you-like-to-discuss-error"]')).resolves.toContain('Please answer');
    expect(await page.getAttribute('#email', 'aria-describedby')).toBe('email-error');
    expect(await page.locator('[role=alert]').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await documentScreenshot(page, 'booking-form-errors');

    await page.fill('#name', 'Grace Hopper');
    await page.fill('#email', 'grace@example.com');
    await page.fill('textarea[name="q_what-would-you-like-to-discuss"]', 'Compilers');
    await page.fill('#guests', 'not-an-address, ada@example.com'); // one typo: said beside the field, nothing booked
    await page.click('text=Confirm booking');
    await expect(page.textContent('#guests-error')).resolves.toContain('not-an-address');
    expect(await seriousViolations(page)).toEqual([]);
    await page.fill('#guests', 'ada@example.com');
    await page.click('text=Confirm booking');
    await page.waitForURL(/\/booking\/[0-9a-f-]+\?token=.*booked=1/);
    manageUrl = page.url();
    await expect(page.textContent('h1')).resolves.toBe('You are booked');
    const times = await page.textContent('.times');
    expect(times).toContain('Tuesday, 2 March 2027, 18:00 – 18:30');
    expect(times).toContain('Asia/Tokyo (UTC+09:00)');
    expect(times).toContain('Tuesday, 2 March 2027, 09:00 – 09:30'); // the host's London time
    expect(times).toContain('ada@example.com'); // the guest
    expect(await page.getAttribute('text=Google Calendar', 'href')).toContain('calendar.google.com');
    expect(await page.getAttribute('text=Outlook', 'href')).toContain('outlook.live.com');
    const ics = await page.request.get((await page.getAttribute('text=Download .ics', 'href')) as string);
    expect(ics.headers()['content-type']).toContain('text/calendar');
    expect(await ics.text()).toContain('DTSTART;TZID=Europe/London:20270302T090000');
    expect(await seriousViolations(page)).toEqual([]);
    await documentScreenshot(page, 'booking-confirmed');

    // The host sees it on the dashboard, and the confirmation mail reached the SMTP server.
    await markEmailVerified(t, { username }); // the picture shows the admin without the "verify your email" banner
    await hostPage.goto('/admin');
    await expect(hostPage.textContent('#upcoming')).resolves.toContain('Grace Hopper <grace@example.com>');
    await expect(hostPage.textContent('#upcoming')).resolves.toContain('Tuesday, 2 March 2027, 09:00 – 09:30');
    await documentScreenshot(hostPage, 'admin-dashboard');
    const deadline = Date.now() + 15_000;
    while (smtp.to('grace@example.com').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(smtp.to('grace@example.com').length).toBeGreaterThan(0);
  });

  it('two browsers race for one slot: one confirmation, one kind "taken" message with fresh times', async () => {
    const other = await browser.newContext({ baseURL: base, timezoneId: 'Asia/Tokyo', locale: 'en-GB', bypassCSP: true });
    other.setDefaultTimeout(10_000);
    const pages = [await invitee.newPage(), await other.newPage()];
    const form = `/${username}/intro-call/book?start=${encodeURIComponent('2027-03-02T10:00:00.000Z')}&tz=Asia%2FTokyo`;
    for (const [i, p] of pages.entries()) {
      await p.goto(form);
      await p.fill('#name', `Racer ${i}`);
      await p.fill('#email', `racer${i}@example.com`);
      await p.fill('textarea[name="q_what-would-you-like-to-discuss"]', 'Racing');
    }
    await Promise.all(pages.map((p) => p.click('text=Confirm booking')));
    await Promise.all(pages.map((p) => p.waitForLoadState()));
    const headings = await Promise.all(pages.map((p) => p.textContent('h1')));
    const winners = pages.filter((_, i) => headings[i] === 'You are booked');
    const losers = pages.filter((_, i) => headings[i] !== 'You are booked');
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const loser = losers[0]!;
    await expect(loser.textContent('[role=alert]')).resolves.toContain('That time was just taken — please pick another.');
    const fresh = await loser.locator('.slot').allTextContents();
    expect(fresh).toContain('18:30');
    expect(fresh).not.toContain('19:00'); // 10:00 UTC is gone
    expect(fresh).not.toContain('18:00'); // and so is Grace's
    await documentScreenshot(loser, 'booking-taken');
    await other.close();
  });

  it('the invitee reschedules and then cancels from the management links', async () => {
    await page.goto(manageUrl);
    await page.click('text=Reschedule');
    await page.waitForURL(/\/reschedule\?/);
    await page.click('a.day[data-date="2027-03-04"]');
    await page.waitForSelector('a.day.selected[data-date="2027-03-04"]');
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('button.slot >> text=19:30');
    await page.waitForURL(/moved=1/);
    await expect(page.textContent('h1')).resolves.toBe('Your meeting was moved');
    await expect(page.textContent('.times')).resolves.toContain('Thursday, 4 March 2027, 19:30 – 20:00');

    await page.click('text=Cancel');
    await page.waitForURL(/\/cancel\?/);
    await page.fill('#reason', 'Something came up');
    await page.click('button:has-text("Cancel meeting")');
    await page.waitForURL(/cancelled=1/);
    await expect(page.textContent('h1')).resolves.toBe('This meeting is cancelled');
    await expect(page.textContent('body')).resolves.toContain('Something came up');
  });

  it('the host cancels another booking from the dashboard', async () => {
    await hostPage.goto('/admin');
    const racer = hostPage.locator('.booking', { hasText: 'Racer' }).first();
    await racer.locator('button:has-text("Cancel")').click();
    await hostPage.waitForURL(/cancelled=1/);
    await expect(hostPage.textContent('[role=status]')).resolves.toContain('cancelled');
    await expect(hostPage.textContent('#past')).resolves.toMatch(/cancelled[\s\S]*Racer/);
    await expect(hostPage.textContent('#upcoming')).resolves.not.toContain('Racer');
    expect(await seriousViolations(hostPage)).toEqual([]);
  });

  it('books without JavaScript: plain links and forms, zone chosen with the picker form', async () => {
    const plain = await browser.newContext({ baseURL: base, javaScriptEnabled: false, timezoneId: 'Asia/Tokyo', locale: 'en-GB' });
    plain.setDefaultTimeout(10_000);
    const p = await plain.newPage();
    await p.goto(`/${username}/intro-call`);
    expect(await p.inputValue('#tz')).toBe('Europe/London'); // no script: the host's zone until the invitee picks one
    await p.selectOption('#tz', 'Asia/Tokyo');
    await p.click('text=Show times');
    await p.waitForURL(/tz=Asia%2FTokyo/);
    await p.click('a.day[data-date="2027-03-04"]');
    await p.waitForURL(/date=2027-03-04/);
    await p.click('.slot >> text=20:00');
    await p.fill('#name', 'Plain Browser');
    await p.fill('#email', 'plain@example.com');
    await p.fill('textarea[name="q_what-would-you-like-to-discuss"]', 'No scripts');
    await p.click('text=Confirm booking');
    await p.waitForURL(/booked=1/);
    await expect(p.textContent('.times')).resolves.toContain('Thursday, 4 March 2027, 20:00 – 20:30');
    await plain.close();
  });

  it('unknown API paths still answer JSON, and unknown pages a friendly 404', async () => {
    const api = await page.request.get('/api/no-such-thing');
    expect(api.status()).toBe(404);
    expect(await api.json()).toMatchObject({ status_code: 404 });
    const missing = await page.goto('/nobody-here');
    expect(missing!.status()).toBe(404);
    await expect(page.textContent('h1')).resolves.toBe('We could not find that page');
  });

  it('logs out, and the admin then asks to log in', async () => {
    await hostPage.click('text=Log out');
    await hostPage.waitForURL(/\/admin\/login/);
    await hostPage.goto('/admin/meeting-types');
    await hostPage.waitForURL(/\/admin\/login\?next=/);
    await hostPage.fill('#email', hostEmail);
    await hostPage.fill('#password', 'correct-horse-battery');
    await hostPage.click('button[type=submit]');
    await hostPage.waitForURL(/\/admin\/meeting-types$/);
  });
});
