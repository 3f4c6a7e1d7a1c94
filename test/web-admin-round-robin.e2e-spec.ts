import type { Browser, BrowserContext, Page } from 'playwright-core';
import { documentScreenshot, launchBrowser, seriousViolations } from './support/browser.js';
import { HOST_PASSWORD, createHost, type TestHost } from './support/factories.js';
import { freePort } from './support/free-port.js';
import { createMeetingType, createTeam, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const NOW = '2027-03-01T08:00:00Z';
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/** The admin's round-robin page (issue #19 part 3): settings, target-versus-actual chart, next assignments. */
describe('admin: round robin (headless Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;
  let ada: TestHost;
  let bob: TestHost;
  let cleo: TestHost;
  let teamId: string;
  let typeId: string;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await startTestApp({ now: NOW, env: { PUBLIC_URL: base, OUTBOX_POLL_INTERVAL_MS: '0' } });
    await t.app.listen(port, '127.0.0.1');
    ada = await createHost(t, { name: 'Ada Lovelace', time_zone: 'UTC' });
    bob = await createHost(t, { name: 'Bob Builder', time_zone: 'UTC' });
    cleo = await createHost(t, { name: 'Cleo Park', time_zone: 'UTC' });
    for (const h of [ada, bob, cleo]) await setWeeklyHours(t, h, 'UTC');
    teamId = (await createTeam(t, ada, [bob, cleo])).id;
    typeId = (
      await createMeetingType(t, ada, { name: 'Sales demo', kind: 'round_robin', team_id: teamId, host_ids: [ada.id, bob.id, cleo.id] })
    ).id;
    const weights: [TestHost, number][] = [
      [ada, 1],
      [bob, 2],
      [cleo, 1],
    ];
    for (const [h, weight] of weights) {
      await t.http().put(`/api/meeting-types/${typeId}/hosts/${h.id}`).set(ada.auth).send({ weight }).expect(200);
    }
    for (let i = 0; i < 7; i++) {
      const start = new Date(Date.parse('2027-03-02T09:00:00Z') + i * 3_600_000).toISOString();
      await t
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: typeId, start_time: start, ...invitee(`w${i}`) })
        .expect(201);
    }
    url = `/admin/teams/${teamId}/round-robin?meeting_type_id=${typeId}`;

    ({ browser, close: closeBrowser } = await launchBrowser());
    context = await browser.newContext({ baseURL: base, timezoneId: 'UTC', locale: 'en-GB', bypassCSP: true, viewport: WIDE });
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
    await page.goto('/admin/login');
    await page.fill('#email', ada.email);
    await page.fill('#password', HOST_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/admin');
  }, 180_000);

  afterAll(async () => {
    await closeBrowser?.();
    await t?.close();
  });

  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  it('shows target versus actual as SVG bars and a table, the next assignments, and is reached from Teams', async () => {
    await page.goto('/admin/teams');
    await page.click(`a[href="/admin/teams/${teamId}/round-robin"]`);
    await page.click('a:has-text("Sales demo")');
    expect(new URL(page.url()).search).toBe(`?meeting_type_id=${typeId}`);
    expect(await page.locator('svg title').first().textContent()).toBe('Target versus actual share of bookings per host');
    const rows = await page.locator('table[data-shares] tbody tr').evaluateAll((trs) =>
      trs.map((tr) =>
        Array.from(tr.querySelectorAll('th, td'))
          .map((c) => c.textContent?.trim())
          .join(' '),
      ),
    );
    expect(rows.sort()).toEqual(['Ada Lovelace 2 25% 28.6%', 'Bob Builder 3 50% 42.9%', 'Cleo Park 2 25% 28.6%']);
    expect(await page.locator('[data-next] li').first().textContent()).toBe('Bob Builder');
    expect(await seriousViolations(page)).toEqual([]);
    await documentScreenshot(page, 'admin-round-robin');
    await page.setViewportSize(PHONE);
    try {
      expect(await overflow()).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await page.setViewportSize(WIDE);
    }
  });

  it('saves weight, priority, cap, fallback and period; errors stay beside their fields', async () => {
    await page.goto(url);
    await page.fill(`#weight_${cleo.id}`, '0');
    await page.fill(`#cap_${bob.id}`, '20000');
    await page.click('button:has-text("Save round robin")');
    expect(await page.locator('#error-summary').textContent()).toContain('Please correct the highlighted fields.');
    expect(await page.locator(`#weight_${cleo.id}-error`).textContent()).toContain('Enter a weight for Cleo Park from 1 to 1000.');
    expect(await page.locator(`#cap_${bob.id}-error`).textContent()).toContain('Leave the cap for Bob Builder empty');
    expect(await page.inputValue(`#weight_${cleo.id}`)).toBe('0'); // the typed value is kept
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    try {
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await page.setViewportSize(WIDE);
    }

    await page.fill(`#weight_${cleo.id}`, '3');
    await page.fill(`#cap_${bob.id}`, '3');
    await page.fill(`#priority_${ada.id}`, '5');
    await page.check(`#fallback_${ada.id}`);
    await page.selectOption('#period', 'rolling_30_days');
    await page.click('button:has-text("Save round robin")');
    await page.waitForURL((u) => u.searchParams.get('done') === 'saved');
    expect(await page.locator('.alert.ok').textContent()).toContain('Saved');
    const report = await t.http().get(`/api/teams/${teamId}/round-robin`).query({ meeting_type_id: typeId }).set(ada.auth).expect(200);
    expect(report.body.period).toBe('rolling_30_days');
    const byId = Object.fromEntries(report.body.hosts.map((h: { user_id: string }) => [h.user_id, h]));
    expect(byId[ada.id]).toMatchObject({ priority: 5, fallback: true, target_share: 0 });
    expect(byId[bob.id]).toMatchObject({ weight: 2, max_bookings_per_period: 3 });
    expect(byId[cleo.id]).toMatchObject({ weight: 3, target_share: 0.6 });
    // Bob is at his cap of 3 and Ada is a fallback: Cleo takes the next ones.
    expect(await page.locator('[data-next] li').first().textContent()).toBe('Cleo Park');
  });

  it('lets other members read but not change, and hides the page from strangers', async () => {
    const bobPage = await (await browser.newContext({ baseURL: base, bypassCSP: true, viewport: WIDE })).newPage();
    await bobPage.goto('/admin/login');
    await bobPage.fill('#email', bob.email);
    await bobPage.fill('#password', HOST_PASSWORD);
    await bobPage.click('button[type=submit]');
    await bobPage.waitForURL((u) => u.pathname === '/admin');
    await bobPage.goto(url);
    expect(await bobPage.locator('button:has-text("Save round robin")').count()).toBe(0);
    expect(await bobPage.locator('text=Only the owner of this meeting type can change these settings.').count()).toBe(1);
    expect(await seriousViolations(bobPage)).toEqual([]);
    const csrfless = await t.http().get(url).set(bob.auth);
    expect([200, 302, 303, 401]).toContain(csrfless.status);
    const stranger = await createHost(t);
    const hidden = await t.http().get(`/api/teams/${teamId}/round-robin`).query({ meeting_type_id: typeId }).set(stranger.auth);
    expect(hidden.status).toBe(404);
    await bobPage.context().close();
  });
});
