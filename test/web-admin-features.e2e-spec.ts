import type { Browser, BrowserContext, Page } from 'playwright-core';
import { documentScreenshot, launchBrowser, seriousViolations } from './support/browser.js';
import { FakeZoom } from './support/fake-zoom.js';
import { HOST_PASSWORD, createHost, markEmailVerified, type TestHost } from './support/factories.js';
import { freePort } from './support/free-port.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC (13:00 in Berlin).
const NOW = '2027-03-01T12:00:00Z';
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const JITSI = 'https://jitsi.example.org';

/**
 * The admin for issue #17's meeting features: the type editor's video places, lengths, series and approval; Zoom
 * connected and disconnected against a local fake; the webhook label; guests, link, series and length on bookings.
 */
describe('admin: video places, lengths, series, approval and Zoom (headless Chromium)', () => {
  let t: TestApp;
  let base: string;
  let zoom: FakeZoom;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;
  let ada: TestHost;
  let typeId: string;

  beforeAll(async () => {
    zoom = await new FakeZoom().start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await startTestApp({
      now: NOW,
      env: { ...zoom.env, PUBLIC_URL: base, JITSI_BASE_URL: `${JITSI}/`, ENCRYPTION_KEY: `k1:${'cd'.repeat(32)}` },
    });
    await t.app.listen(port, '127.0.0.1'); // Zoom's consent page sends the browser back to PUBLIC_URL
    ada = await createHost(t, { name: 'Ada Lovelace', username: 'ada', email: 'ada@example.com', time_zone: 'Europe/Berlin' });
    await markEmailVerified(t, ada); // README screenshots show the admin without the "verify your email" banner
    await setWeeklyHours(t, ada, 'Europe/Berlin');
    typeId = (await createMeetingType(t, ada, { name: 'Intro call', slug: 'intro-call', duration_minutes: 30 })).id;

    ({ browser, close: closeBrowser } = await launchBrowser());
    context = await browser.newContext({ baseURL: base, timezoneId: 'Europe/Berlin', locale: 'en-GB', bypassCSP: true, viewport: WIDE });
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
    await zoom?.stop();
  });

  const errorOf = (field: string) => page.textContent(`#${field}-error`);
  const storedType = async () => (await t.http().get(`/api/meeting-types/${typeId}`).set(ada.auth).expect(200)).body;
  const save = async () => {
    await page.click('text=Save meeting type');
    await page.waitForLoadState();
  };
  const saved = async () => {
    await page.click('text=Save meeting type');
    await page.waitForURL(/\/admin\/meeting-types\?saved=1/);
  };
  /** Nothing wider than the window at phone width (a horizontal scroll bar). */
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  it('video places: no detail box, the missing account beside "Where" with a link to connect it, Jitsi kept on every save', async () => {
    await page.goto(`/admin/meeting-types/${typeId}`);
    const labels = await page.$$eval('#location_type option', (os) => os.map((o) => o.textContent));
    expect(labels).toEqual(expect.arrayContaining(['Google Meet', 'Microsoft Teams', 'Zoom', 'Jitsi Meet']));
    expect(await page.isVisible('#location_value')).toBe(true);

    await page.selectOption('#location_type', 'zoom');
    expect(await page.isVisible('#location_value')).toBe(false); // a link is made per booking
    await save();
    await expect(errorOf('location_type')).resolves.toMatch(/Zoom needs a connected Zoom account/);
    expect(await page.textContent('#location_type-error')).not.toContain('GET /api');
    expect(await page.getAttribute('#location_type', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('[data-location-connect] a', 'href')).toBe('/admin/calendars#video');
    expect(await seriousViolations(page)).toEqual([]);

    await page.selectOption('#location_type', 'google_meet');
    await save();
    await expect(errorOf('location_type')).resolves.toMatch(/Google/);
    expect(await page.textContent('[data-location-connect] a')).toBe('Connect a Google calendar');
    expect((await storedType()).location).toBeNull(); // nothing half-saved

    await page.selectOption('#location_type', 'video');
    expect(await page.isVisible('#location_value')).toBe(true);
    await page.fill('#location_value', 'https://example.com/left-over'); // typed before choosing Jitsi: not Jitsi's
    await page.selectOption('#location_type', 'jitsi');
    await saved();
    expect((await storedType()).location).toEqual({ type: 'jitsi' });
    await page.goto(`/admin/meeting-types/${typeId}`);
    expect(await page.inputValue('#location_type')).toBe('jitsi');
    await saved(); // saving again unchanged keeps it
    expect((await storedType()).location).toEqual({ type: 'jitsi' });
  });

  it('lengths: ticked lengths plus the default, read back ticked; errors beside the boxes', async () => {
    await page.goto(`/admin/meeting-types/${typeId}`);
    expect(await page.isChecked('#duration_options_30')).toBe(false);
    expect(await page.textContent('label:has(#duration_options_30)')).toContain('(default)');
    await page.check('#duration_options_15');
    await page.check('#duration_options_60');
    await page.selectOption('#kind', 'group'); // one shared booking per start: one length
    await page.fill('#seats', '5');
    await save();
    await expect(errorOf('duration_options')).resolves.toBe('Picking the length does not apply to group meeting types.');
    expect(await page.getAttribute('#duration_options_15', 'aria-invalid')).toBe('true');
    expect(await page.isChecked('#duration_options_60')).toBe(true); // what was ticked is kept
    expect(await seriousViolations(page)).toEqual([]);

    await page.selectOption('#kind', 'one_on_one');
    await saved();
    const stored = await storedType();
    expect(stored).toMatchObject({ kind: 'one_on_one', duration_minutes: 30, duration_options: [15, 30, 60] });
    await page.goto(`/admin/meeting-types/${typeId}`);
    for (const [m, on] of [
      [15, true],
      [30, true],
      [45, false],
      [60, true],
      [90, false],
      [120, false],
    ] as const)
      expect([m, await page.isChecked(`#duration_options_${m}`)]).toEqual([m, on]);

    // Unticking all: only the default again.
    for (const m of [15, 30, 60]) await page.uncheck(`#duration_options_${m}`);
    await saved();
    expect((await storedType()).duration_options).toEqual([30]);
    await page.goto(`/admin/meeting-types/${typeId}`);
    await page.check('#duration_options_15');
    await page.check('#duration_options_60');
    await saved();
    expect((await storedType()).duration_options).toEqual([15, 30, 60]);
  });

  it('series and approval: saved and read back; a recurring type requiring confirmation is refused beside the checkbox', async () => {
    await page.goto(`/admin/meeting-types/${typeId}`);
    expect(await page.inputValue('#recurrence_frequency')).toBe('');
    expect(await page.isChecked('#requires_confirmation')).toBe(false);
    expect(await page.inputValue('#confirmation_expiry_minutes')).toBe('1440');

    await page.selectOption('#recurrence_frequency', 'weekly');
    await page.fill('#recurrence_max_occurrences', '');
    await save();
    await expect(errorOf('recurrence_max_occurrences')).resolves.toBe('Must be an integer from 2 to 52.');
    expect(await page.getAttribute('#recurrence_max_occurrences', 'aria-invalid')).toBe('true');

    await page.fill('#recurrence_max_occurrences', '4');
    await page.check('#requires_confirmation');
    await save();
    await expect(errorOf('requires_confirmation')).resolves.toBe(
      'A recurring meeting type cannot require confirmation: untick this box or choose “Does not repeat”.',
    );
    expect(await page.getAttribute('#requires_confirmation', 'aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);
    expect((await storedType()).recurrence).toBeNull();

    await page.uncheck('#requires_confirmation');
    await saved();
    expect(await storedType()).toMatchObject({ recurrence: { frequency: 'weekly', max_occurrences: 4 }, requires_confirmation: false });
    await page.goto(`/admin/meeting-types/${typeId}`);
    expect(await page.inputValue('#recurrence_frequency')).toBe('weekly');
    expect(await page.inputValue('#recurrence_max_occurrences')).toBe('4');

    // Another type: requests the host answers within two days.
    const other = (await createMeetingType(t, ada, { name: 'Consultation', slug: 'consultation' })).id;
    await page.goto(`/admin/meeting-types/${other}`);
    await page.check('#requires_confirmation');
    await page.selectOption('#confirmation_expiry_minutes', { label: '2 days' });
    await page.click('text=Save meeting type');
    await page.waitForURL(/\/admin\/meeting-types\?saved=1/);
    const consultation = (await t.http().get(`/api/meeting-types/${other}`).set(ada.auth).expect(200)).body;
    expect(consultation).toMatchObject({ requires_confirmation: true, confirmation_expiry_minutes: 2880, recurrence: null });
    await page.goto(`/admin/meeting-types/${other}`);
    expect(await page.isChecked('#requires_confirmation')).toBe(true);
    expect(await page.inputValue('#confirmation_expiry_minutes')).toBe('2880');

    // An expiry the API refuses (a forged option) lands beside the select.
    await page.$eval('#confirmation_expiry_minutes option', (o) => ((o as HTMLOptionElement).value = '1'));
    await page.selectOption('#confirmation_expiry_minutes', '1');
    await save();
    await expect(errorOf('confirmation_expiry_minutes')).resolves.toBe('Must be an integer from 5 to 43200.');

    // At phone width the editor's new sections fit, and stay accessible.
    await page.setViewportSize(PHONE);
    await page.goto(`/admin/meeting-types/${typeId}`);
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await page.isVisible('#duration_options_120')).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(WIDE);
  });

  it("Zoom: connected from the calendars page through Zoom's consent, then a Zoom place saves; disconnected with a POST", async () => {
    await page.goto('/admin/calendars');
    expect(await page.textContent('#video-h')).toBe('Video conferencing');
    await page.click('button:has-text("Connect Zoom")');
    await page.waitForURL((url) => url.pathname === '/admin/calendars' && url.searchParams.has('connected'));
    await expect(page.textContent('.alert.ok')).resolves.toContain('Connected Zoom (ada@zoom.test)');
    expect(await page.textContent('[data-provider=zoom]')).toContain('ada@zoom.test');
    const connection = (await t.http().get('/api/conferencing/zoom').set(ada.auth).expect(200)).body;
    expect(connection).toMatchObject({ status: 'active', account_email: 'ada@zoom.test' });
    expect(await seriousViolations(page)).toEqual([]);
    await page.evaluate(() => document.getElementById('video')?.scrollIntoView());
    await documentScreenshot(page, 'admin-zoom');

    // The editor's Zoom place now saves.
    await page.goto(`/admin/meeting-types/${typeId}`);
    await page.selectOption('#location_type', 'zoom');
    await saved();
    expect((await storedType()).location).toEqual({ type: 'zoom' });
    await page.goto(`/admin/meeting-types/${typeId}`);
    expect(await page.inputValue('#location_type')).toBe('zoom');
    await documentScreenshot(page, 'admin-type-video-durations');

    // Disconnect needs the page's CSRF token.
    const forged = await page.request.post('/admin/calendars/zoom/disconnect', { form: {}, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    await page.setViewportSize(PHONE);
    await page.goto('/admin/calendars');
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('[data-provider=zoom] button:has-text("Disconnect")');
    await page.waitForURL(/\/admin\/calendars\?zoom_removed=1/);
    await expect(page.textContent('.alert.ok')).resolves.toContain('Zoom was disconnected');
    expect(await page.isVisible('button:has-text("Connect Zoom")')).toBe(true);
    await t.http().get('/api/conferencing/zoom').set(ada.auth).expect(404);
    await page.setViewportSize(WIDE);
  });

  it('bookings show their length, series, guests and video link; the webhook form names "Video link ready"', async () => {
    const coaching = await createMeetingType(t, ada, {
      name: 'Coaching',
      slug: 'coaching',
      location: { type: 'jitsi' },
      duration_options: [30, 60],
      recurrence: { frequency: 'weekly', max_occurrences: 4 },
    });
    // Tuesday 2 March 2027, 10:00 Berlin, four weeks running, an hour each.
    const res = await t
      .http()
      .post('/api/bookings')
      .send({
        meeting_type_id: coaching.id,
        start_time: '2027-03-02T09:00:00Z',
        duration_minutes: 60,
        occurrences: 4,
        ...invitee(1, { guests: ['linus@example.com'] }),
      });
    expect(res.status).toBe(201);
    const ids = (res.body.occurrences as { id: string }[]).map((o) => o.id);
    const second = (await t.http().get(`/api/bookings/${ids[1]}`).set(ada.auth).expect(200)).body;
    expect(second.conference).toMatchObject({ provider: 'jitsi' });

    await page.goto('/admin');
    const row = page.locator(`[data-booking-id="${ids[1]}"]`);
    await expect(row.locator('[data-booking-details]').textContent()).resolves.toMatch(/^60 min/);
    await expect(row.locator('[data-series]').textContent()).resolves.toBe('Series: 2 of 4, weekly');
    await expect(row.locator('[data-guests]').textContent()).resolves.toBe('Guests: linus@example.com');
    expect(await row.locator('a[data-join]').getAttribute('href')).toBe(second.conference.join_url);
    expect(await row.locator('a[data-join]').textContent()).toMatch(/^Join Jitsi Meet/);
    expect(await page.locator('[data-booking-id] [data-series]').count()).toBe(4);
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto('/admin/webhooks');
    await expect(page.textContent('label:has(input[value="invitee.conference_ready"])')).resolves.toContain('Video link ready');
  });
});
