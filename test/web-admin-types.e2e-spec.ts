import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { documentScreenshot, launchBrowser, seriousViolations } from './support/browser.js';
import { HOST_PASSWORD, createHost, markEmailVerified, type TestHost } from './support/factories.js';
import { freePort } from './support/free-port.js';
import { createMeetingType, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC (13:00 in Berlin).
const NOW = '2027-03-01T12:00:00Z';
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/**
 * Issue #18's meeting type admin: the list (copy link, on/off switch, duplicate) and the editor in sections with a
 * preview that follows the form before anything is saved, with and without JavaScript.
 */
describe('admin: meeting types list and sectioned editor (headless Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;
  let ada: TestHost;
  let typeId: string;

  async function signIn(ctx: BrowserContext, host: TestHost): Promise<Page> {
    const p = await ctx.newPage();
    await p.goto('/admin/login');
    await p.fill('#email', host.email);
    await p.fill('#password', HOST_PASSWORD);
    await p.click('button[type=submit]');
    await p.waitForURL((url) => url.pathname === '/admin');
    return p;
  }

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await startTestApp({ now: NOW, env: { PUBLIC_URL: base } });
    await t.app.listen(port, '127.0.0.1');
    ada = await createHost(t, { name: 'Ada Lovelace', username: 'ada', email: 'ada@example.com', time_zone: 'Europe/Berlin' });
    await markEmailVerified(t, ada); // README screenshots show the admin without the "verify your email" banner
    await setWeeklyHours(t, ada, 'Europe/Berlin');
    typeId = (
      await createMeetingType(t, ada, {
        name: 'Intro call',
        slug: 'intro-call',
        description: 'A first talk about your project.',
        duration_minutes: 30,
        location: { type: 'phone', value: '+44 20 7946 0000' },
        questions: [{ label: 'Company', type: 'text', required: true }],
      })
    ).id;
    await createMeetingType(t, ada, { name: 'Deep dive', slug: 'deep-dive', duration_minutes: 60, is_secret: true });

    ({ browser, close: closeBrowser } = await launchBrowser());
    context = await browser.newContext({ baseURL: base, timezoneId: 'Europe/Berlin', locale: 'en-GB', bypassCSP: true, viewport: WIDE });
    context.setDefaultTimeout(20_000); // argon2 on a shared 2-core machine
    page = await signIn(context, ada);
  });

  afterAll(async () => {
    await closeBrowser?.();
    await t?.close();
  });

  /** The editor is long: its README pictures show one window (1280 x 1000), as the host sees it, not the whole page. */
  const windowScreenshot = async (name: string) => {
    if (process.env.UPDATE_SCREENSHOTS !== '1') return;
    mkdirSync('docs/screenshots', { recursive: true });
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.waitForTimeout(300); // the preview's debounce and the nav's mark
    await page.screenshot({ path: `docs/screenshots/${name}.png` });
    await page.setViewportSize(WIDE);
  };
  const api = async (path: string) => (await t.http().get(path).set(ada.auth).expect(200)).body;
  const stored = () => api(`/api/meeting-types/${typeId}`);
  const seeText = (selector: string, text: string | RegExp, p = page) => p.locator(selector, { hasText: text }).waitFor();
  const overflow = (p = page) => p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const saved = async (p = page) => {
    await p.click('button:has-text("Save meeting type")');
    await p.waitForURL(/\/admin\/meeting-types\?saved=1$/);
  };

  describe('the list', () => {
    it('shows each type with its link to copy, a switch and duplicate; no axe violations at 1280 and 390 px', async () => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
      await page.goto('/admin/meeting-types');
      const url = `${base}/ada/intro-call`;
      expect(await page.inputValue(`#link-${typeId}`)).toBe(url);
      expect(await page.getAttribute(`#link-${typeId}`, 'readonly')).not.toBeNull();
      expect(await page.getAttribute(`[data-type-card]:has(#link-${typeId}) button[role=switch]`, 'aria-checked')).toBe('true');
      await expect(page.textContent('[data-type-card]:has-text("Deep dive")')).resolves.toContain('secret');
      expect(await seriousViolations(page)).toEqual([]);

      await page.click(`button[data-copy="link-${typeId}"]`);
      await seeText(`[data-copy-status="link-${typeId}"]`, 'Copied.');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
      await documentScreenshot(page, 'admin-types-list');

      await page.setViewportSize(PHONE);
      await page.reload();
      expect(await overflow()).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page)).toEqual([]);
      await page.setViewportSize(WIDE);
    });

    it('the switch turns a type off at once (its booking page is then unavailable) and on again', async () => {
      await page.goto('/admin/meeting-types');
      await t.http().get('/ada/intro-call').expect(200);
      const toggle = `[data-type-card]:has(#link-${typeId}) button[role=switch]`;
      await page.click(toggle);
      await page.locator(`${toggle}[aria-checked="false"]`).waitFor();
      expect(page.url()).toBe(`${base}/admin/meeting-types`); // no reload
      await seeText(`[data-copy-status="link-${typeId}"]`, 'Turned off.');
      expect((await stored()).is_active).toBe(false);
      await t.http().get('/ada/intro-call').expect(404);
      expect(await seriousViolations(page)).toEqual([]);

      await page.reload(); // the server renders what was saved
      expect(await page.getAttribute(toggle, 'aria-checked')).toBe('false');
      await expect(page.textContent(`[data-type-card]:has(#link-${typeId}) [data-type-state]`)).resolves.toContain('unavailable');
      await page.click(toggle);
      await page.locator(`${toggle}[aria-checked="true"]`).waitFor();
      expect((await stored()).is_active).toBe(true);
      await t.http().get('/ada/intro-call').expect(200);
    });

    it('duplicate makes "(copy)" at "-copy", "-copy-2" with every setting, off, and opens it in the editor', async () => {
      await page.goto('/admin/meeting-types');
      await page.click(`[data-type-card]:has(#link-${typeId}) button:has-text("Duplicate")`);
      await page.waitForURL(/\/admin\/meeting-types\/[0-9a-f-]{36}\?copied=1$/);
      const copyId = new URL(page.url()).pathname.split('/').pop() ?? '';
      expect(copyId).not.toBe(typeId);
      await expect(page.textContent('.alert.ok')).resolves.toContain('The copy is off');
      expect(await page.inputValue('#name')).toBe('Intro call (copy)');
      expect(await page.inputValue('#slug')).toBe('intro-call-copy');
      expect(await page.isChecked('#is_active')).toBe(false);
      const copy = await api(`/api/meeting-types/${copyId}`);
      const source = await stored();
      expect(copy).toMatchObject({
        name: 'Intro call (copy)',
        slug: 'intro-call-copy',
        is_active: false,
        description: source.description,
        location: source.location,
        questions: source.questions,
        reminders: source.reminders,
      });
      await t.http().get('/ada/intro-call-copy').expect(404);

      await page.goto('/admin/meeting-types');
      await page.click(`[data-type-card]:has(#link-${typeId}) button:has-text("Duplicate")`);
      await page.waitForURL(/\?copied=1$/);
      expect(await page.inputValue('#slug')).toBe('intro-call-copy-2');
      // The tests below count Ada's types: remove the copies.
      for (const t2 of (await api('/api/meeting-types')).filter((x: { slug: string }) => x.slug.includes('-copy'))) {
        await t.http().delete(`/api/meeting-types/${t2.id}`).set(ada.auth).expect(204);
      }
    });

    it("another host cannot switch or duplicate Ada's type", async () => {
      const bob = await createHost(t, { name: 'Bob', username: 'bob', email: 'bob@example.com' });
      const bobContext = await browser.newContext({ baseURL: base, bypassCSP: true, viewport: WIDE });
      bobContext.setDefaultTimeout(20_000);
      const bobPage = await signIn(bobContext, bob);
      await bobPage.goto('/admin/meeting-types');
      const tried = await bobPage.evaluate(async (id) => {
        const csrf = (document.querySelector('input[name=_csrf]') as HTMLInputElement).value;
        const post = (path: string, extra: Record<string, string>) =>
          fetch(path, {
            method: 'POST',
            body: new URLSearchParams({ _csrf: csrf, ...extra }),
            headers: { Accept: 'application/json' },
          }).then((r) => r.status);
        return [
          await post(`/admin/meeting-types/${id}/active`, { is_active: '0' }),
          await post(`/admin/meeting-types/${id}/duplicate`, {}),
        ];
      }, typeId);
      expect(tried).toEqual([404, 404]);
      expect((await stored()).is_active).toBe(true);
      expect(await api('/api/meeting-types')).toHaveLength(2);
      expect((await t.http().get('/api/meeting-types').set(bob.auth).expect(200)).body).toHaveLength(0);
      await bobContext.close();
    });
  });

  describe('the editor', () => {
    it('is in six sections with a sticky nav; no axe violations at 1280 and 390 px', async () => {
      await page.goto(`/admin/meeting-types/${typeId}`);
      const headings = await page.$$eval('form[data-type-editor] .editor-section > h2', (hs) => hs.map((h) => h.textContent));
      expect(headings).toEqual(['Basics', 'Availability', 'Limits', 'Questions', 'Notifications', 'Advanced']);
      const links = await page.$$eval('[data-section-nav] a', (as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
      expect(links).toEqual([
        ['Basics', '#basics'],
        ['Availability', '#availability'],
        ['Limits', '#limits'],
        ['Questions', '#questions'],
        ['Notifications', '#notifications'],
        ['Advanced', '#advanced'],
      ]);
      expect(await page.getAttribute('[data-section-nav] a[href="#basics"]', 'aria-current')).toBe('true');
      expect(await seriousViolations(page)).toEqual([]);
      await windowScreenshot('admin-meeting-type');

      await page.click('[data-section-nav] a[href="#questions"]');
      await page.waitForURL(/#questions$/);
      await page.locator('[data-section-nav] a[href="#questions"][aria-current="true"]').waitFor();
      expect(await page.isVisible('#q_label_0')).toBe(true);
      // The nav stays in view while reading further down.
      const navTop = await page.$eval('[data-section-nav]', (n) => n.getBoundingClientRect().top);
      expect(navTop).toBeGreaterThanOrEqual(0);
      expect(navTop).toBeLessThan(5);
      await page.click('[data-section-nav] a[href="#advanced"]');
      await page.locator('[data-section-nav] a[href="#advanced"][aria-current="true"]').waitFor();

      await page.setViewportSize(PHONE);
      await page.goto(`/admin/meeting-types/${typeId}`);
      expect(await overflow()).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page)).toEqual([]);
      // The preview is below the form on a phone.
      const formBottom = await page.$eval('form[data-type-editor]', (f) => f.getBoundingClientRect().bottom);
      const previewTop = await page.$eval('[data-type-preview]', (p) => p.getBoundingClientRect().top);
      expect(previewTop).toBeGreaterThan(formBottom);
      await page.setViewportSize(WIDE);
    });

    it('edits and saves a field in each section', async () => {
      await page.goto(`/admin/meeting-types/${typeId}`);
      await page.fill('#description', 'Thirty minutes to get to know each other.'); // Basics
      await page.fill('#buffer_before_minutes', '10'); // Availability
      await page.fill('#max_bookings_per_week', '8'); // Limits
      await page.fill('#q_label_1', 'Website'); // Questions
      await page.fill('#r_amount_0', '2'); // Notifications
      await page.selectOption('#r_unit_0', 'hours');
      await page.check('#requires_confirmation'); // Advanced
      await saved();
      expect(await stored()).toMatchObject({
        description: 'Thirty minutes to get to know each other.',
        buffer_before_minutes: 10,
        max_bookings_per_week: 8,
        questions: [
          { label: 'Company', type: 'text', required: true },
          { label: 'Website', type: 'text', required: false },
        ],
        reminders: expect.arrayContaining([expect.objectContaining({ offset_minutes: 120, channel: 'email' })]),
        requires_confirmation: true,
      });
    });

    it('a refused save flags the sections with problems in the nav and keeps what was entered', async () => {
      await page.goto(`/admin/meeting-types/${typeId}`);
      await page.fill('#max_bookings_per_week', '0');
      await page.fill('#name', 'Renamed but refused');
      await page.click('button:has-text("Save meeting type")');
      await page.waitForLoadState();
      expect(await page.getAttribute('[data-section-nav] a[href="#limits"]', 'class')).toContain('has-error');
      expect(await page.textContent('[data-section-nav] a[href="#limits"]')).toContain('has a problem');
      expect(await page.getAttribute('[data-section-nav] a[href="#basics"]', 'class')).toBeNull();
      expect(await page.inputValue('#name')).toBe('Renamed but refused');
      expect(await seriousViolations(page)).toEqual([]);
      expect((await stored()).name).toBe('Intro call');
    });

    it('questions are rows: add, remove, a type select, choices one per line, required', async () => {
      await page.goto(`/admin/meeting-types/${typeId}`);
      const rows = () => page.$$eval('[data-question]', (rs) => rs.length);
      const before = await rows();
      expect(await page.isVisible('#q_options_0')).toBe(false); // choices only for choice questions
      await page.click('button:has-text("Add a question")');
      expect(await rows()).toBe(before + 1);
      const added = await page.evaluate(() => document.activeElement?.id);
      expect(added).toBe(`q_label_${before}`); // focus moves to the new row
      await page.fill(`#${added}`, 'Topic');
      await page.selectOption(`#q_type_${before}`, 'single_choice');
      expect(await page.isVisible(`#q_options_${before}`)).toBe(true);
      await page.fill(`#q_options_${before}`, 'Sales\nSupport, billing\n');
      await page.check(`#q_required_${before}`);
      // Remove "Website" (row 1) with its button; the rows renumber.
      await page.click('[data-question]:nth-child(2) [data-remove-question]');
      expect(await rows()).toBe(before);
      expect(await page.$$eval('[data-question] legend', (ls) => ls.map((l) => l.textContent?.trim()))).toEqual(
        Array.from({ length: before }, (_, i) => `Question ${i + 1}`),
      );
      expect(await seriousViolations(page)).toEqual([]);
      await saved();
      expect((await stored()).questions).toEqual([
        { id: 'company', label: 'Company', type: 'text', required: true },
        { id: 'topic', label: 'Topic', type: 'single_choice', required: true, options: ['Sales', 'Support, billing'] },
      ]);
      await page.goto(`/admin/meeting-types/${typeId}`);
      expect(await page.inputValue('#q_options_1')).toBe('Sales\nSupport, billing');
    });

    it('the preview follows the form before saving, and nothing is saved until Save', async () => {
      await page.goto(`/admin/meeting-types/${typeId}`);
      const preview = (part: string) => page.textContent(`[data-type-preview] [data-preview="${part}"]`);
      expect(await preview('name')).toBe('Intro call');
      expect(await page.isHidden('[data-preview="dirty"]')).toBe(true);
      await page.fill('#name', 'Discovery call');
      await page.fill('#description', 'We look at your goals together.');
      await page.fill('#duration_minutes', '45');
      await page.check('#duration_options_60');
      await page.selectOption('#location_type', 'in_person');
      await page.fill('#location_value', '1 Main Street');
      await page.fill('#q_label_2', 'Budget');
      await page.check('#q_required_2');
      await seeText('[data-preview="name"]', 'Discovery call');
      expect(await page.isVisible('[data-preview="dirty"]')).toBe(true); // "Not saved yet"
      await seeText('[data-preview="description"]', 'We look at your goals together.');
      await seeText('[data-preview="length"]', '45 min');
      await seeText('[data-preview="place"]', 'In person: 1 Main Street');
      await seeText('[data-preview="lengths"]', '60 min');
      await seeText('[data-preview="questions"]', /Budget \(Short text, required\)/);
      expect(await page.isVisible('[data-preview="request"]')).toBe(true); // approval was saved above
      await page.uncheck('#is_active');
      await page.locator('[data-preview="off"]').waitFor({ state: 'visible' });
      await page.check('#is_active');
      await page.locator('[data-preview="off"]').waitFor({ state: 'hidden' });
      // Preview side by side with the form at 1280 px.
      const formBox = await page.$eval('form[data-type-editor]', (f) => f.getBoundingClientRect().right);
      const previewBox = await page.$eval('[data-type-preview]', (p) => p.getBoundingClientRect().left);
      expect(previewBox).toBeGreaterThan(formBox);
      await page.locator('#questions').scrollIntoViewIfNeeded();
      await page.evaluate(() => document.getElementById('questions')?.scrollIntoView());
      await windowScreenshot('admin-type-preview');
      // Nothing was written while previewing.
      expect(await stored()).toMatchObject({ name: 'Intro call', duration_minutes: 30, location: { type: 'phone' } });

      await saved();
      expect(await stored()).toMatchObject({
        name: 'Discovery call',
        duration_minutes: 45,
        duration_options: [45, 60],
        location: { type: 'in_person', value: '1 Main Street' },
      });
      const bookingPage = await context.newPage();
      await bookingPage.goto('/ada/intro-call');
      await expect(bookingPage.textContent('h1')).resolves.toBe('Discovery call');
      await bookingPage.close();
    });
  });

  describe('without JavaScript', () => {
    it('the editor saves, the switch posts, the link is there to select, and duplicate works', async () => {
      const plain = await browser.newContext({
        baseURL: base,
        javaScriptEnabled: false,
        bypassCSP: true,
        viewport: WIDE,
        storageState: await context.storageState(),
      });
      plain.setDefaultTimeout(20_000);
      const p = await plain.newPage();
      await p.goto(`/admin/meeting-types/${typeId}`);
      expect(await p.isHidden('button:has-text("Add a question")')).toBe(true);
      expect(await p.textContent('[data-preview="name"]')).toBe('Discovery call'); // the preview of the saved values
      await p.click('[data-section-nav] a[href="#limits"]');
      expect(p.url()).toMatch(/#limits$/);
      await p.fill('#name', 'Discovery call (plain)');
      await p.fill('#q_label_3', 'Team size');
      await p.fill('#buffer_after_minutes', '5');
      await saved(p);
      expect(await stored()).toMatchObject({ name: 'Discovery call (plain)', buffer_after_minutes: 5 });
      expect((await stored()).questions.map((q: { label: string }) => q.label)).toContain('Team size');

      // The list: the link in a read-only box (no copy button), the switch as a form.
      expect(await p.inputValue(`#link-${typeId}`)).toBe(`${base}/ada/intro-call`);
      expect(await p.isHidden(`button[data-copy="link-${typeId}"]`)).toBe(true);
      await p.click(`[data-type-card]:has(#link-${typeId}) button[role=switch]`);
      await p.waitForURL(/\/admin\/meeting-types\?switched=off$/);
      await expect(p.textContent('.alert.ok')).resolves.toBe('Turned off.');
      expect(await p.getAttribute(`[data-type-card]:has(#link-${typeId}) button[role=switch]`, 'aria-checked')).toBe('false');
      await t.http().get('/ada/intro-call').expect(404);
      await p.click(`[data-type-card]:has(#link-${typeId}) button[role=switch]`);
      await p.waitForURL(/\?switched=on$/);
      await t.http().get('/ada/intro-call').expect(200);

      await p.click(`[data-type-card]:has(#link-${typeId}) button:has-text("Duplicate")`);
      await p.waitForURL(/\?copied=1$/);
      expect(await p.inputValue('#slug')).toBe('intro-call-copy');
      await plain.close();
    });
  });
});
