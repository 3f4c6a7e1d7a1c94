import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { documentScreenshot, launchBrowser, seriousViolations } from './support/browser.js';
import { HOST_PASSWORD, createHost, markEmailVerified, type TestHost } from './support/factories.js';
import { createMeetingType, createTeam, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC. Berlin is UTC+1 until Sunday 28 March, UTC+2 after; Good Friday is 26 March.
const NOW = '2027-03-01T12:00:00Z';
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/** The admin's booking limits, host-wide limits, time off and holidays forms, and their effect on the booking page. */
describe('admin limits, time off and holidays (headless Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;
  let ada: TestHost;
  let grace: TestHost;
  let typeId: string;

  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    ada = await createHost(t, { name: 'Ada Lovelace', username: 'ada', email: 'ada@example.com', time_zone: 'Europe/Berlin' });
    await markEmailVerified(t, ada); // README screenshots show the admin without the "verify your email" banner
    grace = await createHost(t, { name: 'Grace Hopper', username: 'grace', email: 'grace@example.com', time_zone: 'Europe/Berlin' });
    await createTeam(t, ada, [grace]);
    await setWeeklyHours(t, ada, 'Europe/Berlin');
    typeId = (await createMeetingType(t, ada, { name: 'Intro call', slug: 'intro-call', duration_minutes: 30 })).id;

    ({ browser, close: closeBrowser } = await launchBrowser());
    context = await browser.newContext({ baseURL: base, timezoneId: 'Europe/Berlin', locale: 'en-GB', bypassCSP: true, viewport: WIDE });
    context.setDefaultTimeout(20_000); // argon2 on a shared 2-core machine
    page = await context.newPage();
    await logIn(page, ada.email);
  });

  afterAll(async () => {
    await closeBrowser?.();
    await t?.close();
  });

  async function logIn(p: Page, email: string) {
    await p.goto('/admin/login');
    await p.fill('#email', email);
    await p.fill('#password', HOST_PASSWORD);
    await p.click('button[type=submit]');
    await p.waitForURL((url) => url.pathname === '/admin');
  }

  const errorOf = (field: string) => page.textContent(`#${field}-error`);
  const api = (path: string, host = ada) => t.http().get(path).set(host.auth).expect(200);

  it('the nav reaches the new pages, and their posts need the CSRF token', async () => {
    await page.goto('/admin');
    for (const [label, path] of [
      ['Time off', '/admin/time-off'],
      ['Limits', '/admin/limits'],
    ]) {
      await page.click(`nav[aria-label=Admin] >> text=${label}`);
      await page.waitForURL(new RegExp(`${path}$`));
      expect(await page.getAttribute(`nav a[href="${path}"]`, 'aria-current')).toBe('page');
    }
    for (const path of ['/admin/limits', '/admin/time-off', '/admin/time-off/holidays']) {
      const res = await page.request.post(path, {
        form: { max_bookings_per_day: '1', start_date: '2027-04-01', end_date: '2027-04-02', country: 'DE' },
        maxRedirects: 0,
      });
      expect(res.status()).toBe(403);
    }
    expect((await api('/api/availability/limits')).body.max_bookings_per_day).toBeNull();
    expect((await api('/api/availability/time-off')).body).toEqual([]);
  });

  it("the meeting type editor's Limits: errors beside their fields, values stored through the API, empty = no limit", async () => {
    await page.setViewportSize(WIDE);
    await page.goto(`/admin/meeting-types/${typeId}`);
    expect(await page.inputValue('#max_bookings_per_week')).toBe('');
    expect(await page.inputValue('#booking_window_type')).toBe('calendar_days');

    await page.fill('#max_bookings_per_week', '5');
    await page.fill('#max_bookings_per_month', '3'); // below the weekly cap: the rules refuse it
    await page.fill('#max_booked_minutes_per_day', '10'); // below the 30-minute duration
    await page.fill('#cancellation_cutoff_minutes', 'soon'); // the API's integer check
    await page.click('text=Save meeting type');
    await expect(errorOf('cancellation_cutoff_minutes')).resolves.toMatch(/integer from 0 to 525600/);
    expect(await page.getAttribute('#cancellation_cutoff_minutes', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#max_bookings_per_week')).toBe('5'); // what was typed is kept
    expect(await seriousViolations(page)).toEqual([]);

    await page.fill('#cancellation_cutoff_minutes', '1440');
    await page.click('text=Save meeting type');
    await expect(errorOf('max_bookings_per_month')).resolves.toMatch(/at least max_bookings_per_week \(5\)/);
    await expect(errorOf('max_booked_minutes_per_day')).resolves.toMatch(/at least duration_minutes \(30\)/);
    expect(await page.getAttribute('#max_bookings_per_month', 'aria-invalid')).toBe('true');
    expect((await api(`/api/meeting-types/${typeId}`)).body.max_bookings_per_week).toBeNull(); // nothing half-saved

    await page.fill('#max_bookings_per_month', '12');
    await page.fill('#max_bookings_per_year', '100');
    await page.fill('#max_booked_minutes_per_day', '120');
    await page.fill('#max_booked_minutes_per_week', '480');
    await page.fill('#max_active_bookings_per_invitee', '2');
    await page.fill('#reschedule_cutoff_minutes', '60');
    await page.fill('#booking_window_days', '20');
    await page.selectOption('#booking_window_type', 'business_days');
    await page.click('text=Save meeting type');
    await page.waitForURL(/\/admin\/meeting-types\?saved=1/);
    expect((await api(`/api/meeting-types/${typeId}`)).body).toMatchObject({
      max_bookings_per_week: 5,
      max_bookings_per_month: 12,
      max_bookings_per_year: 100,
      max_booked_minutes_per_day: 120,
      max_booked_minutes_per_week: 480,
      max_active_bookings_per_invitee: 2,
      cancellation_cutoff_minutes: 1440,
      reschedule_cutoff_minutes: 60,
      booking_window_days: 20,
      booking_window_type: 'business_days',
    });

    await page.goto(`/admin/meeting-types/${typeId}`);
    expect(await page.inputValue('#max_bookings_per_month')).toBe('12');
    expect(await page.inputValue('#booking_window_type')).toBe('business_days');
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator('#limits').scrollIntoViewIfNeeded();
    await documentScreenshot(page, 'admin-type-limits');

    // On a phone: the section still works, and clearing a box removes that limit.
    await page.setViewportSize(PHONE);
    await page.goto(`/admin/meeting-types/${typeId}`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.fill('#max_bookings_per_year', '');
    await page.fill('#reschedule_cutoff_minutes', '');
    await page.click('text=Save meeting type');
    await page.waitForURL(/saved=1/);
    const stored = (await api(`/api/meeting-types/${typeId}`)).body;
    expect(stored.max_bookings_per_year).toBeNull();
    expect(stored.reschedule_cutoff_minutes).toBeNull();
    expect(stored.max_bookings_per_week).toBe(5);
  });

  it('host-wide limits and week start: errors beside their fields, stored through GET|PUT /api/availability/limits', async () => {
    await page.setViewportSize(WIDE);
    await page.goto('/admin/limits');
    expect(await page.inputValue('#week_start')).toBe('monday');
    await page.fill('#max_bookings_per_day', '4');
    await page.fill('#max_bookings_per_week', '2'); // below the daily cap
    await page.fill('#max_booked_minutes_per_day', '3'); // below the API's minimum of 5
    await page.click('text=Save limits');
    await expect(errorOf('max_booked_minutes_per_day')).resolves.toMatch(/integer from 5 to 1440/);
    await page.fill('#max_booked_minutes_per_day', '300');
    await page.click('text=Save limits');
    await expect(errorOf('max_bookings_per_week')).resolves.toMatch(/at least max_bookings_per_day \(4\)/);
    expect(await page.getAttribute('#max_bookings_per_week', 'aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);

    await page.fill('#max_bookings_per_week', '15');
    await page.fill('#max_bookings_per_month', '40');
    await page.selectOption('#week_start', 'sunday');
    await page.click('text=Save limits');
    await page.waitForURL(/\/admin\/limits\?saved=1/);
    await page.locator('.alert.ok', { hasText: 'Limits saved.' }).waitFor();
    expect((await api('/api/availability/limits')).body).toMatchObject({
      max_bookings_per_day: 4,
      max_bookings_per_week: 15,
      max_bookings_per_month: 40,
      max_bookings_per_year: null,
      max_booked_minutes_per_day: 300,
      max_booked_minutes_per_week: null,
      week_start: 'sunday',
    });
    expect(await page.inputValue('#max_bookings_per_week')).toBe('15');
    expect(await page.inputValue('#week_start')).toBe('sunday');
    await documentScreenshot(page, 'admin-host-limits');

    await page.setViewportSize(PHONE);
    await page.goto('/admin/limits');
    expect(await seriousViolations(page)).toEqual([]);
    await page.fill('#max_bookings_per_month', '');
    await page.click('text=Save limits');
    await page.waitForURL(/saved=1/);
    expect((await api('/api/availability/limits')).body.max_bookings_per_month).toBeNull();
    expect((await api('/api/availability/limits', grace)).body.max_bookings_per_day).toBeNull(); // Ada's only
  });

  it('time off: added in the host zone as wall clock (across the DST change), listed, deleted; errors beside the fields', async () => {
    await page.setViewportSize(WIDE);
    await page.goto('/admin/time-off');
    await page.locator('text=No time off planned.').waitFor();
    await expect(page.textContent('#time-off-hint')).resolves.toContain('Europe/Berlin');

    // The end before the start, and an unreal date: both refused beside their fields.
    await page.fill('#start_date', '2027-03-29');
    await page.fill('#end_date', '2027-03-26');
    await page.fill('#reason', 'Ski trip');
    await page.click('button:has-text("Add time off")');
    await expect(errorOf('end_date')).resolves.toMatch(/must be after/);
    expect(await page.getAttribute('#end_date', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#reason')).toBe('Ski trip');
    expect(await seriousViolations(page)).toEqual([]);

    // Whole days Friday 26 to Monday 29 March: from Berlin midnight (UTC+1) to the midnight after the 29th (UTC+2).
    await page.fill('#start_date', '2027-03-26');
    await page.fill('#end_date', '2027-03-29');
    await page.selectOption('#redirect_to', { label: 'Grace Hopper' });
    await page.click('button:has-text("Add time off")');
    await page.waitForURL(/done=added/);
    // An afternoon: times are Berlin wall clock too.
    await page.fill('#start_date', '2027-04-06');
    await page.fill('#start_time', '13:00');
    await page.fill('#end_date', '2027-04-06');
    await page.fill('#end_time', '17:30');
    await page.click('button:has-text("Add time off")');
    await page.waitForURL(/done=added/);
    const stored = (await api('/api/availability/time-off')).body as Array<Record<string, unknown>>;
    expect(stored).toMatchObject([
      {
        start_time: '2027-03-25T23:00:00Z',
        end_time: '2027-03-29T22:00:00Z',
        reason: 'Ski trip',
        redirect_to_user_id: grace.id,
      },
      { start_time: '2027-04-06T11:00:00Z', end_time: '2027-04-06T15:30:00Z', reason: null, redirect_to_user_id: null },
    ]);
    await expect(page.textContent('.time-off:first-child')).resolves.toMatch(
      /Friday, 26 March 2027 – Monday, 29 March 2027[\s\S]*Ski trip[\s\S]*Grace Hopper/,
    );

    await page.click('button[aria-label^="Delete time off 6 Apr 2027, 13:00"]');
    await page.waitForURL(/done=deleted/);
    expect(((await api('/api/availability/time-off')).body as unknown[]).length).toBe(1);

    // Another host's session cannot delete it (404, nothing deleted).
    const other = await browser.newContext({ baseURL: base, bypassCSP: true });
    other.setDefaultTimeout(20_000);
    const gracePage = await other.newPage();
    await logIn(gracePage, grace.email);
    await gracePage.goto('/admin/time-off');
    await gracePage.locator('text=No time off planned.').waitFor(); // sees none of Ada's
    const csrf = await gracePage.inputValue('input[name=_csrf]');
    const res = await gracePage.request.post(`/admin/time-off/${stored[0]!.id as string}/delete`, {
      form: { _csrf: csrf },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(404);
    await other.close();
    expect(((await api('/api/availability/time-off')).body as unknown[]).length).toBe(1);
  });

  it('holidays: a country, then its region; the year is listed with names; an unknown country is refused beside the select', async () => {
    await page.setViewportSize(WIDE);
    await page.goto('/admin/time-off');
    await page.locator('text=You follow no public holidays.').waitFor();
    expect(await page.locator('#region').count()).toBe(0); // no country, no regions to pick

    // A forged choice is refused beside the select.
    await page.evaluate(() => {
      const select = document.querySelector<HTMLSelectElement>('#country')!;
      select.add(new Option('Nowhere', 'ZZ'));
      select.value = 'ZZ';
    });
    await page.click('text=Save holidays');
    await expect(errorOf('country')).resolves.toMatch(/country/i);
    expect(await page.getAttribute('#country', 'aria-invalid')).toBe('true');

    await page.selectOption('#country', 'DE');
    await page.click('text=Save holidays');
    await page.waitForURL(/done=holidays/);
    await page.selectOption('#region', 'BY');
    await page.click('text=Save holidays');
    await page.waitForURL(/done=holidays/);
    const year = (await api('/api/availability/holidays')).body;
    expect(year).toMatchObject({ country: 'DE', region: 'BY', year: 2027, time_zone: 'Europe/Berlin' });
    const rows = await page.locator('table.holidays tbody tr').allTextContents();
    expect(rows.length).toBe(year.holidays.length);
    expect(rows.join('\n')).toMatch(/Friday, 26 March 2027\s*Good Friday/);
    expect(rows.join('\n')).toMatch(/Epiphany/); // a Bavarian one
    expect(await seriousViolations(page)).toEqual([]);
    await documentScreenshot(page, 'admin-time-off');

    await page.setViewportSize(PHONE);
    await page.goto('/admin/time-off');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.inputValue('#region')).toBe('BY');
  });

  it('the booking page shows days off (time off, holidays) as unavailable, without the reason', async () => {
    const invitee = await browser.newContext({
      baseURL: base,
      timezoneId: 'Europe/Berlin',
      locale: 'en-GB',
      bypassCSP: true,
      viewport: PHONE,
    });
    const p = await invitee.newPage();
    await p.goto('/ada/intro-call?month=2027-03&tz=Europe/Berlin');
    const day = (date: string) => p.locator(`td:has([aria-label^="${date}"]) > *`);
    // Thursday 25 March offers times; Friday 26 (Good Friday and time off), Monday 29 (Easter Monday and time off) do
    // not. Tuesday 30 (past the 20 business day window) has no times either, but the time off ended at its midnight
    // (Berlin, now UTC+2): it is not marked.
    expect(await day('Thursday, 25 March 2027').getAttribute('class')).toMatch(/available/);
    expect(await day('Tuesday, 30 March 2027').getAttribute('aria-label')).toMatch(/no times available$/);
    for (const date of ['Friday, 26 March 2027', 'Monday, 29 March 2027']) {
      expect(await day(date).evaluate((el) => el.tagName)).toBe('SPAN');
      expect(await day(date).getAttribute('class')).toMatch(/\boff\b/);
      expect(await day(date).getAttribute('aria-label')).toMatch(/unavailable$/);
    }
    // A weekend without hours is just a day without times.
    expect(await day('Saturday, 20 March 2027').getAttribute('aria-label')).toMatch(/no times available$/);
    await p.locator('.days-off-note', { hasText: 'Unavailable' }).waitFor();
    await p.goto('/ada/intro-call?month=2027-03&date=2027-03-26&tz=Europe/Berlin');
    await p.locator('#slots-label + p', { hasText: 'Unavailable.' }).waitFor();
    expect(await p.content()).not.toContain('Ski trip'); // not away yet: no notice, and the calendar never says why
    expect(await seriousViolations(p)).toEqual([]);
    await invitee.close();
  });
});
