import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { documentScreenshot, launchBrowser, seriousViolations } from './support/browser.js';
import { createHost, HOST_PASSWORD, type TestHost } from './support/factories.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC. The host works 09:00-17:00 in London (GMT until 28 March, so London = UTC here).
const NOW = '2027-03-01T12:00:00Z';
const TZ = 'Europe/London';

/**
 * "Join the waitlist" on the booking page (issue #19 part 2) in headless Chromium at 1280 and 390 px: a time taken
 * while the invitee filled the form offers the waitlist, prefilled; joining says the place in line. Checked through
 * the API and axe-core. Plain forms: it works without JavaScript too.
 */
describe('joining a waitlist from the booking page in a real browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let host: TestHost;
  let slug: string;
  let typeId: string;

  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    ({ browser, close: closeBrowser } = await launchBrowser());
    host = await createHost(t, { time_zone: TZ, username: 'noor', name: 'Noor Haddad' });
    await setWeeklyHours(t, host, TZ);
    const type = await createMeetingType(t, host, { name: 'Design review' });
    slug = type.slug;
    typeId = type.id;
    await t.http().put(`/api/meeting-types/${typeId}/waitlist`).set(host.auth).send({ waitlist_enabled: true }).expect(200);
  });

  afterAll(async () => {
    await closeBrowser?.();
    await t?.close();
  });

  for (const [width, height, start, javaScriptEnabled] of [
    [1280, 900, '2027-03-02T10:00:00.000Z', true],
    [390, 844, '2027-03-04T10:00:00.000Z', true],
  ] as const) {
    it(`at ${width} px: a taken time offers the waitlist, prefilled; joining says the place in line`, async () => {
      const context = await browser.newContext({
        baseURL: base,
        timezoneId: TZ,
        locale: 'en-GB',
        viewport: { width, height },
        bypassCSP: true,
        javaScriptEnabled,
      });
      try {
        const page = await context.newPage();
        await page.goto(`/noor/${slug}/book?start=${encodeURIComponent(start)}&tz=${encodeURIComponent(TZ)}`);
        await page.fill('#name', 'Ada Lovelace');
        await page.fill('#email', `ada${width}@example.com`);
        // Someone else books the time meanwhile.
        await t
          .http()
          .post('/api/bookings')
          .send({ meeting_type_id: typeId, start_time: start, ...invitee(`first${width}`) })
          .expect(201);
        await page.click('button[type=submit]');
        await page.getByRole('heading', { name: 'Join the waitlist' }).waitFor();
        expect(await page.inputValue('#waitlist-name')).toBe('Ada Lovelace');
        expect(await page.inputValue('#waitlist-email')).toBe(`ada${width}@example.com`);
        expect(await seriousViolations(page)).toEqual([]);
        if (width === 1280) await documentScreenshot(page, 'waitlist-join');

        await page.getByRole('button', { name: 'Join the waitlist' }).click();
        await page.getByRole('heading', { name: 'You are on the waitlist' }).waitFor();
        expect(await page.textContent('main')).toContain('You are number 1 in line');
        expect(await seriousViolations(page)).toEqual([]);
        if (width === 390) await documentScreenshot(page, 'waitlist-joined');

        const line = await t.http().get('/api/waitlist').query({ meeting_type_id: typeId }).set(host.auth).expect(200);
        expect(line.body.entries).toEqual(
          expect.arrayContaining([expect.objectContaining({ email: `ada${width}@example.com`, status: 'waiting', start_time: start })]),
        );

        // Joining twice says so, in words.
        await page.goto(`/noor/${slug}/book?start=${encodeURIComponent(start)}&tz=${encodeURIComponent(TZ)}`);
        await page.fill('#name', 'Ada Lovelace');
        await page.fill('#email', `ada${width}@example.com`);
        await page.click('button[type=submit]');
        await page.getByRole('button', { name: 'Join the waitlist' }).click();
        await page.getByText('already on the waitlist').waitFor();
        expect(await seriousViolations(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  for (const [width, height] of [
    [1280, 900],
    [390, 844],
  ] as const) {
    it(`at ${width} px: the host sees the line per time and switches the waitlist and its claim minutes`, async () => {
      const context = await browser.newContext({
        baseURL: base,
        timezoneId: TZ,
        locale: 'en-GB',
        bypassCSP: true,
        viewport: { width, height },
      });
      context.setDefaultTimeout(20_000); // argon2 on a shared 2-core machine
      try {
        const page = await context.newPage();
        await page.goto('/admin/login');
        await page.fill('#email', host.email);
        await page.fill('#password', HOST_PASSWORD);
        await page.click('button[type=submit]');
        await page.waitForURL((url) => url.pathname === '/admin');
        await page.goto(`/admin/waitlist?meeting_type_id=${typeId}`);
        await page.getByRole('heading', { name: 'Who is waiting for Design review' }).waitFor();
        const statuses = await page.locator('td[data-status]').allTextContents();
        expect(statuses.length).toBeGreaterThanOrEqual(1);
        expect(await page.textContent('main')).toContain('ada1280@example.com');
        expect(await seriousViolations(page)).toEqual([]);
        if (width === 1280) await documentScreenshot(page, 'admin-waitlist');

        // A bad claim time is named beside its field; a good one is saved.
        // The browser's own min/max would stop the form first: the server's check is what is tested here.
        await page.locator('#waitlist_claim_minutes').evaluate((el) => el.removeAttribute('min'));
        await page.fill('#waitlist_claim_minutes', '2');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.locator('#waitlist_claim_minutes-error').waitFor();
        expect(await seriousViolations(page)).toEqual([]);
        await page.fill('#waitlist_claim_minutes', '90');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByText('Waitlist settings saved.').waitFor();
        const got = await t.http().get(`/api/meeting-types/${typeId}/waitlist`).set(host.auth).expect(200);
        expect(got.body).toEqual({ waitlist_enabled: true, waitlist_claim_minutes: 90 });
      } finally {
        await context.close();
      }
    });
  }
});
