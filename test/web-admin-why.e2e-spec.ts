import type { Browser, BrowserContext, Page } from 'playwright-core';
import { documentScreenshot, launchBrowser, seriousViolations } from './support/browser.js';
import { HOST_PASSWORD, createHost, type TestHost } from './support/factories.js';
import { freePort } from './support/free-port.js';
import { createMeetingType, createTeam, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC (13:00 in Berlin). The day explained is Tuesday 2 March.
const NOW = '2027-03-01T12:00:00Z';
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const BERLIN = 'Europe/Berlin';

/** The admin's "why am I unavailable?" day view (issue #19): bands per host, a table in words, no JavaScript needed. */
describe('admin: why am I unavailable on a day (headless Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;
  let ada: TestHost;
  let bob: TestHost;
  let typeId: string;
  let teamTypeId: string;
  let teamId: string;

  beforeAll(async () => {
    const port = await freePort();
    t = await startTestApp({ now: NOW, env: { PUBLIC_URL: `http://127.0.0.1:${port}` } });
    await t.app.listen(port, '127.0.0.1');
    ada = await createHost(t, { name: 'Ada Lovelace', username: 'ada', email: 'ada@example.com', time_zone: BERLIN });
    bob = await createHost(t, { name: 'Bob Byte', username: 'bob', email: 'bob@example.com', time_zone: BERLIN });
    await setWeeklyHours(t, ada, BERLIN);
    await setWeeklyHours(t, bob, BERLIN);
    typeId = (await createMeetingType(t, ada, { name: 'Intro call', slug: 'intro-call', duration_minutes: 30, buffer_after_minutes: 15 }))
      .id;
    const team = await createTeam(t, ada, [bob]);
    teamId = team.id;
    teamTypeId = (
      await createMeetingType(t, ada, {
        name: 'Sales call',
        slug: 'sales-call',
        kind: 'round_robin',
        team_id: team.id,
        host_ids: [ada.id, bob.id],
        duration_minutes: 30,
      })
    ).id;
    // Tuesday in Berlin (UTC+1): a booking at 10:00, a hold at 11:00, time off 14:00-15:00 (Ada only).
    await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: '2027-03-02T09:00:00Z', ...invitee('why1') })
      .expect(201);
    await t.http().post('/api/slots/holds').send({ meeting_type_id: typeId, start_time: '2027-03-02T10:00:00Z' }).expect(201);
    await t
      .http()
      .post('/api/availability/time-off')
      .set(ada.auth)
      .send({ start_time: '2027-03-02T13:00:00Z', end_time: '2027-03-02T14:00:00Z', reason: 'dentist' })
      .expect(201);

    ({ browser, close: closeBrowser } = await launchBrowser());
    context = await browser.newContext({
      baseURL: `http://127.0.0.1:${port}`,
      timezoneId: BERLIN,
      locale: 'en-GB',
      viewport: WIDE,
      bypassCSP: true, // axe is injected as an inline script
    });
    context.setDefaultTimeout(20_000);
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

  const rows = () =>
    page.$$eval('.why-table tbody tr', (trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('th, td')).map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())),
    );
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  it('names each blocking reason and its source on the host’s day, at 1280 and 390 px', async () => {
    await page.goto('/admin/availability');
    await page.click('text=Why am I unavailable on a given day?');
    await page.waitForURL(/\/admin\/availability\/why/);
    await page.fill('#date', '2027-03-02');
    await page.selectOption('#meeting_type_id', typeId);
    await page.click('text=Explain this day');
    await page.waitForURL(/date=2027-03-02/);
    expect(await page.textContent('h2#day-heading')).toBe('Intro call on 2027-03-02');
    const table = await rows();
    const at = (time: string) => table.find((r) => r[0].startsWith(time));
    expect(at('00:00')?.[1]).toMatch(/^Outside your hours/);
    expect(at('09:00')?.[1]).toBe('Bookable');
    expect(at('09:30')?.[1]).toMatch(/^Buffer after too close to the start .*\(10:00–10:30\)/); // the 15-minute buffer after 09:30-10:00 meets it
    expect(at('10:00')?.[1]).toMatch(/^Booked .*\(10:00–10:30\)/);
    expect(at('11:00')?.[1]).toMatch(/^Held by an invitee/);
    expect(at('14:00')?.[1]).toMatch(/^Time off .*\(14:00–15:00\)/);
    expect(at('17:00')?.[1]).toMatch(/^Outside your hours/);
    expect(await page.$$eval('.why-bar', (bars) => bars.length)).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await documentScreenshot(page, 'admin-why');

    await page.setViewportSize(PHONE);
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(WIDE);
  });

  it('a team type gets one row per host; bad input is a form error with 400', async () => {
    await page.goto(`/admin/availability/why?date=2027-03-02&meeting_type_id=${teamTypeId}`);
    expect(await page.$$eval('.why-table thead th', (ths) => ths.map((th) => th.textContent))).toEqual([
      'Time',
      'Ada Lovelace',
      'Bob Byte',
    ]);
    expect(await page.$$eval('.why-bar', (bars) => bars.length)).toBe(2);
    const fourteen = (await rows()).find((r) => r[0].startsWith('14:00'));
    expect(fourteen?.[1]).toMatch(/^Time off/);
    expect(fourteen?.[2]).toBe('Bookable'); // Bob takes it: the start stays bookable for the type
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(WIDE);

    const bad = await page.goto('/admin/availability/why?date=2027-02-30&meeting_type_id=00000000-0000-4000-8000-000000000000');
    expect(bad?.status()).toBe(400);
    expect(await page.textContent('#date-error')).toContain('Enter a date');
    expect(await page.textContent('#meeting_type_id-error')).toContain('Choose one of your');
    expect(await page.getAttribute('#date', 'aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);

    // Another host's type is not theirs to explain here.
    const other = await createHost(t, { time_zone: BERLIN });
    const theirs = await createMeetingType(t, other, { name: 'Theirs', slug: 'theirs' });
    const refused = await page.goto(`/admin/availability/why?date=2027-03-02&meeting_type_id=${theirs.id}`);
    expect(refused?.status()).toBe(400);
  });

  it("a team member picks the team types they host (one row per host), and no other of the owner's types", async () => {
    // Ada owns a collective type Bob does not host and an inactive round robin he does: neither is his to pick.
    const notHosting = await createMeetingType(t, ada, {
      name: 'Board review',
      slug: 'board-review',
      kind: 'collective',
      team_id: teamId,
      host_ids: [ada.id],
    });
    const inactive = await createMeetingType(t, ada, {
      name: 'Old rota',
      slug: 'old-rota',
      kind: 'round_robin',
      team_id: teamId,
      host_ids: [ada.id, bob.id],
      is_active: false,
    });
    const bobContext = await browser.newContext({
      baseURL: new URL(page.url()).origin,
      timezoneId: BERLIN,
      locale: 'en-GB',
      viewport: WIDE,
      bypassCSP: true,
    });
    try {
      const bobPage = await bobContext.newPage();
      await bobPage.goto('/admin/login');
      await bobPage.fill('#email', bob.email);
      await bobPage.fill('#password', HOST_PASSWORD);
      await bobPage.click('button[type=submit]');
      await bobPage.waitForURL((url) => url.pathname === '/admin');
      await bobPage.goto('/admin/availability/why?date=2027-03-02');
      const options = await bobPage.$$eval('#meeting_type_id option', (os) =>
        os.map((o) => [(o as HTMLOptionElement).value, o.textContent?.trim()]),
      );
      expect(options).toEqual([[teamTypeId, 'Sales call (a team type you host, by ada)']]);
      await bobPage.selectOption('#meeting_type_id', teamTypeId);
      await bobPage.click('text=Explain this day');
      await bobPage.waitForURL(/meeting_type_id=/);
      expect(await bobPage.textContent('h2#day-heading')).toBe('Sales call on 2027-03-02');
      expect(await bobPage.$$eval('.why-table thead th', (ths) => ths.map((th) => th.textContent))).toEqual([
        'Time',
        'Ada Lovelace',
        'Bob Byte',
      ]);
      const fourteen = (
        await bobPage.$$eval('.why-table tbody tr', (trs) =>
          trs.map((tr) => Array.from(tr.querySelectorAll('th, td')).map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())),
        )
      ).find((r) => r[0].startsWith('14:00'));
      expect(fourteen?.[1]).toMatch(/^Time off/);
      expect(fourteen?.[2]).toBe('Bookable');
      expect(await seriousViolations(bobPage)).toEqual([]);
      // Asked for directly, the types he neither owns nor hosts are refused like a stranger's.
      for (const id of [typeId, notHosting.id, inactive.id]) {
        const refused = await bobPage.goto(`/admin/availability/why?date=2027-03-02&meeting_type_id=${id}`);
        expect(refused?.status()).toBe(400);
        expect(await bobPage.textContent('#meeting_type_id-error')).toContain('Choose one of your');
      }
    } finally {
      await bobContext.close();
    }
  });

  it('a German host reads the why, waitlist and round-robin pages in German, axe clean at 1280 px', async () => {
    await t.http().patch('/api/users/me').set(ada.auth).send({ locale: 'de' }).expect(200);
    try {
      await page.setViewportSize(WIDE);
      await page.goto(`/admin/availability/why?date=2027-03-02&meeting_type_id=${typeId}`);
      expect(await page.textContent('h1')).toBe('Warum bin ich nicht verfügbar?');
      expect(await page.textContent('h2#day-heading')).toBe('Intro call am Dienstag, 2. März 2027');
      const table = await rows();
      expect(table.find((r) => r[0].startsWith('00:00'))?.[1]).toMatch(/^Außerhalb Ihrer Zeiten/);
      expect(table.find((r) => r[0].startsWith('09:00'))?.[1]).toBe('Buchbar');
      // The engine's reasons in German too, with their sources' times.
      expect(table.find((r) => r[0].startsWith('09:30'))?.[1]).toMatch(
        /^Puffer danach zu nah am Beginn eines anderen Termins .*\(10:00–10:30\)/,
      );
      expect(table.find((r) => r[0].startsWith('10:00'))?.[1]).toMatch(
        /^Gebucht der Gastgeber hat dann eine andere Buchung \(10:00–10:30\)/,
      );
      expect(table.find((r) => r[0].startsWith('11:00'))?.[1]).toContain('jemand hält diese Zeit, während er bucht');
      expect(table.find((r) => r[0].startsWith('14:00'))?.[1]).toContain('der Gastgeber ist abwesend (Abwesenheit)');
      expect(table.find((r) => r[0].startsWith('00:00'))?.[1]).toContain('der Termin passt nicht in die Wochenzeiten des Gastgebers');
      expect(await page.textContent('.why-legend')).toContain('Abwesenheit oder Feiertag');
      expect(await seriousViolations(page)).toEqual([]);

      await page.goto(`/admin/waitlist?meeting_type_id=${typeId}`);
      expect(await page.textContent('h1')).toBe('Warteliste');
      expect(await page.textContent('label[for=waitlist_claim_minutes]')).toBe('Minuten, um einen frei gewordenen Platz anzunehmen');
      expect(await page.textContent('h2')).toBe('Wer auf Intro call wartet');
      expect(await seriousViolations(page)).toEqual([]);

      await page.goto(`/admin/teams/${teamId}/round-robin?meeting_type_id=${teamTypeId}`);
      expect(await page.textContent('h1')).toBe('Round Robin: Sales call');
      expect(await page.textContent('#next-h')).toBe('Nächste Zuweisungen');
      expect(await page.textContent('[data-total]')).toContain('gezählt seit Montag, 1. März 2027');
      expect(await page.textContent('#shares-title')).toBe('Ziel- und Ist-Anteil der Buchungen je Gastgeber');
      expect(await page.textContent('label[for=period]')).toBe('Buchungen zählen je');
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await t.http().patch('/api/users/me').set(ada.auth).send({ locale: 'en' }).expect(200);
    }
  });
});
