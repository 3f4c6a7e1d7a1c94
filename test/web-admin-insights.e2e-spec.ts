import type { Browser, BrowserContext, Page } from 'playwright-core';
import { wallTimeToInstant } from '../src/modules/availability/domain/wall-clock.js';
import { documentScreenshot, launchBrowser, seriousViolations } from './support/browser.js';
import { HOST_PASSWORD, createHost, markEmailVerified, type TestHost } from './support/factories.js';
import { freePort } from './support/free-port.js';
import { createMeetingType, createTeam, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Bookings are made on Monday 1 March 2027; the pages are looked at on Friday 2 April 2027, 12:00 in Berlin.
const BOOKED_AT = '2027-03-01T08:00:00Z';
const NOW = '2027-04-02T10:00:00Z';
const BERLIN = 'Europe/Berlin';
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/** The admin's Insights page and the dashboard's no-show button (issue #18), in headless Chromium. */
describe('admin: insights and no-shows (headless Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;
  let ada: TestHost;
  let lateId: string;

  const berlin = (date: string, hour: number) => new Date(wallTimeToInstant(date, hour * 60, BERLIN)).toISOString();

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await startTestApp({ now: BOOKED_AT, env: { PUBLIC_URL: base, OUTBOX_POLL_INTERVAL_MS: '0' } });
    await t.app.listen(port, '127.0.0.1');
    ada = await createHost(t, { name: 'Ada Lovelace', username: 'ada', email: 'ada@example.com', time_zone: BERLIN });
    await markEmailVerified(t, ada); // README screenshots show the admin without the "verify your email" banner
    await setWeeklyHours(t, ada, BERLIN);
    const type = await createMeetingType(t, ada, { name: 'Intro call', slug: 'intro-call', duration_minutes: 30 });
    const book = async (typeId: string, start: string, n: string) => {
      const res = await t
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: typeId, start_time: start, ...invitee(n) });
      if (res.status !== 201) throw new Error(`booking failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string };
    };
    // Four weeks of March, busier mid-morning and on Tuesdays and Thursdays, across the change to summer time.
    const days = ['2027-03-02', '2027-03-04', '2027-03-09', '2027-03-10', '2027-03-11', '2027-03-16', '2027-03-18', '2027-03-23'];
    const more = ['2027-03-25', '2027-03-26', '2027-03-30', '2027-03-31', '2027-04-01'];
    let n = 0;
    const made: string[] = [];
    for (const [i, date] of [...days, ...more].entries()) {
      for (const hour of i % 3 === 0 ? [10, 11, 14] : i % 2 === 0 ? [10, 15] : [9])
        made.push((await book(type.id, berlin(date, hour), `i${n++}`)).id);
    }
    for (const id of [made[1], made[7], made[12]]) await t.http().delete(`/api/bookings/${id}`).set(ada.auth).send({}).expect(200);
    await t
      .http()
      .put(`/api/bookings/${made[3]}/reschedule`)
      .set(ada.auth)
      .send({ start_time: berlin('2027-03-12', 13) })
      .expect(200);
    lateId = made.at(-1)!;
    // created_at is the database's now(): say each booking was made a week before its meeting.
    await t.dataSource.query(`UPDATE bookings SET created_at = start_time - interval '7 days' WHERE host_user_id = $1`, [ada.id]);

    // Page views on several days, and a round-robin team Ada belongs to.
    for (const [day, views] of [
      ['2027-03-01T09:00:00Z', 9],
      ['2027-03-08T09:00:00Z', 12],
      ['2027-03-15T09:00:00Z', 7],
      ['2027-03-22T09:00:00Z', 10],
    ] as const) {
      t.clock!.set(day);
      for (let i = 0; i < views; i++) await t.http().get('/ada/intro-call').expect(200);
    }
    t.clock!.set(BOOKED_AT);
    const bob = await createHost(t, { name: 'Bob Builder', time_zone: BERLIN });
    const cleo = await createHost(t, { name: 'Cleo Park', time_zone: BERLIN });
    for (const h of [bob, cleo]) await setWeeklyHours(t, h, BERLIN);
    const team = await createTeam(t, bob, [ada, cleo]);
    const rr = await createMeetingType(t, bob, {
      name: 'Sales demo',
      slug: 'demo',
      kind: 'round_robin',
      team_id: team.id,
      host_ids: [bob.id, cleo.id],
    });
    for (const [i, date] of ['2027-03-03', '2027-03-05', '2027-03-17', '2027-03-19', '2027-03-24'].entries())
      await book(rr.id, berlin(date, 9), `r${i}`);
    t.clock!.set(NOW);

    ({ browser, close: closeBrowser } = await launchBrowser());
    context = await browser.newContext({ baseURL: base, timezoneId: BERLIN, locale: 'en-GB', bypassCSP: true, viewport: WIDE });
    context.setDefaultTimeout(20_000); // argon2 on a shared 2-core machine
    page = await context.newPage();
    await page.goto('/admin/login');
    await page.fill('#email', ada.email);
    await page.fill('#password', HOST_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => url.pathname === '/admin');
  });

  afterAll(async () => {
    await closeBrowser?.();
    await t?.close();
  });

  /** Nothing wider than the window at phone width (a horizontal scroll bar). */
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  it('marks a past booking as a no-show from the dashboard, and takes it back', async () => {
    await page.goto('/admin');
    const row = page.locator(`#past #booking-${lateId}`);
    await row.locator('button', { hasText: 'Mark as no-show' }).click();
    await page.waitForURL(/no_show=1/);
    expect(await page.textContent('.alert.ok')).toContain('Marked as a no-show');
    expect(await page.locator(`#past #booking-${lateId} [data-no-show]`).textContent()).toBe('No-show');
    const stored = await t.http().get(`/api/bookings/${lateId}`).set(ada.auth).expect(200);
    expect(stored.body.invitees[0].no_show_at).toBe('2027-04-02T10:00:00Z');
    expect(await seriousViolations(page)).toEqual([]);

    await page.locator(`#past #booking-${lateId} button`, { hasText: 'Undo no-show' }).click();
    await page.waitForURL(/no_show_undone=1/);
    expect(await page.locator(`#past #booking-${lateId} [data-no-show]`).count()).toBe(0);
    await page.locator(`#past #booking-${lateId} button`, { hasText: 'Mark as no-show' }).click();
    await page.waitForURL(/no_show=1/);
    // Upcoming meetings have no such button.
    expect(await page.locator('#upcoming button', { hasText: 'Mark as no-show' }).count()).toBe(0);
  });

  it('draws the weeks, the heatmap, the figures and round robin, with tables, at 1280 and 390 px', async () => {
    await page.goto('/admin/insights');
    // The form works without JavaScript: a GET with the dates.
    await page.fill('#from', '2027-03-01');
    await page.fill('#to', '2027-04-04');
    await page.click('button:has-text("Show")');
    await page.waitForURL(/from=2027-03-01&to=2027-04-04/);
    expect(await page.textContent('[data-range]')).toContain('Monday, 1 March 2027 – Sunday, 4 April 2027');
    const figures = await page.$$eval('.figure', (els) =>
      els.map((e) =>
        Array.from(e.querySelectorAll('dt, .figure-value, .hint'))
          .map((part) => part.textContent!.trim())
          .join(' '),
      ),
    );
    expect(figures).toEqual([
      'Page views 38',
      // 27 bookings and one moved; the four meeting before 8 March were made in February (a week before).
      'Bookings made 23',
      'Conversion 60.5% bookings made per page view',
      'Cancellation rate 11.1% 3 of 27 meetings',
      'Reschedule rate 3.7% 1 of 27 meetings moved',
      'No-shows 1 invitees marked',
    ]);
    expect(await page.locator('svg[role=img]').count()).toBe(3);
    expect(await page.textContent('#weeks-title')).toContain('Bookings per week');
    expect(await page.locator('svg .bar.created').count()).toBeGreaterThan(5);
    // The heatmap in local time: 10:00 on Tuesdays before (2 and 9 March) and after (30 March) the change to summer time.
    expect(await page.locator('.heatmap rect title', { hasText: 'Tuesday 10:00: 3 meetings' }).count()).toBe(1);
    // 5 weeks, 7 weekdays, 2 round-robin hosts.
    expect(await page.locator('table.data tbody tr').count()).toBe(5 + 7 + 2);
    expect(await page.locator('svg title', { hasText: 'Sales demo: meetings per host' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await documentScreenshot(page, 'admin-insights');

    await page.setViewportSize(PHONE);
    try {
      expect(await overflow()).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await page.setViewportSize(WIDE);
    }
  });

  it('shows an empty state, and form errors beside their fields', async () => {
    await page.goto('/admin/insights?from=2026-01-01&to=2026-01-31');
    expect(await page.isVisible('[data-empty]')).toBe(true);
    expect(await page.locator('svg[role=img]').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    try {
      expect(await overflow()).toBeLessThanOrEqual(0);
    } finally {
      await page.setViewportSize(WIDE);
    }

    const bad = await page.goto('/admin/insights?from=2027-01-01&to=2028-03-01');
    expect(bad!.status()).toBe(400);
    expect(await page.textContent('#to-error')).toContain('366 days');
    expect(await page.getAttribute('#to', 'aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/admin/insights?from=2027-04-05&to=2027-04-01');
    expect(await page.textContent('#from-error')).toContain('after');
  });

  it('in German (the host chose de): the dashboard, the list, a booking and insights, with German dates, axe clean', async () => {
    await t.http().patch('/api/users/me').set(ada.auth).send({ locale: 'de' }).expect(200);
    try {
      await page.goto('/admin');
      expect(await page.getAttribute('html', 'lang')).toBe('de');
      expect(await page.textContent('h1')).toBe('Buchungen');
      expect(await page.textContent('#past-h')).toBe('Vergangen und abgesagt');
      const late = page.locator(`#past #booking-${lateId}`);
      expect(await late.textContent()).toContain('Donnerstag, 1. April 2027, 14:00 – 14:30');
      expect(await late.locator('[data-no-show]').textContent()).toBe('Nicht erschienen');
      expect(await late.locator('button', { hasText: 'Nicht erschienen zurücknehmen' }).getAttribute('aria-label')).toContain(
        'Intro call am Donnerstag, 1. April 2027',
      );
      expect(await page.locator('#past .badge', { hasText: 'abgesagt' }).count()).toBeGreaterThan(0);
      expect(await seriousViolations(page)).toEqual([]);

      await page.goto('/admin/bookings?status=past&from=2027-03-01&to=2027-04-02');
      expect(await page.textContent('h1')).toBe('Alle Buchungen');
      expect(await page.textContent('label[for=status]')).toBe('Anzeigen');
      expect(await page.$eval('#status', (s: HTMLSelectElement) => s.selectedOptions[0].textContent)).toBe('Vergangen');
      expect(await page.textContent('#results-h')).toMatch(/^Buchungen 1–\d+ von \d+$/);
      expect(await page.locator('[data-results] .badge').first().textContent()).toBe('bestätigt');
      expect(await page.textContent('[data-results]')).toContain('Donnerstag, 1. April 2027');
      expect(await page.textContent('[data-csv]')).toBe('Als CSV exportieren');
      expect(await seriousViolations(page)).toEqual([]);
      const bad = await page.goto('/admin/bookings?from=1.3.2027');
      expect(bad!.status()).toBe(400);
      expect(await page.textContent('#from-error')).toContain('JJJJ-MM-TT');

      await page.goto(`/admin/bookings/${lateId}`);
      expect(await page.textContent('h1')).toContain('Bestätigt');
      expect(await page.textContent('[data-host-time]')).toContain('Donnerstag, 1. April 2027, 14:00 – 14:30 · 30 Min.');
      expect(await page.textContent('#history-h')).toBe('Verlauf');
      // The history comes from the audit log (the outbox does not run here): its German empty state, or its lines.
      expect(await page.textContent('section[aria-labelledby=history-h]')).toMatch(/Gebucht|Noch nichts aufgezeichnet/);
      expect(await page.textContent('#notifications-h')).toBe('Benachrichtigungen');
      expect(await page.isVisible('button:has-text("Nicht erschienen zurücknehmen")')).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);

      // Its reschedule page: the meeting is over, so nothing to move to.
      await page.goto(`/admin/bookings/${lateId}/reschedule`);
      expect(await page.textContent('h1')).toBe('Intro call verschieben');
      expect(await page.textContent('main')).toContain('Diese Buchung kann nicht mehr verschoben werden.');
      expect(await seriousViolations(page)).toEqual([]);

      await page.goto('/admin/insights?from=2027-03-01&to=2027-04-04');
      expect(await page.textContent('h1')).toBe('Auswertungen');
      expect(await page.textContent('[data-range]')).toContain('Montag, 1. März 2027 – Sonntag, 4. April 2027');
      expect(await page.textContent('.figure dt')).toBe('Seitenaufrufe');
      expect(await page.locator('.heatmap rect title', { hasText: 'Dienstag 10:00: 3 Termine' }).count()).toBe(1);
      expect(await page.textContent('#weeks-title')).toContain('Buchungen pro Woche');
      expect(await page.locator('svg title', { hasText: 'Sales demo: Termine pro Gastgeber' }).count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await t.http().patch('/api/users/me').set(ada.auth).send({ locale: 'en' }).expect(200);
    }
  });
});
