import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { documentScreenshot, launchBrowser, seriousViolations } from './support/browser.js';
import { settleDeliveries } from './support/deliveries.js';
import { HOST_PASSWORD, createHost, markEmailVerified, type TestHost } from './support/factories.js';
import { freePort } from './support/free-port.js';
import { TestSmtpServer } from './support/mail.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC (13:00 in Berlin).
const NOW = '2027-03-01T12:00:00Z';
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const JITSI = 'https://jitsi.example.org';

/** Thirty half-hour starts: Tuesday 2 March 09:00-17:00 Berlin (16), then Wednesday 3 March from 09:00 (14). */
const STARTS = Array.from({ length: 30 }, (_, i) => {
  const day = i < 16 ? 2 : 3;
  const slot = i < 16 ? i : i - 16;
  const hour = 8 + Math.floor(slot / 2); // UTC: Berlin is UTC+1 in March before the change
  return `2027-03-0${day}T${String(hour).padStart(2, '0')}:${slot % 2 ? '30' : '00'}:00Z`;
});

const DANNY = `O'Brien, "Danny"`;
const FORMULA = '=HYPERLINK("http://evil.example","x")';
const TOPIC = 'Pricing, plans\nand "more"';

/** RFC 4180 read by Python's csv module (a real parser; none is installed for Node). */
function parseCsv(text: string): string[][] {
  const out = execFileSync(
    'python3',
    ['-c', 'import csv, io, json, sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))))'],
    { input: text, encoding: 'utf8' },
  );
  return JSON.parse(out) as string[][];
}

/**
 * The admin's bookings (issue #18): the list with its filters, search, pages and CSV export; a booking's details
 * with its history and notifications; rescheduling from the admin (also without JavaScript); other hosts' bookings
 * stay invisible.
 */
describe('admin: all bookings, details, reschedule (headless Chromium)', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let base: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;
  let ada: TestHost;
  let grace: TestHost;
  let typeId: string;
  const ids: string[] = [];
  let graceBooking: string;

  const book = async (start: string, who: Record<string, unknown>, type = typeId) => {
    const res = await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: type, start_time: start, ...who });
    if (res.status !== 201) throw new Error(`booking failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };

  const login = async (p: Page) => {
    await p.goto('/admin/login');
    await p.fill('#email', ada.email);
    await p.fill('#password', HOST_PASSWORD);
    await p.click('button[type=submit]');
    await p.waitForURL((url) => url.pathname === '/admin');
  };

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await startTestApp({
      now: NOW,
      env: {
        PUBLIC_URL: base,
        SMTP_URL: smtp.url,
        JITSI_BASE_URL: `${JITSI}/`,
        OUTBOX_POLL_INTERVAL_MS: '50',
        NOTIFY_SWEEP_INTERVAL_MS: '100',
      },
    });
    await t.app.listen(port, '127.0.0.1');
    ada = await createHost(t, { name: 'Ada Lovelace', username: 'ada', email: 'ada@example.com', time_zone: 'Europe/Berlin' });
    await markEmailVerified(t, ada); // README screenshots show the admin without the "verify your email" banner
    grace = await createHost(t, { name: 'Grace Hopper', username: 'grace', email: 'grace@example.com', time_zone: 'Europe/London' });
    await setWeeklyHours(t, ada, 'Europe/Berlin');
    await setWeeklyHours(t, grace, 'Europe/London');
    typeId = (
      await createMeetingType(t, ada, {
        name: 'Intro call',
        slug: 'intro-call',
        duration_minutes: 30,
        location: { type: 'jitsi' },
        questions: [{ id: 'topic', label: 'What would you like to discuss?', type: 'long_text', required: false }],
      })
    ).id;
    for (const [i, start] of STARTS.entries()) {
      const who =
        i === 0
          ? {
              invitee_name: DANNY,
              invitee_email: 'danny.obrien@example.com',
              time_zone: 'America/New_York',
              answers: { topic: TOPIC },
              guests: ['linus@example.com'],
            }
          : i === 1
            ? { invitee_name: FORMULA, invitee_email: 'formula@example.com', time_zone: 'Europe/Berlin' }
            : invitee(i);
      ids.push(await book(start, who));
    }
    const graceType = (await createMeetingType(t, grace, { name: 'Secret chat', slug: 'secret' })).id;
    graceBooking = await book('2027-03-02T10:00:00Z', { ...invitee('secret'), invitee_name: 'Secret Person' }, graceType);
    await settleDeliveries(t);

    ({ browser, close: closeBrowser } = await launchBrowser());
    context = await browser.newContext({
      baseURL: base,
      timezoneId: 'Europe/Berlin',
      locale: 'en-GB',
      bypassCSP: true,
      viewport: WIDE,
      acceptDownloads: true,
    });
    context.setDefaultTimeout(20_000); // argon2 on a shared 2-core machine
    page = await context.newPage();
    await login(page);
  });

  afterAll(async () => {
    await closeBrowser?.();
    await t?.close();
    await smtp?.close();
  });

  const overflow = (p: Page = page) => p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const listedIds = () => page.$$eval('[data-results] [data-booking-id]', (rows) => rows.map((r) => r.getAttribute('data-booking-id')));
  const heading = () => page.textContent('#results-h');

  it('lists upcoming bookings a page at a time in a stable order, linked from the navigation', async () => {
    await page.goto('/admin');
    await page.click('nav[aria-label="Admin"] >> text=All bookings');
    await page.waitForURL((url) => url.pathname === '/admin/bookings');
    expect(await page.getAttribute('nav[aria-label="Admin"] a[href="/admin/bookings"]', 'aria-current')).toBe('page');
    expect(await page.inputValue('#from')).toBe('2027-03-01');
    expect(await page.inputValue('#to')).toBe('2027-04-30');
    await expect(heading()).resolves.toBe('Bookings 1–25 of 30');
    const first = await listedIds();
    expect(first).toEqual(ids.slice(0, 25)); // by start time
    const row = page.locator(`[data-booking-id="${ids[0]}"]`);
    await expect(row.textContent()).resolves.toContain('Tuesday, 2 March 2027, 09:00 – 09:30'); // Ada's zone
    await expect(row.locator('[data-invitees]').textContent()).resolves.toBe(`${DANNY} <danny.obrien@example.com> · 1 guest`);

    await page.click('a[rel=next]');
    await expect(heading()).resolves.toBe('Bookings 26–30 of 30');
    expect(await listedIds()).toEqual(ids.slice(25));
    expect(await page.isVisible('a[rel=next]')).toBe(false);
    await page.click('a[rel=prev]');
    expect(await listedIds()).toEqual(first);

    // Past the end: said so, with the way back.
    await page.goto('/admin/bookings?status=upcoming&page=9');
    await expect(page.textContent('main')).resolves.toContain('This page is past the end of the list.');
  });

  it('filters by status and date range, searches invitees; bad filters are form errors (400)', async () => {
    await t.http().delete(`/api/bookings/${ids[29]}`).set(ada.auth).send({ reason: 'Double-booked' }).expect(200);
    await page.goto('/admin/bookings');
    await page.selectOption('#status', 'cancelled');
    await page.click('text=Apply');
    await page.waitForURL(/status=cancelled/);
    expect(await listedIds()).toEqual([ids[29]]);
    await expect(page.textContent(`[data-booking-id="${ids[29]}"] .badge`)).resolves.toBe('cancelled');

    await page.selectOption('#status', 'upcoming');
    await page.fill('#from', '2027-03-03');
    await page.fill('#to', '2027-03-03');
    await page.click('text=Apply');
    await page.waitForURL(/from=2027-03-03/);
    expect(await listedIds()).toEqual(ids.slice(16, 29)); // Wednesday, the cancelled one left out

    await page.goto('/admin/bookings?status=all');
    await page.fill('#q', 'OBRIEN');
    await page.click('text=Apply');
    await page.waitForURL(/q=OBRIEN/);
    expect(await listedIds()).toEqual([ids[0]]);
    await page.fill('#q', 'invitee1');
    await page.click('text=Apply');
    await page.waitForURL(/q=invitee1/);
    expect(await listedIds()).toEqual(ids.slice(10, 20)); // invitee10@ … invitee19@
    await page.fill('#q', '%');
    await page.click('text=Apply');
    await expect(page.textContent('[data-empty]')).resolves.toBe('No bookings match this filter.'); // wildcards are literal
    // Another host's invitee is never found.
    await page.goto('/admin/bookings?status=all&q=Secret');
    expect(await page.isVisible('[data-empty]')).toBe(true);

    const bad = await page.goto('/admin/bookings?status=upcoming&from=2027-03-10&to=2027-03-01');
    expect(bad?.status()).toBe(400);
    await expect(page.textContent('#to-error')).resolves.toBe('The end date must be on or after the start date.');
    expect(await page.getAttribute('#to', 'aria-invalid')).toBe('true');
    expect(await page.isVisible('[data-csv]')).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    expect((await page.goto('/admin/bookings?status=bogus&page=-1'))?.status()).toBe(400);
    expect((await page.goto('/admin/bookings?from=2027-01-01&to=2028-06-01'))?.status()).toBe(400);
    // Before the archive cutoff (a year by default): said where those bookings are.
    expect(await page.isVisible('[data-archive-note]')).toBe(false);
    await page.goto('/admin/bookings?status=past&from=2026-02-01&to=2026-03-31');
    await expect(page.textContent('[data-archive-note]')).resolves.toContain('ended more than 365 days ago are archived');
  });

  it('exports the filtered list as CSV: RFC 4180 quoting, formulas defused, times in the host zone', async () => {
    await page.goto('/admin/bookings?status=all&from=2027-03-01&to=2027-03-31');
    await expect(heading()).resolves.toBe('Bookings 1–25 of 30');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-csv]')]);
    expect(download.suggestedFilename()).toBe('kairos-bookings-all-2027-03-01-to-2027-03-31.csv');
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.startsWith('\uFEFFBooking ID,Start,End,')).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual([
      'Booking ID',
      'Start',
      'End',
      'Time zone',
      'Duration (min)',
      'Meeting type',
      'Status',
      'Invitees',
      'Invitee emails',
      'Invitee time zones',
      'Guests',
      'Location',
      'Join link',
      'Answers',
      'Cancellation reason',
    ]);
    expect(rows.map((r) => r[0])).toEqual(ids); // all 30, not just the first page, in the list's order
    const col = (name: string) => header.indexOf(name);
    const danny = rows[0];
    expect(danny[col('Invitees')]).toBe(DANNY);
    expect(danny[col('Start')]).toBe('2027-03-02T09:00:00+01:00');
    expect(danny[col('Time zone')]).toBe('Europe/Berlin');
    expect(danny[col('Invitee time zones')]).toBe('America/New_York');
    expect(danny[col('Guests')]).toBe('linus@example.com');
    expect(danny[col('Answers')]).toBe(`What would you like to discuss?: ${TOPIC}`);
    expect(danny[col('Join link')]).toMatch(/^https:\/\/jitsi\.example\.org\//);
    expect(rows[1][col('Invitees')]).toBe(`'${FORMULA}`); // a spreadsheet shows it as text
    expect(rows[29][col('Status')]).toBe('cancelled');
    expect(rows[29][col('Cancellation reason')]).toBe('Double-booked');
    // Every line break in the file sits inside a quoted field or ends a record with CRLF.
    expect(text.replace(/"(?:[^"]|"")*"/g, '').split('\r\n')).toHaveLength(32);

    const tooWide = await t
      .http()
      .get('/admin/bookings.csv?status=all&from=2027-01-01&to=2028-06-01')
      .set('Cookie', await cookieHeader());
    expect(tooWide.status).toBe(400);
  });

  async function cookieHeader() {
    return (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  }

  it('the list at 390 px: no axe violations, nothing wider than the screen', async () => {
    await page.goto('/admin/bookings');
    expect(await seriousViolations(page)).toEqual([]);
    await documentScreenshot(page, 'admin-bookings');
    await page.setViewportSize(PHONE);
    await page.reload();
    const wide = await page.evaluate(() =>
      Array.from(document.querySelectorAll('main *'))
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth)
        .map((el) => `${el.tagName}.${el.className}#${el.id} ${Math.round(el.getBoundingClientRect().right)}`),
    );
    expect(wide).toEqual([]);
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(WIDE);
  });

  it('details: invitees, guests, answers, join link, both zones and the notifications sent', async () => {
    await page.goto(`/admin/bookings?status=all&q=obrien`);
    await page.click(`[data-booking-id="${ids[0]}"] a.booking-link`);
    await page.waitForURL((url) => url.pathname === `/admin/bookings/${ids[0]}`);
    await expect(page.textContent('h1')).resolves.toContain('Intro call');
    await expect(page.textContent('[data-status]')).resolves.toBe('Confirmed');
    await expect(page.textContent('[data-host-time]')).resolves.toBe('Tuesday, 2 March 2027, 09:00 – 09:30 · 30 min');
    await expect(page.textContent('[data-invitee-time]')).resolves.toBe('Tuesday, 2 March 2027, 03:00 – 03:30'); // New York
    await expect(page.textContent('[data-invitees] li')).resolves.toContain('danny.obrien@example.com');
    await expect(page.textContent('[data-guests]')).resolves.toBe('Guests: linus@example.com');
    await expect(page.textContent('[data-answers] dt')).resolves.toBe('What would you like to discuss?');
    await expect(page.textContent('[data-answers] dd')).resolves.toBe(TOPIC);
    expect(await page.getAttribute('[data-where] a[data-join]', 'href')).toMatch(/^https:\/\/jitsi\.example\.org\//);
    await expect(page.textContent('[data-history]')).resolves.toContain(`Booked by ${DANNY} (invitee)`);
    for (const role of ['invitee', 'host', 'guest']) {
      expect([role, await page.locator(`[data-delivery="confirmation"][data-role="${role}"][data-status="sent"]`).count()]).toEqual([
        role,
        1,
      ]);
    }
    expect(await page.isVisible('[data-actions] [data-reschedule]')).toBe(true);
    expect(await page.locator('[data-more-actions]').count()).toBe(1);
    // Back to the list it was opened from.
    expect(await page.getAttribute('text=← All bookings', 'href')).toBe(
      '/admin/bookings?status=all&from=2027-01-30&to=2027-04-30&q=obrien',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(WIDE);
  });

  it('reschedule without JavaScript: real times only, a reason, the invitee is mailed, the history tells it', async () => {
    const plain = await browser.newContext({ baseURL: base, javaScriptEnabled: false, viewport: WIDE, locale: 'en-GB' });
    plain.setDefaultTimeout(20_000);
    const p = await plain.newPage();
    try {
      await login(p);
      await p.goto(`/admin/bookings/${ids[0]}`);
      await p.click('[data-reschedule]');
      await p.waitForURL((url) => url.pathname === `/admin/bookings/${ids[0]}/reschedule`);
      await expect(p.textContent('[data-current]')).resolves.toBe('Tuesday, 2 March 2027, 09:00 – 09:30');
      await p.click('a.day.available[data-date="2027-03-04"]');
      await p.waitForURL(/date=2027-03-04/);
      const times = await p.$$eval('.slot-list button.slot', (bs) => bs.map((b) => b.textContent));
      expect(times[0]).toBe('09:00');
      expect(times).toHaveLength(16);
      await p.fill('#reason', 'The room changed');
      await p.click('.slot-list button.slot:has-text("10:00")');
      await p.waitForURL(/\?moved=1/);
      const movedTo = new URL(p.url()).pathname.split('/').at(-1)!;
      expect(movedTo).not.toBe(ids[0]);
      await expect(p.textContent('[role=status]')).resolves.toContain('The booking was moved');
      await expect(p.textContent('[data-host-time]')).resolves.toBe('Thursday, 4 March 2027, 10:00 – 10:30 · 30 min');
      ids[0] = movedTo;
    } finally {
      await plain.close();
    }
    await settleDeliveries(t);
    const mail = smtp.to('danny.obrien@example.com').find((m) => m.text.includes('has moved'));
    expect(mail?.text).toContain('Reason: The room changed');
    expect(mail?.text).toContain('Thursday');

    await page.goto(`/admin/bookings/${ids[0]}`);
    const history = await page.$$eval('[data-history] li', (lis) => lis.map((li) => li.textContent?.replace(/^.*? — /, '')));
    expect(history).toEqual([
      `Booked by ${DANNY} (invitee)`,
      'Rescheduled by Ada Lovelace (host): from Tuesday, 2 March 2027, 09:00 – 09:30 to Thursday, 4 March 2027, 10:00 – 10:30',
    ]);
    expect(await page.locator('[data-delivery="reschedule"][data-role="invitee"][data-status="sent"]').count()).toBe(1);
    await documentScreenshot(page, 'admin-booking-details');
  });

  it('a time taken meanwhile is a message on the picker (409); the old id leads to the booking now', async () => {
    await page.goto(`/admin/bookings/${ids[2]}/reschedule?date=2027-03-04`);
    expect(await seriousViolations(page)).toEqual([]);
    await book('2027-03-04T09:30:00Z', invitee('quick')); // 10:30 in Berlin, booked by someone else first
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('.slot-list button.slot:has-text("10:30")'),
    ]);
    expect(response.status()).toBe(409);
    await page.waitForLoadState();
    await expect(page.textContent('[data-taken]')).resolves.toContain('That time was just taken');
    expect(await page.locator('.slot-list button.slot:has-text("10:30")').count()).toBe(0); // fresh times
    await page.setViewportSize(PHONE);
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(WIDE);

    const old = (await t.dataSource.query(`SELECT id FROM bookings WHERE rescheduled_to_id = $1`, [ids[0]])) as { id: string }[];
    await page.goto(`/admin/bookings/${old[0].id}`);
    expect(new URL(page.url()).pathname).toBe(`/admin/bookings/${ids[0]}`);
  });

  it('cancel from the details page with a reason: the history says who and why; nothing left to do', async () => {
    await page.goto(`/admin/bookings/${ids[0]}`);
    await page.$eval('#cancel-reason', (el) => el.removeAttribute('maxlength')); // as a hand-made request could
    await page.fill('#cancel-reason', 'x'.repeat(1001));
    await page.click('text=Cancel booking');
    await page.waitForLoadState();
    await expect(page.textContent('#error-summary')).resolves.toContain('one line of at most 1000 characters');
    expect(await page.getAttribute('#cancel-reason', 'aria-invalid')).toBe('true');
    await page.fill('#cancel-reason', 'The client is ill');
    await page.click('text=Cancel booking');
    await page.waitForURL(/cancelled=1/);
    await settleDeliveries(t);
    await page.reload();
    await expect(page.textContent('[data-status]')).resolves.toBe('Cancelled');
    await expect(page.textContent('[data-cancel-reason]')).resolves.toBe('The client is ill');
    const last = await page.locator('[data-history] li').last().textContent();
    expect(last).toContain('Cancelled by Ada Lovelace (host). Reason: “The client is ill”');
    expect(await page.isVisible('[data-reschedule]')).toBe(false);
    await expect(page.textContent('[data-actions]')).resolves.toContain('This booking can no longer be changed.');
    expect(await page.locator('[data-delivery="cancellation"][data-role="invitee"][data-status="sent"]').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('a request is confirmed or declined from its details page; the history records the answer', async () => {
    const approval = (
      await createMeetingType(t, ada, { name: 'Consultation', slug: 'consultation', duration_minutes: 30, requires_confirmation: true })
    ).id;
    const first = await book('2027-03-05T08:00:00Z', invitee('ask1'), approval); // Friday 09:00 Berlin
    const second = await book('2027-03-05T09:00:00Z', invitee('ask2'), approval);
    await settleDeliveries(t);
    await page.goto('/admin/bookings?status=pending');
    expect(await listedIds()).toEqual([first, second]);

    await page.goto(`/admin/bookings/${first}`);
    await expect(page.textContent('[data-status]')).resolves.toBe('Awaiting your answer');
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('text=Confirm request');
    await page.waitForURL(/confirmed=1/);
    await expect(page.textContent('[role=status]')).resolves.toContain('The booking was confirmed');
    await expect(page.textContent('[data-status]')).resolves.toBe('Confirmed');

    await page.goto(`/admin/bookings/${second}`);
    await page.$eval('#decline-reason', (el) => el.removeAttribute('maxlength'));
    await page.fill('#decline-reason', 'y'.repeat(1001));
    const [refused] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('text=Decline request')]);
    expect(refused.status()).toBe(400);
    await page.waitForLoadState();
    await expect(page.textContent('#error-summary')).resolves.toContain('one line of at most 1000 characters');
    expect(await page.getAttribute('#decline-reason', 'aria-invalid')).toBe('true');
    await page.fill('#decline-reason', 'Fully booked that day');
    await page.click('text=Decline request');
    await page.waitForURL(/declined=1/);
    await settleDeliveries(t);
    await page.reload();
    await expect(page.textContent('[data-status]')).resolves.toBe('Declined');
    await expect(page.textContent('[data-cancel-reason]')).resolves.toBe('Fully booked that day');
    const history = await page.$$eval('[data-history] li', (lis) => lis.map((li) => li.textContent?.replace(/^.*? — /, '')));
    expect(history).toEqual(['Booked by Invitee ask2 (invitee)', 'Declined by Ada Lovelace (host). Reason: “Fully booked that day”']);

    await page.goto(`/admin/bookings/${first}`);
    const confirmed = await page.$$eval('[data-history] li', (lis) => lis.map((li) => li.textContent?.replace(/^.*? — /, '')));
    expect(confirmed).toEqual(['Booked by Invitee ask1 (invitee)', 'Confirmed by Ada Lovelace (host)']);
  });

  it("another host's booking is a 404 on every page and action", async () => {
    expect((await page.goto(`/admin/bookings/${graceBooking}`))?.status()).toBe(404);
    expect((await page.goto(`/admin/bookings/${graceBooking}/reschedule`))?.status()).toBe(404);
    await page.goto('/admin/bookings');
    const csrf = await page.inputValue('input[name=_csrf]');
    for (const action of ['cancel', 'reschedule', 'confirm', 'decline']) {
      const res = await page.request.post(`/admin/bookings/${graceBooking}/${action}`, {
        form: { _csrf: csrf, start: '2027-03-04T11:00:00Z', reason: 'x' },
        maxRedirects: 0,
      });
      expect([action, res.status()]).toEqual([action, 404]);
    }
    const still = (await t.http().get(`/api/bookings/${graceBooking}`).set(grace.auth).expect(200)).body;
    expect(still.status).toBe('confirmed');
  });
  it('once the meeting has started the host marks a no-show on its details page, and can take it back', async () => {
    const id = await book('2027-03-04T13:00:00Z', {
      invitee_name: 'Nora Noshow',
      invitee_email: 'nora@example.com',
      time_zone: 'Europe/Berlin',
    });
    await page.goto(`/admin/bookings/${id}`);
    expect(await page.locator('[data-more-actions] button').count()).toBe(0); // not started yet
    t.clock!.advance(Date.parse('2027-03-04T13:45:00Z') - t.clock!.now().getTime());
    await page.goto(`/admin/bookings/${id}`);
    await page.click('[data-more-actions] button:has-text("Mark as no-show")');
    await page.waitForURL((url) => url.pathname === `/admin/bookings/${id}` && url.searchParams.has('no_show'));
    await expect(page.textContent('[data-more-actions] [data-no-show]')).resolves.toBe('No-show');
    const marked = (await t.http().get(`/api/bookings/${id}`).set(ada.auth).expect(200)).body;
    expect(marked.invitees[0].no_show_at).toEqual(expect.any(String));
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('[data-more-actions] button:has-text("Undo no-show")');
    await page.waitForURL((url) => url.searchParams.has('no_show_undone'));
    const undone = (await t.http().get(`/api/bookings/${id}`).set(ada.auth).expect(200)).body;
    expect(undone.invitees[0].no_show_at).toBeNull();
  });
});
