import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { documentScreenshot, launchBrowser, seriousViolations } from './support/browser.js';
import { HOST_PASSWORD, createHost, type TestHost } from './support/factories.js';
import { setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC.
const NOW = '2027-03-01T12:00:00Z';
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/** Availability, time off and limits for a host who chose German (PATCH /api/users/me {locale: 'de'}). */
describe('admin availability, time off and limits in German (headless Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;
  let host: TestHost;

  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    host = await createHost(t, { name: 'Karl Weber', username: 'karl', email: 'karl@example.com', time_zone: 'Europe/Berlin' });
    await setWeeklyHours(t, host, 'Europe/Berlin');
    await t.http().patch('/api/users/me').set(host.auth).send({ locale: 'de' }).expect(200);
    await t.http().put('/api/availability/holidays').set(host.auth).send({ country: 'DE' }).expect(200);

    ({ browser, close: closeBrowser } = await launchBrowser());
    // The browser speaks English: the admin follows the host's chosen language, not Accept-Language.
    context = await browser.newContext({ baseURL: base, timezoneId: 'Europe/Berlin', locale: 'en-GB', bypassCSP: true, viewport: WIDE });
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
    await page.goto('/admin/login');
    await page.fill('#email', host.email);
    await page.fill('#password', HOST_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => url.pathname === '/admin');
  });

  afterAll(async () => {
    await closeBrowser?.();
    await t?.close();
  });

  async function axeAtBothWidths() {
    await page.setViewportSize(WIDE);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(WIDE);
  }

  it('availability: German headings, weekdays, the overrides calendar in German (Monday first) and field errors', async () => {
    await page.goto('/admin/availability');
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    expect(await page.textContent('h1')).toBe('Verfügbarkeit');
    expect(await page.textContent('#hours-heading')).toContain('Wöchentliche Zeiten');
    expect(await page.textContent('label[for=avail_1]')).toContain('Montag');
    expect(await page.textContent('#ov-month-label')).toBe('März 2027');
    const headers = await page.locator('table.month thead th').allTextContents();
    expect(headers).toEqual(['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So']);
    expect(await page.getAttribute('table.month thead th >> nth=0', 'abbr')).toBe('Montag');
    expect(await page.getAttribute('a.day.pick[data-date="2027-03-09"]', 'aria-label')).toBe('Dienstag, 9. März 2027');
    await axeAtBothWidths();

    // A time that is no time: refused beside its box, in German.
    await page.fill('#d1_start_0', '25:99');
    await page.click('button[name=save]');
    await page.locator('#d1_start_0-error').waitFor();
    expect(await page.textContent('#d1_start_0-error')).toBe('„25:99“ ist keine Uhrzeit; schreiben Sie sie etwa als 09:00 oder 9:30.');
    expect(await page.textContent('.alert')).toContain('Bitte korrigieren Sie die markierten Felder.');
    await axeAtBothWidths();

    // An override saved: the notice names the date in German.
    await page.goto('/admin/availability?month=2027-03&date=2027-03-09#override-form');
    await page.click('#override-form button[name=save]');
    await page.waitForURL(/override_saved=2027-03-09/);
    expect(await page.textContent('[role=status].alert')).toBe('Ausnahme für Dienstag, 9. März 2027 gespeichert.');
    expect(await page.textContent('.override-list')).toContain('Ganztägig nicht verfügbar');
    await documentScreenshot(page, 'admin-availability-de');

    // The script's row labels follow the page's language.
    await page.click('fieldset.weekday[data-day="1"] [data-add]');
    expect(await page.textContent('label[for=d1_start_1]')).toBe('Montag, Zeitraum 2 von');
    expect(await page.getAttribute('fieldset.weekday[data-day="1"] [data-remove] >> nth=1', 'aria-label')).toBe(
      'Montag, Zeitraum 2 entfernen',
    );
  });

  it('time off: German labels, holidays named in German with German dates, a field error in German', async () => {
    await page.goto('/admin/time-off');
    expect(await page.textContent('h1')).toBe('Abwesenheit');
    expect(await page.textContent('#holiday-list-heading')).toBe('Deutschland: Feiertage 2027');
    const holidays = await page.textContent('table.holidays');
    expect(holidays).toContain('Karfreitag');
    expect(holidays).toContain('Freitag, 26. März 2027');
    expect(await page.textContent('#country option:checked')).toBe('Deutschland');
    await axeAtBothWidths();

    await page.click('button:has-text("Abwesenheit hinzufügen")');
    await page.locator('#start_date-error').waitFor();
    expect(await page.textContent('#start_date-error')).toBe('Geben Sie den ersten Tag Ihrer Abwesenheit ein.');
    await axeAtBothWidths();

    await page.fill('#start_date', '2027-04-05');
    await page.fill('#end_date', '2027-04-09');
    await page.click('button:has-text("Abwesenheit hinzufügen")');
    await page.waitForURL(/done=added/);
    expect(await page.textContent('[role=status].alert')).toBe('Abwesenheit hinzugefügt.');
    expect(await page.textContent('.booking.time-off')).toContain('Montag, 5. April 2027 – Freitag, 9. April 2027');
  });

  it('limits: German labels and weekdays, a field error beside its box', async () => {
    await page.goto('/admin/limits');
    expect(await page.textContent('h1')).toBe('Grenzen');
    expect(await page.textContent('label[for=max_bookings_per_day]')).toBe('Höchstens Buchungen pro Tag');
    expect(await page.textContent('#week_start option:checked')).toBe('Montag');
    await axeAtBothWidths();

    await page.fill('#max_bookings_per_day', 'viele');
    await page.click('button.primary');
    await page.locator('#max_bookings_per_day-error').waitFor();
    expect(await page.textContent('.alert')).toContain('Bitte korrigieren Sie die markierten Felder.');
    await axeAtBothWidths();
  });
});
