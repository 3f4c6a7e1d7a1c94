import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { documentScreenshot, launchBrowser, seriousViolations } from './support/browser.js';
import { HOST_PASSWORD, createHost, markEmailVerified, type TestHost } from './support/factories.js';
import { createMeetingType } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC. Berlin is UTC+1 until Sunday 28 March, UTC+2 after.
const NOW = '2027-03-01T12:00:00Z';
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/** A README screenshot of one part of the page (the top of the page when `selector` is null), with UPDATE_SCREENSHOTS=1. */
async function partScreenshot(page: Page, name: string, selector: string | null): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync('docs/screenshots', { recursive: true });
  const path = `docs/screenshots/${name}.png`;
  if (selector) await page.locator(selector).screenshot({ path });
  else await page.screenshot({ path, fullPage: false });
}

interface ApiSchedule {
  id: string;
  name: string;
  time_zone: string;
  is_default: boolean;
  rules: Array<{ day_of_week: number; start_time: string; end_time: string }>;
  overrides: Array<{ date: string; intervals: Array<{ start_time: string; end_time: string }> }>;
}

/** The availability editors: weekly hours without typing syntax, overrides on a calendar, named schedules. */
describe('admin schedules, weekly hours and date overrides (headless Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;
  let ada: TestHost;
  let typeId: string;

  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    ada = await createHost(t, { name: 'Ada Lovelace', username: 'ada', email: 'ada@example.com', time_zone: 'Europe/Berlin' });
    await markEmailVerified(t, ada); // README screenshots show the admin without the "verify your email" banner
    typeId = (await createMeetingType(t, ada, { name: 'Intro call', slug: 'intro-call', duration_minutes: 60 })).id;

    ({ browser, close: closeBrowser } = await launchBrowser());
    context = await browser.newContext({ baseURL: base, timezoneId: 'Europe/Berlin', locale: 'en-GB', bypassCSP: true, viewport: WIDE });
    context.setDefaultTimeout(20_000); // argon2 on a shared 2-core machine
    page = await context.newPage();
    await logIn(page);
  });

  afterAll(async () => {
    await closeBrowser?.();
    await t?.close();
  });

  async function logIn(p: Page) {
    await p.goto('/admin/login');
    await p.fill('#email', ada.email);
    await p.fill('#password', HOST_PASSWORD);
    await p.click('button[type=submit]');
    await p.waitForURL((url) => url.pathname === '/admin');
  }

  const schedules = async () => (await t.http().get('/api/schedules').set(ada.auth).expect(200)).body as ApiSchedule[];
  const defaultSchedule = async () => (await schedules()).find((s) => s.is_default)!;
  const hoursOf = (s: ApiSchedule, day: number) => s.rules.filter((r) => r.day_of_week === day).map((r) => `${r.start_time}-${r.end_time}`);
  /** Start instants (UTC ms) of the bookable one-hour slots of the intro call on a Berlin date. */
  const slotsOn = async (date: string, meetingTypeId = typeId) => {
    const res = await t
      .http()
      .get('/api/availability/slots')
      .query({ meeting_type_id: meetingTypeId, date, timezone: 'Europe/Berlin' })
      .expect(200);
    return (res.body.slots as Array<{ start_time: string }>).map((s) => new Date(s.start_time).toISOString());
  };
  const errorOf = (p: Page, field: string) => p.textContent(`#${field}-error`);
  const day = (d: number) => `fieldset.weekday[data-day="${d}"]`;

  it('weekly hours with day toggles and time boxes: add, copy to weekdays, remove, at once; the slots follow (DST included)', async () => {
    await page.goto('/admin/availability');
    expect(await page.isChecked('#avail_1')).toBe(false); // a new host has no hours yet
    expect(await page.isVisible('#d1_start_0')).toBe(false); // an unticked day shows "Unavailable"
    await page.check('#avail_1');
    expect(await page.inputValue('#d1_start_0')).toBe('09:00');
    await page.fill('#d1_end_0', '12:00');
    const url = page.url();
    await page.click(`${day(1)} [data-add]`);
    // The script adds the row in place: the next hour after the last interval, and the focus in its first box.
    expect(await page.inputValue('#d1_start_1')).toBe('12:00');
    expect(await page.inputValue('#d1_end_1')).toBe('13:00');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('d1_start_1');
    expect(page.url()).toBe(url);
    await page.fill('#d1_start_1', '13:00');
    await page.fill('#d1_end_1', '17:30'); // typed, not in the list
    await page.click(`${day(1)} [data-copy]`);
    for (const d of [2, 3, 4, 5]) {
      expect(await page.isChecked(`#avail_${d}`)).toBe(true);
      expect(await page.inputValue(`#d${d}_end_1`)).toBe('17:30');
    }
    expect(await page.isChecked('#avail_6')).toBe(false); // Saturday is no weekday
    await expect(page.textContent('[data-hours-status]')).resolves.toMatch(/Copied Monday's hours to Monday to Friday/);
    await page.click('button[aria-label="Remove Friday interval 2"]');
    expect(await page.locator(`${day(5)} [data-row]`).count()).toBe(1);
    await page.click('button[aria-label="Remove Friday interval 1"]'); // the last one: Friday is off
    expect(await page.isChecked('#avail_5')).toBe(false);
    await page.uncheck('#avail_3');
    await page.fill('#d4_start_0', '9:10'); // any minute, written loosely
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('text=Save availability');
    await page.waitForURL(/\/admin\/availability\?saved=1/);

    const s = await defaultSchedule();
    expect(s.time_zone).toBe('Europe/Berlin');
    expect(hoursOf(s, 1)).toEqual(['09:00-12:00', '13:00-17:30']);
    expect(hoursOf(s, 2)).toEqual(['09:00-12:00', '13:00-17:30']);
    expect(hoursOf(s, 3)).toEqual([]);
    expect(hoursOf(s, 4)).toEqual(['09:10-12:00', '13:00-17:30']);
    expect(hoursOf(s, 5)).toEqual([]);
    // Tuesday 2 March, Berlin UTC+1: 09:00 Berlin = 08:00 UTC; no meeting across the 12:00-13:00 break.
    const march = await slotsOn('2027-03-02');
    expect(march[0]).toBe('2027-03-02T08:00:00.000Z');
    expect(march).not.toContain('2027-03-02T11:00:00.000Z');
    expect(march).toContain('2027-03-02T12:00:00.000Z');
    // Tuesday 30 March, after the change to summer time: 09:00 Berlin = 07:00 UTC.
    expect((await slotsOn('2027-03-30'))[0]).toBe('2027-03-30T07:00:00.000Z');
    expect(await slotsOn('2027-03-03')).toEqual([]); // Wednesday unticked
    expect(await page.inputValue('#d2_end_1')).toBe('17:30'); // the page shows what was stored

    await page.setViewportSize(PHONE);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(WIDE);
    await documentScreenshot(page, 'admin-availability');
  });

  it('refuses unreadable times, an end before its start and overlaps beside their boxes, and saves nothing', async () => {
    await page.goto('/admin/availability');
    const before = await defaultSchedule();
    await page.fill('#d1_start_0', 'soon');
    await page.click('text=Save availability');
    await expect(errorOf(page, 'd1_start_0')).resolves.toContain('is not a time');
    expect(await page.getAttribute('#d1_start_0', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#d2_end_1')).toBe('17:30'); // the other answers are kept
    expect(await page.isVisible('#error-summary')).toBe(true);

    await page.fill('#d1_start_0', '09:00');
    await page.fill('#d2_end_0', '08:00'); // before its start
    await page.fill('#d4_start_1', '11:00'); // into the first interval
    await page.click('text=Save availability');
    await expect(errorOf(page, 'd2_end_0')).resolves.toBe('The end must be after the start.');
    await expect(errorOf(page, 'd4_start_1')).resolves.toMatch(/overlap on Thursday/);
    expect(await page.getAttribute('#d4_start_1', 'aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await defaultSchedule()).toEqual(before); // nothing half-saved

    const res = await page.request.post('/admin/availability', {
      form: {
        _csrf: await page.inputValue('input[name=_csrf]'),
        time_zone: 'Mars/Olympus',
        avail_1: '1',
        d1_start_0: '09:00',
        d1_end_0: '10:00',
      },
    });
    expect(res.status()).toBe(400);
    expect(await res.text()).toContain('Please choose a time zone.');
    const forged = await page.request.post('/admin/availability', { form: { time_zone: 'UTC' }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
  });

  it('works without JavaScript: add and remove intervals by re-rendering, copy to weekdays, save', async () => {
    const plain = await browser.newContext({
      baseURL: base,
      javaScriptEnabled: false,
      timezoneId: 'Europe/Berlin',
      locale: 'en-GB',
      viewport: WIDE,
    });
    plain.setDefaultTimeout(20_000);
    const p = await plain.newPage();
    try {
      await logIn(p);
      await p.goto('/admin/availability');
      await p.check('#avail_6'); // CSS alone shows Saturday's rows once ticked
      await p.fill('#d6_start_0', '10:00');
      await p.fill('#d6_end_0', '12:00');
      await p.click(`${day(6)} [data-add]`); // posts and comes back with one more row
      await expect(p.textContent('.alert.ok')).resolves.toMatch(/Added an interval on Saturday/);
      expect(await p.inputValue('#d6_start_1')).toBe('12:00');
      expect(await p.inputValue('#d6_end_1')).toBe('13:00');
      await p.fill('#d6_start_1', '14:00');
      await p.fill('#d6_end_1', '16:00');
      await p.click(`${day(6)} [data-add]`);
      await p.click('button[aria-label="Remove Saturday interval 2"]');
      expect(await p.inputValue('#d6_start_1')).toBe('16:00'); // the third row moved up
      await p.click('button[aria-label="Remove Saturday interval 2"]');
      expect(await p.locator(`${day(6)} [data-row]`).count()).toBe(1);
      // Copy Tuesday to Monday-Friday: Wednesday and Friday come back.
      await p.click(`${day(2)} [data-copy]`);
      expect(await p.isChecked('#avail_3')).toBe(true);
      expect(await p.inputValue('#d5_end_1')).toBe('17:30');
      expect((await defaultSchedule()).rules.some((r) => r.day_of_week === 6)).toBe(false); // edits are not saves
      await p.click('text=Save availability');
      await p.waitForURL(/saved=1/);
      const s = await defaultSchedule();
      expect(hoursOf(s, 6)).toEqual(['10:00-12:00']);
      expect(hoursOf(s, 3)).toEqual(['09:00-12:00', '13:00-17:30']);
      expect(hoursOf(s, 4)).toEqual(['09:00-12:00', '13:00-17:30']); // Thursday's 09:10 became Tuesday's copy

      // An override without the calendar script: a typed date and a time row.
      await p.fill('#ov_date', '2027-03-13');
      await p.check('input[name=ov_kind][value=hours]');
      await p.fill('#ov_start_0', '08:00');
      await p.fill('#ov_end_0', '09:00');
      await p.click('text=Save override');
      await p.waitForURL(/override_saved=2027-03-13/);
      expect((await defaultSchedule()).overrides).toEqual([
        { date: '2027-03-13', intervals: [{ start_time: '08:00', end_time: '09:00' }] },
      ]);
      expect(await slotsOn('2027-03-13')).toEqual(['2027-03-13T07:00:00.000Z']);
      await p.click('button[aria-label="Remove the override of Saturday, 13 March 2027"]');
      await p.waitForURL(/override_removed=1/);
      expect((await defaultSchedule()).overrides).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  it('date overrides on the month calendar: a day off, own hours, any number, removed again', async () => {
    await page.goto('/admin/availability');
    expect(await slotsOn('2027-03-10')).not.toEqual([]);
    await page.click('a.day[data-date="2027-03-10"]');
    expect(await page.inputValue('#ov_date')).toBe('2027-03-10');
    expect(await page.getAttribute('a.day[data-date="2027-03-10"]', 'aria-current')).toBe('date');
    expect(await page.isChecked('input[name=ov_kind][value=off]')).toBe(true);
    await page.click('text=Save override');
    await page.waitForURL(/override_saved=2027-03-10/);
    expect(await slotsOn('2027-03-10')).toEqual([]);
    expect(await page.getAttribute('a.day[data-date="2027-03-10"]', 'class')).toContain('ov-off');

    // Own hours, two intervals, on a date of the next month (after the change to summer time).
    await page.click('a[aria-label="Next month"]');
    await page.waitForURL(/month=2027-04/);
    await page.click('a.day[data-date="2027-04-07"]');
    await page.check('input[name=ov_kind][value=hours]');
    await page.fill('#ov_start_0', '10:00');
    await page.fill('#ov_end_0', '11:00');
    await page.click('#override-form [data-add]');
    expect(await page.inputValue('#ov_start_1')).toBe('11:00');
    await page.fill('#ov_start_1', '15:00');
    await page.fill('#ov_end_1', '16:00');
    await page.click('text=Save override');
    await page.waitForURL(/override_saved=2027-04-07/);
    expect(await slotsOn('2027-04-07')).toEqual(['2027-04-07T08:00:00.000Z', '2027-04-07T13:00:00.000Z']);

    // A third, and errors beside the fields: a past date, overlapping intervals.
    await page.fill('#ov_date', '2027-02-01');
    await page.click('text=Save override');
    await expect(errorOf(page, 'ov_date')).resolves.toMatch(/today \(2027-03-01\) or a later date/);
    await page.fill('#ov_date', '2027-03-12');
    await page.check('input[name=ov_kind][value=hours]');
    await page.fill('#ov_start_0', '10:00');
    await page.fill('#ov_end_0', '12:00');
    await page.click('#override-form [data-add]');
    await page.fill('#ov_start_1', '11:00');
    await page.fill('#ov_end_1', '13:00');
    await page.click('text=Save override');
    await expect(errorOf(page, 'ov_start_1')).resolves.toMatch(/overlap/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.fill('#ov_start_1', '12:00');
    await page.click('text=Save override');
    await page.waitForURL(/override_saved=2027-03-12/);
    expect((await defaultSchedule()).overrides.map((o) => o.date)).toEqual(['2027-03-10', '2027-03-12', '2027-04-07']);

    // A date with an override opens with its hours; saving again replaces it (one override per date).
    await page.click('a.day[data-date="2027-03-12"]');
    expect(await page.isChecked('input[name=ov_kind][value=hours]')).toBe(true);
    expect(await page.inputValue('#ov_end_1')).toBe('13:00');
    await page.click('button[aria-label="Remove override interval 2"]');
    await page.click('text=Save override');
    await page.waitForURL(/override_saved=2027-03-12/);
    expect((await defaultSchedule()).overrides.find((o) => o.date === '2027-03-12')?.intervals).toEqual([
      { start_time: '10:00', end_time: '12:00' },
    ]);
    await expect(page.textContent('.override-list')).resolves.toMatch(/Wednesday, 10 March 2027\s*Unavailable all day/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('a.day[data-date="2027-03-12"]'); // the picture shows a date picked, with its hours
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await partScreenshot(page, 'admin-overrides', '#overrides');
    await page.setViewportSize(PHONE);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(WIDE);

    await page.click('button[aria-label="Remove the override of Wednesday, 10 March 2027"]');
    await page.waitForURL(/override_removed=1/);
    expect(await slotsOn('2027-03-10')).not.toEqual([]);
  });

  it('several named schedules: create, edit, rename, make default, and deleting refused while default or in use', async () => {
    const working = await defaultSchedule();
    await page.goto('/admin/availability');
    await page.click('summary:has-text("New schedule")');
    await page.click('text=Create schedule'); // no name
    await expect(errorOf(page, 'new_name')).resolves.toBe('Please give the schedule a name.');
    await page.fill('#new_name', 'Evenings');
    await page.selectOption('#new_time_zone', 'Europe/Berlin');
    await page.click('text=Create schedule');
    await page.waitForURL(/\/admin\/availability\/schedules\/[0-9a-f-]{36}\?created=1/);
    const evenings = (await schedules()).find((s) => s.name === 'Evenings')!;
    expect(evenings).toMatchObject({ is_default: false, time_zone: 'Europe/Berlin' });
    expect(hoursOf(evenings, 1)).toEqual(['09:00-17:00']); // Monday to Friday to start with

    // Its own hours, edited with the same editor.
    await page.fill('#d1_start_0', '18:00');
    await page.fill('#d1_end_0', '21:00');
    await page.click(`${day(1)} [data-copy]`);
    await page.click('text=Save availability');
    await page.waitForURL(new RegExp(`/admin/availability/schedules/${evenings.id}\\?saved=1`));
    expect(
      hoursOf(
        (await schedules()).find((s) => s.id === evenings.id)!,
        3,
      ),
    ).toEqual(['18:00-21:00']);
    expect(hoursOf(await defaultSchedule(), 1)).toEqual(['09:00-12:00', '13:00-17:30']); // the default untouched

    // A type using it: its slots follow the evening hours (Berlin 18:00 = 17:00 UTC in March).
    const late = await createMeetingType(t, ada, {
      name: 'Evening call',
      slug: 'evening-call',
      duration_minutes: 60,
      schedule_id: evenings.id,
    });
    expect((await slotsOn('2027-03-02', late.id))[0]).toBe('2027-03-02T17:00:00.000Z');

    await page.fill('#name', '');
    await page.click('text=Rename');
    await expect(errorOf(page, 'name')).resolves.toBe('Please give the schedule a name.');
    await page.fill('#name', 'Late hours');
    await page.click('text=Rename');
    await page.waitForURL(/renamed=1/);
    await expect(page.textContent('#hours-heading')).resolves.toContain('Late hours');

    await page.click('text=Delete schedule');
    await expect(page.textContent('#error-summary')).resolves.toMatch(/“Late hours” is used by “Evening call”/);
    expect((await schedules()).length).toBe(2);

    await page.click('text=Make default');
    await page.waitForURL(/\/admin\/availability\?made_default=1/);
    await expect(page.textContent('#hours-heading')).resolves.toContain('Late hours');
    // The intro call has no schedule of its own: it now follows the new default.
    expect((await slotsOn('2027-03-02'))[0]).toBe('2027-03-02T17:00:00.000Z');
    await page.click('text=Delete schedule');
    await expect(page.textContent('#error-summary')).resolves.toMatch(/your default schedule: make another schedule the default/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('summary:has-text("New schedule")'); // the create form, shown in the picture
    await page.evaluate(() => window.scrollTo(0, 0));
    await partScreenshot(page, 'admin-schedules', null);
    await page.setViewportSize(PHONE);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(WIDE);

    // Back: Working hours the default, the evening type moved to it, Late hours deleted.
    await page.click(`.schedule-list a:has-text("${working.name}")`);
    await page.click('text=Make default');
    await page.waitForURL(/made_default=1/);
    await t.http().put(`/api/meeting-types/${late.id}`).set(ada.auth).send({ schedule_id: null }).expect(200);
    await page.click('.schedule-list a:has-text("Late hours")');
    await page.click('text=Delete schedule');
    await page.waitForURL(/\/admin\/availability\?deleted=1/);
    expect((await schedules()).map((s) => s.name)).toEqual([working.name]);
    expect((await slotsOn('2027-03-02'))[0]).toBe('2027-03-02T08:00:00.000Z');

    // Another host's schedule is not reachable.
    const grace = await createHost(t, { name: 'Grace Hopper', username: 'grace', email: 'grace@example.com', time_zone: 'UTC' });
    const theirs = (await t.http().post('/api/schedules').set(grace.auth).send({ name: 'Mine', rules: [] }).expect(201))
      .body as ApiSchedule;
    expect((await page.request.get(`/admin/availability/schedules/${theirs.id}`)).status()).toBe(404);
    const del = await page.request.post(`/admin/availability/schedules/${theirs.id}/delete`, {
      form: { _csrf: await page.inputValue('input[name=_csrf]') },
      maxRedirects: 0,
    });
    expect(del.status()).toBe(404);
    expect((await t.http().get(`/api/schedules/${theirs.id}`).set(grace.auth).expect(200)).body.name).toBe('Mine');
  });
});
