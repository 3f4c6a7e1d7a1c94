import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { OutboxRelay } from '../src/shared/outbox/outbox-relay.js';
import { documentScreenshot, launchBrowser, seriousViolations } from './support/browser.js';
import { createHost, markEmailVerified, type TestHost } from './support/factories.js';
import { RadicaleServer } from './support/radicale.js';
import { FakeGoogleCalendar } from './support/fake-google-calendar.js';
import { TestSmtpServer } from './support/mail.js';
import { createMeetingType, createTeam, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { freePort } from './support/free-port.js';

// Monday 1 March 2027, 12:00 UTC. London is on GMT (UTC+0) until 28 March; Tokyo is UTC+9 all year.
const NOW = '2027-03-01T12:00:00Z';
const PASSWORD = 'correct-horse-battery';

/** A tiny local HTTP server: an ICS feed, or a webhook endpoint that answers with `status`. */
class LocalServer {
  body = '';
  status = 200;
  contentType = 'text/calendar; charset=utf-8';
  readonly requests: string[] = [];
  port = 0;
  private server!: http.Server;

  async start() {
    this.server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        this.requests.push(`${req.method} ${req.url}`);
        res.writeHead(this.status, { 'Content-Type': this.contentType });
        res.end(this.status === 200 ? this.body : 'nope');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(path: string) {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop() {
    this.server.closeAllConnections?.();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

const feed = (...events: Array<{ uid: string; start: string; end: string }>) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Kairos tests//EN',
    ...events.flatMap((e) => [
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      'DTSTAMP:20270301T000000Z',
      `DTSTART:${e.start}`,
      `DTEND:${e.end}`,
      'SUMMARY:Busy',
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
    '',
  ].join('\r\n');

describe('admin pages for calendars, webhooks and the profile (headless Chromium)', () => {
  let t: TestApp;
  let base: string;
  let google: FakeGoogleCalendar;
  let ics: LocalServer;
  let receiver: LocalServer;
  let smtp: TestSmtpServer;
  let radicale: RadicaleServer;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;
  let ada: TestHost;
  let grace: TestHost;
  let typeId: string;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    google = await new FakeGoogleCalendar().start();
    google.now = () => t.clock!.now().getTime();
    ics = await new LocalServer().start();
    receiver = await new LocalServer().start();
    receiver.status = 500; // every webhook delivery fails
    radicale = await new RadicaleServer({ ada: 'app-password-1' }).start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await startTestApp({
      now: NOW,
      env: {
        ...google.env,
        SMTP_URL: smtp.url,
        PUBLIC_URL: base, // the OAuth redirect comes back to this server, in the browser
        CALENDAR_PRIVATE_URL_ALLOWLIST: `127.0.0.1:${ics.port},${radicale.allowlistEntry}`, // the SSRF guard refuses loopback otherwise
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        NOTIFY_MAX_ATTEMPTS: '1', // one failed attempt marks the delivery failed
        OUTBOX_POLL_INTERVAL_MS: '50',
        NOTIFY_SWEEP_INTERVAL_MS: '100',
      },
    });
    await t.app.listen(port, '127.0.0.1');
    ada = await createHost(t, { name: 'Ada Lovelace', username: 'ada', email: 'ada@example.com', time_zone: 'Europe/London' });
    grace = await createHost(t, { name: 'Grace Hopper', username: 'grace', email: 'grace@example.com' });
    await markEmailVerified(t, ada); // the screenshots show the admin without the "verify your email" banner
    await setWeeklyHours(t, ada, 'Europe/London');
    typeId = (await createMeetingType(t, ada, { duration_minutes: 60 })).id;

    ({ browser, close: closeBrowser } = await launchBrowser());
    context = await browser.newContext({
      baseURL: base,
      timezoneId: 'Europe/London',
      locale: 'en-GB',
      bypassCSP: true,
      viewport: { width: 1100, height: 900 },
    });
    context.setDefaultTimeout(20_000); // argon2 on a shared 2-core machine
    page = await context.newPage();
    await logIn('ada@example.com', PASSWORD);
  });

  afterAll(async () => {
    await closeBrowser?.();
    await t?.close();
    await google?.stop();
    await ics?.stop();
    await receiver?.stop();
    await smtp?.close();
    await radicale?.stop();
  });

  async function logIn(email: string, password: string) {
    await page.goto('/admin/login');
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.click('button[type=submit]');
  }

  /** Waits until `selector` shows `text`: for a field answered twice, where the previous page had the same element. */
  const seeText = (selector: string, text: string | RegExp) => page.locator(selector, { hasText: text }).waitFor();

  /** Tuesday 2 March 2027 start times (UTC) open for booking Ada's one-hour type. */
  const tuesdaySlots = async () => {
    const res = await t
      .http()
      .get('/api/availability/slots')
      .query({ meeting_type_id: typeId, date: '2027-03-02', timezone: 'Europe/London' })
      .expect(200);
    return res.body.slots.map((s: { start_time: string }) => s.start_time) as string[];
  };

  /** Books Ada's one-hour type, lets the relay handle the booking (calendar writer, notifications), and returns the calendar events written. */
  const bookAndDrain = async (start: string, name: string) => {
    const booking = (
      await t
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: typeId, start_time: start, ...invitee(name) })
        .expect(201)
    ).body;
    await t.app.get(OutboxRelay).drain();
    const links = (await t.http().get(`/api/integrations/bookings/${booking.id}/events`).set(ada.auth).expect(200)).body;
    return { booking, links: links as Array<{ integration_id: string; calendar_id: string; external_event_id: string; status: string }> };
  };

  it('the nav reaches every admin page, and the new pages refuse posts without the CSRF token', async () => {
    await page.goto('/admin');
    for (const [label, path] of [
      ['Calendars', '/admin/calendars'],
      ['Webhooks', '/admin/webhooks'],
      ['Profile', '/admin/profile'],
      ['API keys', '/admin/api-keys'],
    ]) {
      await page.click(`nav[aria-label=Admin] >> text=${label}`);
      await page.waitForURL(new RegExp(`${path}$`));
      expect(await page.getAttribute(`nav a[href="${path}"]`, 'aria-current')).toBe('page');
    }
    for (const path of [
      '/admin/calendars/ics',
      '/admin/webhooks',
      '/admin/profile',
      '/admin/profile/delete',
      '/admin/calendars/connect/google',
      '/admin/calendars/feed/reset',
    ]) {
      const res = await page.request.post(path, { form: { url: ics.url('/x.ics'), confirm: 'ada' }, maxRedirects: 0 });
      expect(res.status()).toBe(403);
    }
    expect((await t.http().get('/api/users/me').set(ada.auth).expect(200)).body.username).toBe('ada'); // nothing deleted
  });

  it('a host starts the Google connect flow and lands back on the calendars page with the connection listed', async () => {
    google.account = 'ada@gmail.test';
    await page.goto('/admin/calendars');
    await page.click('button:has-text("Connect Google")');
    // Our 303 → the fake consent page → its 302 to /api/integrations/google/callback → back here.
    await page.waitForURL(/\/admin\/calendars\?connected=[0-9a-f-]+$/);
    await expect(page.textContent('[role=status]')).resolves.toContain('Connected Google Calendar (ada@gmail.test)');
    const row = page.locator('.connection[data-provider=google]');
    await expect(row.textContent()).resolves.toContain('Healthy');
    await expect(row.textContent()).resolves.toContain('valid until 1 Mar 2027, 13:00'); // token expiry in London time
    const [listed] = (await t.http().get('/api/integrations').set(ada.auth).expect(200)).body;
    expect(listed).toMatchObject({ provider: 'google', account_email: 'ada@gmail.test', status: 'active' });

    // Its settings: the primary calendar blocks time and receives bookings; the read-only one cannot receive them.
    await row.locator('a:has-text("Settings")').click();
    await page.waitForURL(new RegExp(`/admin/calendars/${listed.id}$`));
    expect(await page.isChecked('input[name=busy][value=primary-cal]')).toBe(true);
    expect(await page.isChecked('input[name=busy][value=holidays]')).toBe(false);
    expect(await page.isChecked('input[name=destination][value=primary-cal]')).toBe(true);
    expect(await page.locator('input[name=destination][value=holidays]').count()).toBe(0);
    await page.check('input[name=busy][value=holidays]');
    await page.check('#cancel_on_delete');
    await page.click('text=Save calendar choices');
    await page.waitForURL(/\?saved=1$/);
    expect(await page.isChecked('input[name=busy][value=holidays]')).toBe(true);
    const after = (await t.http().get(`/api/integrations/${listed.id}/calendars`).set(ada.auth).expect(200)).body;
    expect(after).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ calendar_id: 'holidays', is_busy_source: true, is_destination: false }),
        expect.objectContaining({ calendar_id: 'primary-cal', is_busy_source: true, is_destination: true }),
      ]),
    );
    expect((await t.http().get(`/api/integrations/${listed.id}`).set(ada.auth)).body.cancel_booking_on_delete).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await documentScreenshot(page, 'admin-calendar-settings');

    // Microsoft is not configured on this server: said beside the buttons, nothing connected.
    await page.goto('/admin/calendars');
    await page.click('button:has-text("Connect Microsoft 365")');
    await expect(page.textContent('#error-summary')).resolves.toContain('Microsoft calendar is not configured on this server');

    // The REST callback's default browser landing (flows started from the API) also ends here.
    await page.goto(`/admin/integrations?connected=${listed.id}`);
    expect(new URL(page.url()).pathname).toBe('/admin/calendars');
  });

  it('a host connects an ICS feed, chooses its calendar, sees health, syncs, and disconnects', async () => {
    ics.body = feed({ uid: 'dentist', start: '20270302T100000Z', end: '20270302T110000Z' });
    expect(await tuesdaySlots()).toContain('2027-03-02T10:00:00Z');
    await page.goto('/admin/calendars');

    // Refused addresses are answered beside the field.
    await page.fill('#ics_url', 'http://127.0.0.1:1/private.ics'); // loopback, not allow-listed
    await page.click('button:has-text("Add feed")');
    await expect(page.textContent('#ics_url-error')).resolves.toMatch(/not allowed: refusing to connect to a private address/);
    expect(await page.getAttribute('#ics_url', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#ics_url', 'aria-describedby')).toContain('ics_url-error');
    expect(await page.inputValue('#ics_url')).toBe('http://127.0.0.1:1/private.ics');

    await page.fill('#ics_url', ics.url('/team/secret-token/feed.ics'));
    await page.click('button:has-text("Add feed")');
    await page.waitForURL(/\/admin\/calendars\?connected=/);
    await expect(page.textContent('[role=status]')).resolves.toContain(`Connected ICS feed (127.0.0.1:${ics.port})`);
    const row = page.locator('.connection[data-provider=ics]');
    await expect(row.textContent()).resolves.toContain('Healthy');
    await expect(row.textContent()).resolves.toMatch(/Last sync\s*1 Mar 2027, 12:00/);
    await expect(page.textContent('main')).resolves.not.toContain('secret-token'); // feed paths often carry secrets
    expect(await tuesdaySlots()).not.toContain('2027-03-02T10:00:00Z'); // the dentist blocks 10:00
    expect(await seriousViolations(page)).toEqual([]);
    await documentScreenshot(page, 'admin-calendars');

    // Another host's connection is not found for Ada.
    const graces = await t
      .http()
      .post('/api/integrations/ics')
      .set(grace.auth)
      .send({ url: ics.url('/grace.ics') })
      .expect(201);
    expect((await page.goto(`/admin/calendars/${graces.body.id}`))!.status()).toBe(404);

    // Choosing: the feed no longer blocks time, then does again. A feed cannot receive bookings.
    await page.goto('/admin/calendars');
    await row.locator('a:has-text("Settings")').click();
    await page.waitForURL(/\/admin\/calendars\/[0-9a-f-]+$/);
    const detail = page.url();
    expect(await page.locator('input[name=destination]').count()).toBe(0);
    await page.uncheck('input[name=busy]');
    await page.click('text=Save calendar choices');
    await page.waitForURL(/\?saved=1$/);
    await expect(page.textContent('[role=status]')).resolves.toBe('Saved.');
    expect(await page.isChecked('input[name=busy]')).toBe(false);
    expect(await tuesdaySlots()).toContain('2027-03-02T10:00:00Z');
    await page.check('input[name=busy]');
    await page.click('text=Save calendar choices');
    await page.waitForURL(/\?saved=1$/);
    expect(await tuesdaySlots()).not.toContain('2027-03-02T10:00:00Z');

    // Sync now picks up a new event.
    ics.body = feed(
      { uid: 'dentist', start: '20270302T100000Z', end: '20270302T110000Z' },
      { uid: 'gym', start: '20270302T140000Z', end: '20270302T150000Z' },
    );
    await page.click('button:has-text("Sync now")');
    await page.waitForURL(/\?sync=synced$/);
    await expect(page.textContent('[role=status]')).resolves.toContain('Synced just now.');
    expect(await tuesdaySlots()).not.toContain('2027-03-02T14:00:00Z');

    // A failing feed shows in the health section, with the error, until a sync succeeds again.
    ics.status = 500;
    await page.click('button:has-text("Sync now")');
    await page.waitForURL(/\?sync=failed$/);
    await expect(page.textContent('#error-summary')).resolves.toContain('The sync failed');
    await expect(page.textContent('#health')).resolves.toContain('Last sync failed');
    await expect(page.textContent('#health')).resolves.toMatch(/Last error.*HTTP 5xx/); // the status class only (issue 12.1)
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/admin/calendars');
    await expect(row.textContent()).resolves.toContain('Last sync failed');
    ics.status = 200;
    await page.goto(detail);
    await page.click('button:has-text("Sync now")');
    await page.waitForURL(/\?sync=synced$/);
    await expect(page.textContent('#health')).resolves.toContain('Healthy');

    await page.click('button:has-text("Disconnect")');
    await page.waitForURL(/\/admin\/calendars\?removed=1$/);
    await expect(page.textContent('[role=status]')).resolves.toContain('connection was removed');
    expect(await page.locator('.connection[data-provider=ics]').count()).toBe(0);
    expect(await tuesdaySlots()).toContain('2027-03-02T10:00:00Z');
  });

  it('a host connects a CalDAV account with an app password (a wrong one is answered beside the form) and has bookings added to it', async () => {
    const work = await radicale.makeCalendar('ada', 'work', 'Work');
    await page.goto('/admin/calendars');
    await page.click('button:has-text("Connect CalDAV")'); // empty
    await expect(page.textContent('#caldav_server-error')).resolves.toContain('Enter the server address');
    await expect(page.textContent('#caldav_password-error')).resolves.toContain('app password');
    await page.fill('#caldav_server', radicale.url);
    await page.fill('#caldav_username', 'ada');
    await page.fill('#caldav_password', 'not-the-password');
    await page.click('button:has-text("Connect CalDAV")');
    await expect(page.textContent('#caldav-error')).resolves.toMatch(/rejected the username or password/);
    expect(await page.inputValue('#caldav_server')).toBe(radicale.url); // kept…
    expect(await page.inputValue('#caldav_password')).toBe(''); // …except the password
    await expect(page.content()).resolves.not.toContain('not-the-password');
    expect(await seriousViolations(page)).toEqual([]);

    await page.fill('#caldav_password', 'app-password-1');
    await page.click('button:has-text("Connect CalDAV")');
    await page.waitForURL(/\/admin\/calendars\?connected=/);
    await expect(page.textContent('[role=status]')).resolves.toContain(`Connected CalDAV (ada on 127.0.0.1:${radicale.proxyPort})`);
    const row = page.locator('.connection[data-provider=caldav]');
    await expect(row.textContent()).resolves.toContain('Healthy');
    await row.locator('a:has-text("Settings")').click();
    await page.waitForURL(/\/admin\/calendars\/[0-9a-f-]+$/);
    await expect(page.textContent('form fieldset')).resolves.toContain('Work');
    const caldavId = page.url().split('/').pop()!;

    // CalDAV calendars can receive bookings: choosing Work replaces Google's primary calendar as the default.
    expect(await page.isChecked(`input[name=destination][value="${work}"]`)).toBe(false);
    expect(await page.isChecked('#destination_none')).toBe(true);
    await page.check(`input[name=destination][value="${work}"]`);
    await page.click('text=Save calendar choices');
    await page.waitForURL(/\?saved=1$/);
    expect(await page.isChecked(`input[name=destination][value="${work}"]`)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    expect((await t.http().get(`/api/integrations/${caldavId}/calendars`).set(ada.auth).expect(200)).body).toEqual([
      expect.objectContaining({ calendar_id: work, is_destination: true }),
    ]);
    const [googleConnection] = (await t.http().get('/api/integrations').set(ada.auth).expect(200)).body.filter(
      (i: { provider: string }) => i.provider === 'google',
    );
    expect(
      (await t.http().get(`/api/integrations/${googleConnection.id}/calendars`).set(ada.auth).expect(200)).body.every(
        (c: { is_destination: boolean }) => !c.is_destination,
      ),
    ).toBe(true);

    // A booking lands in Radicale.
    const { booking, links } = await bookAndDrain('2027-03-02T11:00:00Z', 'dav');
    expect(links).toEqual([expect.objectContaining({ integration_id: caldavId, calendar_id: work, status: 'synced' })]);
    const objects = await radicale.objects('ada', 'work');
    expect([...objects.keys()]).toEqual([`kairos-${booking.id}`]);
    expect(objects.get(`kairos-${booking.id}`)).toContain('Invitee dav');

    await page.click('button:has-text("Disconnect")');
    await page.waitForURL(/removed=1/);
    expect(await page.locator('.connection[data-provider=caldav]').count()).toBe(0);
  });

  it('meeting type editor: bookings of one type can go to a chosen calendar instead of the default one', async () => {
    // No default destination is left (the CalDAV calendar that had it was disconnected): only the override writes.
    const [connection] = (await t.http().get('/api/integrations').set(ada.auth).expect(200)).body;
    const calendars = (await t.http().get(`/api/integrations/${connection.id}/calendars`).set(ada.auth).expect(200)).body;
    expect(calendars.every((c: { is_destination: boolean }) => !c.is_destination)).toBe(true);
    const [primary] = await t.dataSource.query(
      `SELECT id FROM calendar_selections WHERE integration_id = $1 AND calendar_id = 'primary-cal'`,
      [connection.id],
    );

    await page.goto(`/admin/meeting-types/${typeId}`);
    const options = await page
      .locator('#destination option')
      .evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent]));
    // Writable calendars only: not Google's read-only Holidays, not Grace's feed.
    expect(options).toEqual([
      ['', 'My default calendar'],
      [primary.id, 'Ada · Google Calendar (ada@gmail.test)'],
    ]);
    expect(await page.inputValue('#destination')).toBe('');
    expect(await seriousViolations(page)).toEqual([]);

    // A calendar that is not one of the listed ones is refused beside the field, and nothing is saved.
    await page.locator('#destination').evaluate((select, value) => {
      const s = select as HTMLSelectElement;
      s.add(new Option('forged', value));
      s.value = value;
    }, '00000000-0000-4000-8000-000000000000');
    await page.fill('#name', 'Renamed while forging');
    await page.click('button:has-text("Save meeting type")');
    await expect(page.textContent('#destination-error')).resolves.toContain('Choose one of the calendars listed');
    expect(await page.getAttribute('#destination', 'aria-invalid')).toBe('true');
    expect((await t.http().get(`/api/meeting-types/${typeId}`).set(ada.auth).expect(200)).body.name).not.toBe('Renamed while forging');
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`/admin/meeting-types/${typeId}`);
    await page.selectOption('#destination', primary.id);
    await page.click('button:has-text("Save meeting type")');
    await page.waitForURL(/\/admin\/meeting-types\?saved=1$/);
    await page.goto(`/admin/meeting-types/${typeId}`);
    expect(await page.inputValue('#destination')).toBe(primary.id);

    const { links } = await bookAndDrain('2027-03-02T14:00:00Z', 'typed');
    expect(links).toEqual([expect.objectContaining({ integration_id: connection.id, calendar_id: 'primary-cal', status: 'synced' })]);
    expect(google.event('primary-cal', links[0].external_event_id)).toMatchObject({
      status: 'confirmed',
      summary: expect.stringContaining('Invitee typed'),
    });

    // Back to the default (none): the override is gone and the next booking is written nowhere.
    await page.selectOption('#destination', '');
    await page.click('button:has-text("Save meeting type")');
    await page.waitForURL(/\?saved=1$/);
    expect(await t.dataSource.query(`SELECT 1 FROM calendar_destination_overrides WHERE meeting_type_id = $1`, [typeId])).toEqual([]);
    const untyped = await bookAndDrain('2027-03-02T15:00:00Z', 'untyped');
    expect(untyped.links).toEqual([]);
  });

  it('meeting type editor: reminders by email to invitee and host and by SMS to the invitee; SMS to the host is refused beside the row', async () => {
    const storedReminders = async () => (await t.http().get(`/api/meeting-types/${typeId}`).set(ada.auth).expect(200)).body.reminders;
    const before = await storedReminders();
    // The API's defaults (the editor saved above spells out their recipient, the invitee).
    expect(before.map((r: { offset_minutes: number; channel: string }) => [r.offset_minutes, r.channel])).toEqual([
      [1440, 'email'],
      [60, 'email'],
    ]);

    // The stored reminders fill the first rows (1440 minutes reads as 24 hours; no recipients means the invitee).
    await page.goto(`/admin/meeting-types/${typeId}`);
    expect([await page.inputValue('#r_amount_0'), await page.inputValue('#r_unit_0'), await page.inputValue('#r_channel_0')]).toEqual([
      '24',
      'hours',
      'email',
    ]);
    expect([await page.isChecked('#r_to_0_invitee'), await page.isChecked('#r_to_0_host')]).toEqual([true, false]);
    expect([await page.inputValue('#r_amount_1'), await page.inputValue('#r_unit_1')]).toEqual(['1', 'hours']);
    expect(await page.inputValue('#r_amount_2')).toBe(''); // blank rows to add more
    expect(await seriousViolations(page)).toEqual([]);

    // 24 hours before by email to the invitee and the host; 1 hour before by SMS, wrongly also ticked for the host.
    await page.check('#r_to_0_host');
    await page.selectOption('#r_channel_1', 'sms');
    await page.check('#r_to_1_host');
    await page.selectOption('#location_type', 'video');
    await page.fill('#location_value', 'https://meet.example.com/ada');
    await page.click('button:has-text("Save meeting type")');
    await expect(page.textContent('#r_to_1-error')).resolves.toContain('SMS reminders go to invitees only');
    expect(await page.getAttribute('#r_to_1_host', 'aria-invalid')).toBe('true');
    expect(await page.locator('#r_to_0-error').count()).toBe(0); // the other row is fine
    await expect(page.textContent('#error-summary')).resolves.toContain('correct the highlighted fields');
    expect(await page.isChecked('#r_to_0_host')).toBe(true); // what was entered is kept
    expect(await page.inputValue('#location_value')).toBe('https://meet.example.com/ada');
    expect(await storedReminders()).toEqual(before); // nothing saved
    expect((await t.http().get(`/api/meeting-types/${typeId}`).set(ada.auth).expect(200)).body.location).toBeNull();
    expect(await seriousViolations(page)).toEqual([]);

    // An offset beyond 30 days is answered beside its amount.
    await page.uncheck('#r_to_1_host');
    await page.fill('#r_amount_2', '31');
    await page.selectOption('#r_unit_2', 'days');
    await page.click('button:has-text("Save meeting type")');
    await expect(page.textContent('#r_amount_2-error')).resolves.toContain('30 days');
    expect(await storedReminders()).toEqual(before);

    await page.fill('#r_amount_2', '');
    await page.click('button:has-text("Save meeting type")');
    await page.waitForURL(/\/admin\/meeting-types\?saved=1$/);
    const saved = (await t.http().get(`/api/meeting-types/${typeId}`).set(ada.auth).expect(200)).body;
    expect(saved.reminders).toEqual([
      { offset_minutes: 1440, channel: 'email', recipients: ['invitee', 'host'] },
      { offset_minutes: 60, channel: 'sms', recipients: ['invitee'] },
    ]);
    expect(saved.location).toEqual({ type: 'video', value: 'https://meet.example.com/ada' });

    await page.goto(`/admin/meeting-types/${typeId}`);
    expect([await page.inputValue('#r_amount_0'), await page.inputValue('#r_unit_0'), await page.inputValue('#r_channel_0')]).toEqual([
      '24',
      'hours',
      'email',
    ]);
    expect([await page.isChecked('#r_to_0_invitee'), await page.isChecked('#r_to_0_host')]).toEqual([true, true]);
    expect([await page.inputValue('#r_amount_1'), await page.inputValue('#r_unit_1'), await page.inputValue('#r_channel_1')]).toEqual([
      '1',
      'hours',
      'sms',
    ]);
    expect([await page.isChecked('#r_to_1_invitee'), await page.isChecked('#r_to_1_host')]).toEqual([true, false]);
    expect(await page.inputValue('#location_type')).toBe('video');
    expect(await seriousViolations(page)).toEqual([]);

    // Back to the defaults for the tests that follow (they book this type).
    await t.http().put(`/api/meeting-types/${typeId}`).set(ada.auth).send({ reminders: null, location: null }).expect(200);
  });

  it('meeting type editor: a round-robin team type picks its team by name and ticks hosts among its members; outsiders are refused beside the hosts', async () => {
    const linus = await createHost(t, { name: 'Linus Torvalds', username: 'linus', email: 'linus@example.com' });
    const mallory = await createHost(t, { name: 'Mallory Stranger', username: 'mallory', email: 'mallory@example.com' });
    const sales = await createTeam(t, ada, [grace]); // "Sales": Ada (admin) and Grace
    const design = (await t.http().post('/api/teams').set(ada.auth).send({ name: 'Design' }).expect(201)).body as { id: string };
    const invite = await t.http().post(`/api/teams/${design.id}/invitations`).set(ada.auth).send({ email: linus.email }).expect(201);
    await t.http().post(`/api/teams/invitations/${invite.body.token}/accept`).set(linus.auth).expect(200);
    const hostBox = (teamId: string, userId: string) => `#host-${teamId}-${userId}`;
    const visibleHosts = () =>
      page.locator('input[name=host_ids]:visible').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));

    await page.goto('/admin/meeting-types/new');
    // Ada's teams by name, and "No team" (chosen by default); with no team chosen no hosts are offered.
    const teams = await page.locator('#team_id option').evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent]));
    expect(teams[0]).toEqual(['', 'No team']);
    expect(teams.slice(1).sort()).toEqual(
      [
        [design.id, 'Design'],
        [sales.id, 'Sales'],
      ].sort(),
    );
    expect(await page.inputValue('#team_id')).toBe('');
    expect(await visibleHosts()).toEqual([]);
    expect(await page.isVisible('#hosts-no-team')).toBe(true);
    // Only members of Ada's teams are listed at all: a stranger cannot be ticked from the form.
    expect(await page.content()).not.toContain(mallory.id);
    expect(await page.locator('input[name=host_ids]').count()).toBe(4); // Ada and Grace (Sales), Ada and Linus (Design)

    await page.fill('#name', 'Sales round robin');
    await page.selectOption('#kind', 'round_robin');
    await page.selectOption('#team_id', sales.id);
    expect(await visibleHosts()).toEqual([ada.id, grace.id]); // Linus (Design) is not offered for Sales
    await expect(page.textContent(`label:has(${hostBox(sales.id, grace.id)})`)).resolves.toMatch(/Grace Hopper\s+grace@example\.com/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.check(hostBox(sales.id, ada.id));
    await page.check(hostBox(sales.id, grace.id));
    await page.click('button:has-text("Save meeting type")');
    await page.waitForURL(/\/admin\/meeting-types\?saved=1$/);

    const items = (await t.http().get('/api/meeting-types').set(ada.auth).expect(200)).body;
    const created = items.find((m: { name: string }) => m.name === 'Sales round robin');
    expect(created).toMatchObject({ kind: 'round_robin', team_id: sales.id });
    expect([...created.host_ids].sort()).toEqual([ada.id, grace.id].sort());

    await page.goto(`/admin/meeting-types/${created.id}`);
    expect(await page.inputValue('#team_id')).toBe(sales.id);
    expect([await page.isChecked(hostBox(sales.id, ada.id)), await page.isChecked(hostBox(sales.id, grace.id))]).toEqual([true, true]);
    // Ada is in both teams: ticked only in the chosen team's group, so unticking her there removes her.
    expect([await page.isChecked(hostBox(design.id, ada.id)), await page.isChecked(hostBox(design.id, linus.id))]).toEqual([false, false]);
    expect(await seriousViolations(page)).toEqual([]);

    // A forged post: Linus ticked in the Design group as a script-less browser could, and a stranger's id added to
    // the Sales group. The service's message is shown beside the hosts (known people by name) and nothing is saved.
    await page.evaluate(
      ({ design, linusBox, salesId, malloryId }) => {
        (document.querySelector(`fieldset[data-team="${design}"]`) as HTMLFieldSetElement).disabled = false;
        (document.querySelector(linusBox) as HTMLInputElement).checked = true;
        const forged = Object.assign(document.createElement('input'), {
          type: 'checkbox',
          name: 'host_ids',
          value: malloryId,
          checked: true,
        });
        document.querySelector(`fieldset[data-team="${salesId}"]`)!.append(forged);
      },
      { design: design.id, linusBox: hostBox(design.id, linus.id), salesId: sales.id, malloryId: mallory.id },
    );
    await page.fill('#name', 'Renamed while forging');
    await page.click('button:has-text("Save meeting type")');
    await page.locator('#host_ids-error').waitFor();
    const message = await page.textContent('#host_ids-error');
    expect(message).toMatch(/must be members of team_id/i);
    expect(message).toContain('Linus Torvalds <linus@example.com>');
    expect(message).toContain(mallory.id);
    expect(message).not.toContain(grace.id);
    expect(await page.getAttribute('#host_ids', 'aria-describedby')).toContain('host_ids-error');
    expect(await page.getAttribute(hostBox(sales.id, grace.id), 'aria-invalid')).toBe('true');
    await expect(page.textContent('#error-summary')).resolves.toContain('correct the highlighted fields');
    expect(await page.inputValue('#name')).toBe('Renamed while forging'); // what was entered is kept
    expect(await page.isChecked(hostBox(sales.id, grace.id))).toBe(true);
    const after = (await t.http().get(`/api/meeting-types/${created.id}`).set(ada.auth).expect(200)).body;
    expect(after.name).toBe('Sales round robin');
    expect([...after.host_ids].sort()).toEqual([ada.id, grace.id].sort());
    expect(await seriousViolations(page)).toEqual([]);

    // A team that is not one of Ada's is refused beside the team select.
    await page.goto(`/admin/meeting-types/${created.id}`);
    const strangers = await t.http().post('/api/teams').set(mallory.auth).send({ name: 'Elsewhere' }).expect(201);
    await page.locator('#team_id').evaluate((select, value) => {
      const s = select as HTMLSelectElement;
      s.add(new Option('forged', value));
      s.value = value;
    }, strangers.body.id);
    await page.click('button:has-text("Save meeting type")');
    await expect(page.textContent('#team_id-error')).resolves.toContain('Choose one of your teams');
    expect(await page.getAttribute('#team_id', 'aria-invalid')).toBe('true');
    expect((await t.http().get(`/api/meeting-types/${created.id}`).set(ada.auth).expect(200)).body.team_id).toBe(sales.id);

    // The tests that follow count Ada's meeting types.
    await t.http().delete(`/api/meeting-types/${created.id}`).set(ada.auth).expect(204);
  });

  it('the private feed of bookings: shown with a copy button, readable over plain HTTP, and reset', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await page.goto('/admin/calendars');
    const url = await page.inputValue('#feed_url');
    expect(url).toMatch(new RegExp(`^${base}/feeds/kcf_[A-Za-z0-9_-]{43}\\.ics$`));
    expect((await t.http().get('/api/integrations/export').set(ada.auth).expect(200)).body.url).toBe(url);
    expect(await page.getAttribute('#feed_url', 'readonly')).not.toBeNull();
    await expect(page.textContent('#feed')).resolves.toMatch(
      /Google Calendar.*From URL.*Apple Calendar.*New Calendar Subscription.*Outlook.*Subscribe from web/s,
    );
    expect(await seriousViolations(page)).toEqual([]);

    await page.click('button:has-text("Copy link")');
    await seeText('[data-copy-status=feed_url]', 'Copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

    // A subscribing calendar app: plain HTTP, no session. The bookings made above are in it.
    const [dav] = await t.dataSource.query(`SELECT ical_uid FROM bookings WHERE start_time = '2027-03-02T11:00:00Z'`);
    const read = async (feedUrl: string) => {
      const res = await fetch(feedUrl);
      return { status: res.status, type: res.headers.get('content-type'), body: (await res.text()).replace(/\r\n[ \t]/g, '') };
    };
    const before = await read(url);
    expect(before).toMatchObject({ status: 200, type: expect.stringMatching(/^text\/calendar/) });
    const vevents = (body: string) =>
      body
        .split('BEGIN:VEVENT\r\n')
        .slice(1)
        .map((e) => e.slice(0, e.indexOf('END:VEVENT')));
    expect(vevents(before.body).find((e) => e.includes(`UID:${dav.ical_uid}\r\n`))).toContain('Invitee dav');

    // Without JavaScript the copy button stays hidden; the address is still there to select.
    const plain = await browser.newContext({ baseURL: base, javaScriptEnabled: false, storageState: await context.storageState() });
    const plainPage = await plain.newPage();
    await plainPage.goto('/admin/calendars');
    expect(await plainPage.inputValue('#feed_url')).toBe(url);
    expect(await plainPage.isHidden('button:has-text("Copy link")')).toBe(true);
    await plain.close();

    await page.click('button:has-text("Reset link")');
    await page.waitForURL(/\/admin\/calendars\?feed=reset#feed$/);
    await expect(page.textContent('#feed .alert')).resolves.toContain('The old link no longer works');
    const next = await page.inputValue('#feed_url');
    expect(next).not.toBe(url);
    expect((await read(url)).status).toBe(404);
    const after = await read(next);
    expect(after.status).toBe(200);
    expect(vevents(after.body).some((e) => e.includes(`UID:${dav.ical_uid}\r\n`))).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('webhooks: created with events, the secret shown once, a failed delivery visible, paused, resumed and deleted', async () => {
    await page.goto('/admin/webhooks');
    expect(await seriousViolations(page)).toEqual([]);
    // Every event (three for bookings, four for requests that need approval, the video link, a no-show marked and
    // taken back, and the waitlist's joined, promoted and expired), unless the host narrows it.
    expect(await page.locator('input[name=events]:checked').count()).toBe(13);
    for (const box of await page.locator('input[name=events]').all()) await box.uncheck();
    await page.click('button:has-text("Create webhook")'); // empty: both fields answered
    await expect(page.textContent('#url-error')).resolves.toContain('Enter the full address');
    await expect(page.textContent('#events-error')).resolves.toContain('Choose at least one event');
    expect(await page.getAttribute('#url', 'aria-describedby')).toBe('url-error');
    await page.fill('#url', 'http://169.254.169.254/latest/meta-data'); // cloud metadata: refused by the service
    await page.check('input[name=events][value="invitee.created"]');
    await page.click('button:has-text("Create webhook")');
    await seeText('#url-error', /private, loopback or link-local/); // the same field, answered again
    expect(await page.isChecked('input[name=events][value="invitee.created"]')).toBe(true); // answers kept

    await page.fill('#url', receiver.url('/kairos-hook'));
    await page.check('input[name=events][value="invitee.canceled"]');
    await page.click('button:has-text("Create webhook")');
    const secret = (await page.textContent('#webhook-secret code'))!;
    expect(secret).toMatch(/^whsec_/);
    const hook = page.locator('.webhook', { hasText: '/kairos-hook' });
    await expect(hook.textContent()).resolves.toContain('invitee.created, invitee.canceled');
    await page.goto('/admin/webhooks');
    await expect(page.content()).resolves.not.toContain(secret); // shown once
    await expect(hook.textContent()).resolves.toContain('No deliveries yet.');

    // A booking: the endpoint answers 500, so the delivery fails and the host sees why.
    const booked = await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: '2027-03-03T13:00:00Z', ...invitee('wh') });
    expect(booked.status).toBe(201);
    const deadline = Date.now() + 20_000;
    while ((await hook.locator('tr[data-status=failed]').count()) === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      await page.reload();
    }
    const failed = hook.locator('tr[data-status=failed]');
    await expect(failed.textContent()).resolves.toContain('invitee.created');
    await expect(failed.textContent()).resolves.toContain('delivery failed (HTTP 5xx)');
    expect(receiver.requests).toEqual(['POST /kairos-hook']);
    expect(await seriousViolations(page)).toEqual([]);
    await documentScreenshot(page, 'admin-webhooks');

    // Retry is offered on the failed row.
    await failed.locator('button:has-text("Retry")').click();
    await page.waitForURL(/done=redelivered/);
    await expect(page.textContent('[role=status]')).resolves.toContain('tried again');

    // Paused: no delivery is planned for the next booking; resumed: they are again.
    await hook.locator('button:has-text("Pause")').click();
    await page.waitForURL(/done=disabled/);
    await expect(hook.textContent()).resolves.toContain('paused');
    expect((await t.http().get('/api/webhooks').set(ada.auth)).body[0].enabled).toBe(false);
    await hook.locator('button:has-text("Resume")').click();
    await page.waitForURL(/done=enabled/);
    await expect(hook.textContent()).resolves.toContain('active');

    // Another host cannot touch it.
    const [{ id }] = (await t.http().get('/api/webhooks').set(ada.auth)).body;
    await t.http().delete(`/api/webhooks/${id}`).set(grace.auth).expect(404);

    await hook.locator('button:has-text("Delete")').click();
    await page.waitForURL(/done=deleted/);
    await expect(page.textContent('main')).resolves.toContain('No webhooks yet.');
    expect((await t.http().get('/api/webhooks').set(ada.auth)).body).toEqual([]);
  });

  it('a paused webhook gets nothing for new bookings', async () => {
    const created = await t
      .http()
      .post('/api/webhooks')
      .set(ada.auth)
      .send({ url: receiver.url('/paused'), events: ['invitee.created'] })
      .expect(201);
    await page.goto('/admin/webhooks');
    await page.locator('.webhook', { hasText: '/paused' }).locator('button:has-text("Pause")').click();
    await page.waitForURL(/done=disabled/);
    await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: '2027-03-04T13:00:00Z', ...invitee('paused') })
      .expect(201);
    // Once the booking's own confirmation mails are planned, the relay has handled the event: no webhook row.
    const deadline = Date.now() + 15_000;
    let planned: Array<{ channel: string }> = [];
    while (planned.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      planned = await t.dataSource.query(
        `SELECT d.channel FROM notification_deliveries d JOIN bookings b ON b.id = d.booking_id WHERE b.start_time = '2027-03-04T13:00:00Z'`,
      );
    }
    expect(planned.length).toBeGreaterThan(0);
    expect(planned.filter((d) => d.channel === 'webhook')).toEqual([]);
    await t.http().delete(`/api/webhooks/${created.body.id}`).set(ada.auth).expect(200);
  });

  it('profile: a taken username is refused beside the field; name, username and zone change', async () => {
    await page.goto('/admin/profile');
    expect(await seriousViolations(page)).toEqual([]);
    await page.fill('#username', 'grace');
    await page.click('button:has-text("Save profile")');
    await expect(page.textContent('#username-error')).resolves.toBe('That username is taken.');
    expect(await page.getAttribute('#username', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#username', 'aria-describedby')).toBe('username-hint username-error');
    await expect(page.textContent('#error-summary')).resolves.toContain('correct the highlighted fields');
    expect(await seriousViolations(page)).toEqual([]);
    await documentScreenshot(page, 'admin-profile');
    await page.fill('#username', 'admin');
    await page.click('button:has-text("Save profile")');
    await seeText('#username-error', 'reserved');
    await page.fill('#username', 'Not Valid');
    await page.click('button:has-text("Save profile")');
    await seeText('#username-error', 'lowercase letters');

    await page.fill('#name', 'Ada King');
    await page.fill('#username', 'ada-king');
    await page.selectOption('#time_zone', 'Asia/Tokyo');
    await page.click('button:has-text("Save profile")');
    await page.waitForURL(/saved=profile/);
    await expect(page.textContent('[role=status]')).resolves.toBe('Profile saved.');
    expect(await page.inputValue('#time_zone')).toBe('Asia/Tokyo');
    expect(await page.getAttribute('nav >> text=Public page', 'href')).toBe('/ada-king');
    expect((await t.http().get('/api/users/me').set(ada.auth)).body).toMatchObject({
      name: 'Ada King',
      username: 'ada-king',
      time_zone: 'Asia/Tokyo',
    });
    await page.goto('/admin');
    await expect(page.textContent('main')).resolves.toContain('Times in Asia/Tokyo');
  });

  it('profile: the email and the password change, each only with the current password', async () => {
    await page.goto('/admin/profile');

    // Email: the current password is required, and another account's address is refused.
    await page.fill('#email', 'ada@lovelace.example');
    await page.fill('#email_password', 'wrong-password');
    await page.click('button:has-text("Change email")');
    await expect(page.textContent('#email_password-error')).resolves.toBe('That is not your current password.');
    expect(await page.inputValue('#email')).toBe('ada@lovelace.example');
    await page.fill('#email', 'GRACE@example.com');
    await page.fill('#email_password', PASSWORD);
    await page.click('button:has-text("Change email")');
    await expect(page.textContent('#email-error')).resolves.toBe('An account with this email already exists.');
    await page.fill('#email', 'ada@lovelace.example');
    await page.fill('#email_password', PASSWORD);
    await page.click('button:has-text("Change email")');
    await page.waitForURL(/saved=email/);
    await expect(page.textContent('main')).resolves.toContain('Currently ada@lovelace.example');

    // Password: the current one is checked, the new one typed twice.
    await page.fill('#current_password', 'not-it-at-all');
    await page.fill('#new_password', 'a-new-long-passphrase');
    await page.fill('#confirm_password', 'a-new-long-passphrase');
    await page.click('button:has-text("Change password")');
    await expect(page.textContent('#current_password-error')).resolves.toBe('That is not your current password.');
    await page.fill('#current_password', PASSWORD);
    await page.fill('#new_password', 'a-new-long-passphrase');
    await page.fill('#confirm_password', 'a-new-long-passphrasX');
    await page.click('button:has-text("Change password")');
    await expect(page.textContent('#confirm_password-error')).resolves.toBe('The two new passwords differ.');
    await page.fill('#current_password', PASSWORD);
    await page.fill('#new_password', 'a-new-long-passphrase');
    await page.fill('#confirm_password', 'a-new-long-passphrase');
    await page.click('button:has-text("Change password")');
    await page.waitForURL(/saved=password/);
    await expect(page.textContent('[role=status]')).resolves.toBe('Your password was changed.');

    // The old credentials no longer work; the new ones do.
    await page.click('text=Log out');
    await page.waitForURL(/\/admin\/login/);
    await logIn('ada@example.com', PASSWORD);
    await expect(page.textContent('#error-summary')).resolves.toContain('incorrect');
    await logIn('ada@lovelace.example', 'a-new-long-passphrase');
    await page.waitForURL(/\/admin$/);
  });

  it('GDPR: the host downloads their data as JSON, then deletes the account and is logged out', async () => {
    await page.goto('/admin/profile');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Download my data')]);
    expect(download.suggestedFilename()).toBe('kairos-export.json');
    const data = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(data).toMatchObject({ format: 'kairos-export/1', user: { id: ada.id, username: 'ada-king', email: 'ada@lovelace.example' } });
    expect(data.meeting_types).toHaveLength(1);
    expect(data.bookings.length).toBeGreaterThan(0);
    expect(JSON.stringify(data)).not.toMatch(/password_hash|secret_enc|whsec_/);

    // The confirmation must be the username.
    await page.fill('#confirm', 'ada');
    await page.click('button:has-text("Delete my account")');
    await expect(page.textContent('#confirm-error')).resolves.toContain('Type your username, ada-king, to confirm.');
    expect(await seriousViolations(page)).toEqual([]);
    await page.fill('#confirm', 'ada-king');
    await page.fill('#delete_password', 'a-new-long-passphrase'); // deletion needs the current password too
    await page.click('button:has-text("Delete my account")');
    await page.waitForURL(/\/admin\/login\?deleted=1$/);
    await expect(page.textContent('[role=status]')).resolves.toContain('Your account and its data were deleted.');
    expect((await context.cookies()).find((c) => c.name === 'kairos_session')).toBeUndefined();
    await page.goto('/admin/profile');
    await page.waitForURL(/\/admin\/login\?next=/);
    await logIn('ada@lovelace.example', 'a-new-long-passphrase');
    await expect(page.textContent('#error-summary')).resolves.toContain('incorrect');
    await t.http().get(`/api/users/${ada.id}`).expect(404);
    expect((await t.http().get('/api/users/me').set(grace.auth).expect(200)).body.username).toBe('grace'); // others untouched
  });

  it('teams: a host creates a team (a blank name is answered beside the field), invites a colleague by a link shown once, who accepts it; then removes them', async () => {
    const katherine = await createHost(t, { name: 'Katherine Johnson', username: 'katherine', email: 'katherine@example.com' });
    const dorothy = await createHost(t, { name: 'Dorothy Vaughan', username: 'dorothy', email: 'dorothy@example.com' });
    await logIn(katherine.email, PASSWORD);
    await page.click('nav[aria-label=Admin] >> text=Teams');
    await page.waitForURL(/\/admin\/teams$/);
    expect(await page.getAttribute('nav a[href="/admin/teams"]', 'aria-current')).toBe('page');
    await page.click('button:has-text("Create team")'); // blank name
    await expect(page.textContent('#name-error')).resolves.toContain('Enter a name for the team.');
    expect(await page.getAttribute('#name', 'aria-describedby')).toBe('name-error');
    await expect(page.textContent('#error-summary')).resolves.toContain('correct the highlighted field');
    expect(await seriousViolations(page)).toEqual([]);
    await page.fill('#name', 'Research');
    await page.click('button:has-text("Create team")');
    await page.waitForURL(/\/admin\/teams\?done=created$/);
    const team = page.locator('.team', { hasText: 'Research' });
    const teamId = (await team.getAttribute('data-team-id'))!;
    await expect(team.textContent()).resolves.toMatch(/Katherine Johnson[\s\S]*katherine@example\.com[\s\S]*admin/);

    await page.fill(`#invite-${teamId}`, 'not-an-email');
    await page.click(`button:has-text("Create invitation link")`);
    await expect(page.textContent(`#invite-${teamId}-error`)).resolves.toContain('Enter the email address');
    expect(await page.getAttribute(`#invite-${teamId}`, 'aria-describedby')).toBe(`invite-${teamId}-error`);
    await page.fill(`#invite-${teamId}`, 'Dorothy@Example.com');
    await page.click(`button:has-text("Create invitation link")`);
    await expect(page.textContent(`#invite-link-${teamId}`)).resolves.toContain('Kairos does not email it');
    const link = await page.inputValue(`#invite-url-${teamId}`);
    expect(link).toMatch(new RegExp(`^${base}/admin/teams/join\\?token=inv_`));
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/admin/teams');
    await expect(page.content()).resolves.not.toContain(link.split('token=')[1]); // shown once

    // Dorothy, in her own browser, opens the link: Kairos asks her to log in first, then shows the team.
    const other = await browser.newContext({ baseURL: base, timezoneId: 'Europe/London', locale: 'en-GB', bypassCSP: true });
    other.setDefaultTimeout(20_000);
    try {
      const page2 = await other.newPage();
      await page2.goto(link);
      await page2.waitForURL(/\/admin\/login\?next=/);
      await page2.fill('#email', dorothy.email);
      await page2.fill('#password', PASSWORD);
      await page2.click('button[type=submit]');
      await page2.waitForURL(/\/admin\/teams\/join\?token=/);
      await expect(page2.textContent('#join-team-name')).resolves.toBe('Research');
      expect(await seriousViolations(page2)).toEqual([]);
      await page2.click('button:has-text("Accept and join Research")');
      await page2.waitForURL(/\/admin\/teams\?done=joined$/);
      const joined = page2.locator('.team', { hasText: 'Research' });
      await expect(joined.textContent()).resolves.toContain('you are a member');
      expect(await page2.locator(`#invite-${teamId}`).count()).toBe(0); // members do not invite
      await page2.goto(link); // single use
      await expect(page2.textContent('#join-problem')).resolves.toContain('already been used');
      expect(await seriousViolations(page2)).toEqual([]);
    } finally {
      await other.close();
    }
    await page.goto(link); // another user's invitation
    await expect(page.textContent('#join-problem')).resolves.toContain('sent to a different email address');

    // Katherine sees Dorothy, removes her, and cannot leave as the last admin.
    await page.goto('/admin/teams');
    const row = page.locator(`.team[data-team-id="${teamId}"] tr[data-user-id="${dorothy.id}"]`);
    await expect(row.textContent()).resolves.toMatch(/Dorothy Vaughan[\s\S]*dorothy@example\.com[\s\S]*member/);
    await row.locator('button:has-text("Remove")').click();
    await page.waitForURL(/\/admin\/teams\?done=removed$/);
    expect(await page.locator(`tr[data-user-id="${dorothy.id}"]`).count()).toBe(0);
    const members = (await t.http().get(`/api/teams/${teamId}`).set(katherine.auth).expect(200)).body.members as { user_id: string }[];
    expect(members.map((m) => m.user_id)).toEqual([katherine.id]);
    await page.locator(`.team[data-team-id="${teamId}"] button:has-text("Leave")`).click();
    await expect(page.textContent('#team-problem')).resolves.toContain('A team needs at least one admin');
    expect((await t.http().get(`/api/teams/${teamId}`).set(katherine.auth).expect(200)).body.members).toHaveLength(1);
  });
});
