import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { documentScreenshot, launchBrowser, seriousViolations } from './support/browser.js';
import { settleDeliveries } from './support/deliveries.js';
import { createHost, HOST_PASSWORD, type TestHost } from './support/factories.js';
import { TestWebhookReceiver } from './support/mail.js';
import { createMeetingType, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC; the host works 09:00-17:00 in London (= UTC until 28 March).
const NOW = '2027-03-01T12:00:00Z';
const TZ = 'Europe/London';

interface RecordedEvent {
  type: string;
  detail: { booking?: { id: string; start_time: string; end_time: string; status: string }; page?: string; start_time?: string };
}

/**
 * Issue #18: the booking pages on a host's own site. The app answers on http://localhost:<p1>; the host's site is a
 * tiny server on http://127.0.0.1:<p2>, another origin (and site), loading /embed.js as a host would. Real Chromium,
 * with CSP enforced (no bypass) wherever framing is checked.
 */
describe('embedding the booking pages on another site (Chromium)', () => {
  let t: TestApp;
  let base: string;
  let site: Server;
  let siteOrigin: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let lin: TestHost;
  let sam: TestHost;
  let receiver: TestWebhookReceiver;
  const contexts: BrowserContext[] = [];

  const pages: Record<string, () => string> = {
    '/inline': () =>
      hostPage(
        `<div id="booking" data-kairos-inline data-url="${base}/lin/intro?name=Ada%20Lovelace&email=ada%40example.com&answers%5Btopic%5D=Pricing"></div>`,
      ),
    '/popup': () =>
      hostPage(
        `<p><a id="open" href="${base}/lin/intro" data-kairos-popup>Book a call</a></p>` +
          `<div data-kairos-floating data-url="${base}/lin" data-text="Book with Lin"></div>`,
      ),
    '/not-allowed': () => hostPage(`<div data-kairos-inline data-url="${base}/sam/chat"></div>`),
    '/not-embed': () => hostPage(`<iframe src="${base}/lin/intro" title="Booking"></iframe>`),
    '/admin': () => hostPage(`<iframe src="${base}/admin/login" title="Admin"></iframe>`),
  };

  /** The host's page: its own look, the embed script from Kairos, and a log of the events it receives. */
  const hostPage = (body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lin Chen Studio</title>
<style>
  body { margin: 0; font-family: Georgia, serif; background: #f4efe6; color: #1e1e1e; }
  header { padding: 1rem 2rem; background: #2d3a4a; color: #fff; font-size: 1.2rem; }
  main { max-width: 1040px; margin: 0 auto; padding: 1rem; }
  a { color: #1a4a8a; }
</style></head>
<body><header><strong>Lin Chen Studio</strong> · Portrait photography</header>
<main><h1>Book a session</h1><p>Pick a time for a free intro call below.</p>${body}</main>
<script src="${base}/embed.js" async></script>
<script>
  window.kairosEvents = [];
  for (const type of ['kairos:page_loaded', 'kairos:date_selected', 'kairos:booking_created'])
    window.addEventListener(type, (e) => window.kairosEvents.push({ type, detail: e.detail }));
</script></body></html>`;

  beforeAll(async () => {
    receiver = await new TestWebhookReceiver().start();
    t = await startTestApp({ now: NOW, env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', OUTBOX_POLL_INTERVAL_MS: '0' } });
    await t.app.listen(0, '127.0.0.1');
    base = `http://localhost:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    site = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const page = Object.hasOwn(pages, path) ? pages[path] : undefined;
      res.writeHead(page ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page ? page() : 'not found');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

    lin = await createHost(t, { time_zone: TZ, username: 'lin', name: 'Lin Chen' });
    await setWeeklyHours(t, lin, TZ);
    await createMeetingType(t, lin, {
      name: 'Intro call',
      slug: 'intro',
      questions: [{ id: 'topic', label: 'What would you like to talk about?', type: 'text', required: false }],
    });
    await t
      .http()
      .patch('/api/users/me')
      .set(lin.auth)
      .send({ embed_origins: [siteOrigin, 'https://lin.example'] })
      .expect(200);
    await t
      .http()
      .post('/api/webhooks')
      .set(lin.auth)
      .send({ url: receiver.url, events: ['invitee.created'] })
      .expect(201);
    // Sam allows another site only: the test site may not frame Sam's pages.
    sam = await createHost(t, { time_zone: TZ, username: 'sam', name: 'Sam Ortiz' });
    await setWeeklyHours(t, sam, TZ);
    await createMeetingType(t, sam, { name: 'Chat', slug: 'chat' });
    await t
      .http()
      .patch('/api/users/me')
      .set(sam.auth)
      .send({ embed_origins: ['https://sam.example'] })
      .expect(200);

    ({ browser, close: closeBrowser } = await launchBrowser());
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await closeBrowser?.();
    await t?.close();
    await new Promise((resolve) => site?.close(resolve));
    await receiver?.close();
  });

  async function newPage(width: number, height: number, bypassCSP = false): Promise<Page> {
    const context = await browser.newContext({ timezoneId: TZ, locale: 'en-GB', viewport: { width, height }, bypassCSP });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    return context.newPage();
  }

  const events = (page: Page) => page.evaluate(() => (window as unknown as { kairosEvents: RecordedEvent[] }).kairosEvents);
  const waitForEvent = (page: Page, type: string) =>
    page.waitForFunction(
      (type) => (window as unknown as { kairosEvents: RecordedEvent[] }).kairosEvents.some((e) => e.type === type),
      type,
    );

  /** The frame of the page's first iframe once it has navigated (to the booking page, or to Chromium's error page). */
  async function firstFrame(page: Page): Promise<Frame> {
    const handle = await page.waitForSelector('iframe');
    const frame = (await handle.contentFrame())!;
    await frame.waitForLoadState('load');
    return frame;
  }

  /** Chromium refused to render the frame: its error page, ERR_BLOCKED_BY_RESPONSE (what frame-ancestors and X-Frame-Options give). */
  async function expectRefused(path: string) {
    const page = await newPage(1280, 900);
    await page.goto(`${siteOrigin}${path}`);
    const frame = await firstFrame(page);
    expect(frame.url()).toBe('chrome-error://chromewebdata/');
    expect(await frame.content()).toContain('ERR_BLOCKED_BY_RESPONSE');
    await page.context().close();
  }

  it('headers: ?embed=1 pages list the host origins in frame-ancestors; other pages, admin included, refuse framing', async () => {
    const embedded = await t.http().get('/lin/intro?embed=1').expect(200);
    expect(embedded.headers['content-security-policy']).toContain(`frame-ancestors ${siteOrigin} https://lin.example`);
    expect(embedded.headers['content-security-policy']).toContain("script-src 'self'"); // the rest of the policy stays
    expect(embedded.headers['x-frame-options']).toBeUndefined();
    expect((await t.http().get('/lin?embed=1').expect(200)).headers['content-security-policy']).toContain(`frame-ancestors ${siteOrigin}`);
    // Without a listed origin the embedded page stays unframeable.
    const none = await createHost(t, { username: 'nobody' });
    await createMeetingType(t, none, { name: 'Chat', slug: 'chat' });
    expect((await t.http().get('/nobody/chat?embed=1').expect(200)).headers['content-security-policy']).toContain("frame-ancestors 'none'");
    for (const path of ['/lin/intro', '/lin', '/admin/login', '/admin/signup', '/api/users/me']) {
      const res = await t.http().get(path);
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
    // The embedded page has no site header.
    expect(embedded.text).not.toContain('class="topbar"');
    expect(embedded.text).toContain('id="kairos-embed"');
  });

  it('GET /embed.js: a plain script any site may load, cached and revalidated', async () => {
    const res = await t.http().get('/embed.js').expect(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toContain('public, max-age=3600');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.text).toContain('floatingButton');
    await t
      .http()
      .get('/embed.js')
      .set('If-None-Match', res.headers.etag as string)
      .expect(304);
  });

  it('embed_origins: set, read, cleared; a wrong entry is a 400 naming it', async () => {
    const me = await t.http().get('/api/users/me').set(lin.auth).expect(200);
    expect(me.body.embed_origins).toEqual([siteOrigin, 'https://lin.example']);
    const bad = await t
      .http()
      .patch('/api/users/me')
      .set(sam.auth)
      .send({ embed_origins: ['https://ok.example', 'https://*.example.com', 'https://x.example/path'] })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['embed_origins.1', 'embed_origins.2']);
    expect(bad.body.message).toMatch(/embed_origins\.1 .*wildcards/);
    await t.http().patch('/api/users/me').set(sam.auth).send({ embed_origins: 'https://sam.example' }).expect(400);
    await t
      .http()
      .patch('/api/users/me')
      .set(sam.auth)
      .send({ embed_origins: [42] })
      .expect(400);
    const many = Array.from({ length: 21 }, (_, i) => `https://s${i}.example`);
    await t.http().patch('/api/users/me').set(sam.auth).send({ embed_origins: many }).expect(400);
    const saved = await t
      .http()
      .patch('/api/users/me')
      .set(sam.auth)
      .send({ embed_origins: ['HTTPS://Sam.Example/', 'https://sam.example'] })
      .expect(200);
    expect(saved.body.embed_origins).toEqual(['https://sam.example']);
    expect((await t.http().get(`/api/users/${sam.id}`).expect(200)).body.embed_origins).toBeUndefined(); // not public
  });

  it('POST /api/bookings takes utm and returns it; unknown utm keys and multi-line values are 400', async () => {
    const type = (await t.http().get('/api/meeting-types').set(lin.auth).expect(200)).body.find(
      (m: { slug: string }) => m.slug === 'intro',
    );
    const body = { meeting_type_id: type.id, invitee_name: 'Api Booker', invitee_email: 'api@example.com', time_zone: TZ };
    await t
      .http()
      .post('/api/bookings')
      .send({ ...body, start_time: '2027-03-03T09:00:00Z', utm: { utm_source: 'x', ref: 'y' } })
      .expect(400);
    await t
      .http()
      .post('/api/bookings')
      .send({ ...body, start_time: '2027-03-03T09:00:00Z', utm: { utm_source: 'a\nb' } })
      .expect(400);
    const made = await t
      .http()
      .post('/api/bookings')
      .send({ ...body, start_time: '2027-03-03T09:00:00Z', utm: { utm_source: 'partner', utm_medium: 'api' } })
      .expect(201);
    expect(made.body.invitees[0].utm).toEqual({ utm_source: 'partner', utm_medium: 'api' });
    const plain = await t
      .http()
      .post('/api/bookings')
      .send({ ...body, start_time: '2027-03-03T10:00:00Z' })
      .expect(201);
    expect(plain.body.invitees[0].utm).toBeNull();
  });

  it('inline: loads from an allowed origin, resizes, prefills, books inside the frame and tells the page; utm reaches the webhook', async () => {
    const page = await newPage(1280, 900);
    await page.goto(`${siteOrigin}/inline?utm_source=newsletter&utm_campaign=spring`);
    const frame = await firstFrame(page);
    await frame.waitForSelector('#picker');
    expect(await frame.locator('.topbar').count()).toBe(0);
    await waitForEvent(page, 'kairos:page_loaded');

    // The frame takes its content's height (reported by the page, not fixed).
    await page.waitForFunction(() => document.querySelector('iframe')!.style.height !== '700px');
    const sizes = async () => ({
      frame: await page.evaluate(() => parseFloat(document.querySelector('iframe')!.style.height)),
      content: await frame.evaluate(() => document.body.getBoundingClientRect().height),
    });
    const settledSize = async () => {
      let size = await sizes();
      for (let i = 0; i < 30 && Math.abs(size.frame - size.content) > 2; i++) {
        await page.waitForTimeout(100);
        size = await sizes();
      }
      return size;
    };
    const size = await settledSize();
    expect(Math.abs(size.frame - size.content)).toBeLessThanOrEqual(2);
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeGreaterThan(size.frame); // no inner scroll bar

    await frame.click('a.day[data-date="2027-03-02"]');
    await frame.waitForSelector('a.day.selected[data-date="2027-03-02"]');
    // A day with times makes the page taller: the frame follows.
    const taller = await settledSize();
    expect(taller.frame).toBeGreaterThan(size.frame);
    expect(Math.abs(taller.frame - taller.content)).toBeLessThanOrEqual(2);
    // The site's frame is drawn by its own process: a viewport as tall as the page draws all of it in the picture.
    await page.setViewportSize({ width: 1280, height: await page.evaluate(() => document.documentElement.scrollHeight) });
    await page.mouse.move(5, 5); // off the day just clicked: its hover colour would hide the selection
    await page.waitForTimeout(300);
    await documentScreenshot(page, 'embed-inline');
    await page.setViewportSize({ width: 1280, height: 900 });
    await frame.click('.slot >> text=10:00');
    await frame.waitForURL(/\/lin\/intro\/book\?.*embed=1/);
    // The prefill from the embed URL fills the form; utm_* of the site's own URL ride along, hidden.
    expect(await frame.inputValue('#name')).toBe('Ada Lovelace');
    expect(await frame.inputValue('#email')).toBe('ada@example.com');
    expect(await frame.inputValue('#q-topic')).toBe('Pricing');
    expect(await frame.getAttribute('input[name=utm_source]', 'value')).toBe('newsletter');
    await waitForEvent(page, 'kairos:date_selected');
    await frame.click('button[type=submit]');
    await frame.waitForURL(/\/booking\/.*booked=1.*embed=1/);
    await expect(frame.textContent('h1')).resolves.toBe('You are booked');
    await waitForEvent(page, 'kairos:booking_created');

    const recorded = await events(page);
    expect(recorded.find((e) => e.type === 'kairos:date_selected')?.detail).toMatchObject({
      start_time: '2027-03-02T10:00:00.000Z',
      end_time: '2027-03-02T10:30:00.000Z',
    });
    const created = recorded.filter((e) => e.type === 'kairos:booking_created');
    expect(created).toHaveLength(1);
    const booking = created[0]!.detail.booking!;
    expect(booking).toMatchObject({ start_time: '2027-03-02T10:00:00.000Z', end_time: '2027-03-02T10:30:00.000Z', status: 'confirmed' });
    expect(JSON.stringify(recorded)).not.toMatch(/token/i);

    const stored = (await t.http().get(`/api/bookings/${booking.id}`).set(lin.auth).expect(200)).body;
    expect(stored.invitees[0]).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      answers: { topic: 'Pricing' },
      utm: { utm_source: 'newsletter', utm_campaign: 'spring' },
    });
    await settleDeliveries(t);
    const hook = receiver.requests.map((r) => JSON.parse(r.body)).find((b) => b.payload.booking_id === booking.id);
    expect(hook).toMatchObject({ event: 'invitee.created', payload: { utm: { utm_source: 'newsletter', utm_campaign: 'spring' } } });
  });

  it('pop-up and floating button: a dialog over the site that closes with Escape', async () => {
    const page = await newPage(390, 844);
    await page.goto(`${siteOrigin}/popup`);
    await page.waitForSelector('[data-kairos-floating-button]');
    await page.click('#open');
    const dialog = page.locator('[role=dialog]');
    await dialog.waitFor();
    const frame = (await (await dialog.locator('iframe').elementHandle())!.contentFrame())!;
    await frame.waitForSelector('#picker');
    await waitForEvent(page, 'kairos:page_loaded');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Close ×');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await page.click('[data-kairos-floating-button]');
    await dialog.waitFor();
    const list = (await (await dialog.locator('iframe').elementHandle())!.contentFrame())!;
    await list.waitForSelector('.type-link');
    expect(list.url()).toContain('/lin?embed=1');
    expect(await list.getAttribute('.type-link', 'href')).toBe('/lin/intro?embed=1');
    await page.click('text=Close ×');
    await dialog.waitFor({ state: 'detached' });
  });

  it("Chromium refuses the frame on a site not in the host's list, without embed=1, and for admin pages", async () => {
    await expectRefused('/not-allowed');
    await expectRefused('/not-embed');
    await expectRefused('/admin');
  });

  it.each([
    { width: 1280, height: 900 },
    { width: 390, height: 844 },
  ])('axe at $width px: the embedded calendar and form', async ({ width, height }) => {
    // Loaded at the top level with CSP bypassed so axe can be injected; the markup is what the frame shows.
    const page = await newPage(width, height, true);
    await page.goto(`${base}/lin/intro?embed=1&tz=${encodeURIComponent(TZ)}&date=2027-03-04`);
    await page.waitForSelector('.slot');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.goto(`${base}/lin/intro/book?start=2027-03-04T11:00:00Z&tz=${encodeURIComponent(TZ)}&embed=1&name=Grace`);
    expect(await page.inputValue('#name')).toBe('Grace');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it.each([
    { width: 1280, height: 900 },
    { width: 390, height: 844 },
  ])(
    'admin profile at $width px: the websites allowed to embed, one a line, a wrong line said beside the field',
    async ({ width, height }) => {
      const page = await newPage(width, height, true);
      await page.goto(`${base}/admin/login`);
      await page.fill('#email', sam.email);
      await page.fill('#password', HOST_PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForURL((url) => url.pathname === '/admin');
      await page.goto(`${base}/admin/profile`);
      await page.fill('#embed_origins', 'https://sam.example\n\nsam.example\nhttps://www.sam.example');
      await page.click('text=Save websites');
      await page.waitForSelector('#embed_origins-error');
      expect(await page.textContent('#embed_origins-error')).toContain('Line 3 (sam.example) must start with https://');
      expect(await page.getAttribute('#embed_origins', 'aria-invalid')).toBe('true');
      expect(await seriousViolations(page)).toEqual([]);
      await page.fill('#embed_origins', 'https://sam.example\nhttps://www.sam.example/');
      await page.click('text=Save websites');
      await page.waitForURL(/saved=embed/);
      expect(await page.inputValue('#embed_origins')).toBe('https://sam.example\nhttps://www.sam.example');
      expect(await page.textContent('pre.snippet')).toContain('/embed.js');
      expect(await seriousViolations(page)).toEqual([]);
      // The profile's new section alone (the whole profile is admin-profile.png, from web-admin).
      if (width === 1280 && process.env.UPDATE_SCREENSHOTS === '1') {
        await page.locator('section[aria-labelledby=embed-h]').screenshot({ path: 'docs/screenshots/admin-embed.png' });
      }
      expect((await t.http().get('/api/users/me').set(sam.auth).expect(200)).body.embed_origins).toEqual([
        'https://sam.example',
        'https://www.sam.example',
      ]);
    },
  );
});
