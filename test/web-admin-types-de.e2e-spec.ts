import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { launchBrowser, seriousViolations } from './support/browser.js';
import { HOST_PASSWORD, createHost, type TestHost } from './support/factories.js';
import { freePort } from './support/free-port.js';
import { createMeetingType, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC (13:00 in Berlin).
const NOW = '2027-03-01T12:00:00Z';
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/**
 * Issue #18: a host who chose German (PATCH /api/users/me {locale: 'de'}) sees the meeting types list and the editor in
 * German: labels, section headings, the form's own field errors, and the words the scripts write (switch, copy, preview).
 */
describe('admin: meeting types list and editor in German (headless Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;
  let grete: TestHost;
  let typeId: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await startTestApp({ now: NOW, env: { PUBLIC_URL: base } });
    await t.app.listen(port, '127.0.0.1');
    grete = await createHost(t, { name: 'Grete Hermann', username: 'grete', email: 'grete@example.com', time_zone: 'Europe/Berlin' });
    await t.http().patch('/api/users/me').set(grete.auth).send({ locale: 'de' }).expect(200);
    await setWeeklyHours(t, grete, 'Europe/Berlin');
    typeId = (
      await createMeetingType(t, grete, {
        name: 'Erstgespräch',
        slug: 'erstgespraech',
        duration_minutes: 30,
        questions: [{ label: 'Firma', type: 'text', required: true }],
      })
    ).id;
    await createMeetingType(t, grete, { name: 'Vertiefung', slug: 'vertiefung', duration_minutes: 60, is_secret: true });

    ({ browser, close: closeBrowser } = await launchBrowser());
    context = await browser.newContext({ baseURL: base, timezoneId: 'Europe/Berlin', locale: 'de-DE', bypassCSP: true, viewport: WIDE });
    context.setDefaultTimeout(20_000); // argon2 on a shared 2-core machine
    page = await context.newPage();
    await page.goto('/admin/login');
    await page.fill('#email', grete.email);
    await page.fill('#password', HOST_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => url.pathname === '/admin');
  });

  afterAll(async () => {
    await closeBrowser?.();
    await t?.close();
  });

  const card = (name: string) => `[data-type-card]:has-text("${name}")`;
  const seeText = (selector: string, text: string | RegExp) => page.locator(selector, { hasText: text }).waitFor();
  /** The longer German words still fit a phone: no sideways scrolling, no axe violations. */
  const fitsPhone = async () => {
    await page.setViewportSize(PHONE);
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(WIDE);
  };

  it('the list: German labels, the switch and the copy button speak German; no axe violations at 1280 and 390 px', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await page.goto('/admin/meeting-types');
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    expect(await page.title()).toContain('Terminarten');
    expect(await page.textContent('h1')).toBe('Terminarten');
    await expect(page.textContent('a.button.primary')).resolves.toBe('Neue Terminart');
    const intro = await page.textContent(card('Erstgespräch'));
    expect(intro).toContain('30 Min. · Einzeltermin · für Buchungen geöffnet');
    expect(intro).toContain('Buchungsseite ansehen');
    expect(intro).toContain('Duplizieren');
    await expect(page.textContent(card('Vertiefung'))).resolves.toContain('60 Min. · Einzeltermin · geheim');
    expect(await page.textContent(`label[for="link-${typeId}"]`)).toBe('Buchungslink von Erstgespräch');
    expect(await seriousViolations(page)).toEqual([]);

    await page.click(`button[data-copy="link-${typeId}"]`);
    await seeText(`[data-copy-status="link-${typeId}"]`, 'Kopiert.');

    const toggle = `${card('Erstgespräch')} button[role=switch]`;
    expect(await page.textContent(`${toggle} .switch-text`)).toBe('An');
    await page.click(toggle);
    await page.locator(`${toggle}[aria-checked="false"]`).waitFor();
    await seeText(`[data-copy-status="link-${typeId}"]`, 'Ausgeschaltet.');
    expect(await page.textContent(`${toggle} .switch-text`)).toBe('Aus');
    expect(await page.textContent(`${card('Erstgespräch')} [data-type-state]`)).toBe('aus: Die Buchungsseite ist nicht verfügbar');
    await page.click(toggle);
    await page.locator(`${toggle}[aria-checked="true"]`).waitFor();
    await seeText(`[data-copy-status="link-${typeId}"]`, 'Eingeschaltet.');
    await fitsPhone();
  });

  it('the editor: each section heading, the nav, the selects and the preview in German; no axe violations at 1280 and 390 px', async () => {
    await page.goto(`/admin/meeting-types/${typeId}`);
    expect(await page.textContent('h1')).toBe('„Erstgespräch“ bearbeiten');
    expect(await page.locator('.editor-section > h2').allTextContents()).toEqual([
      'Grundlagen',
      'Verfügbarkeit',
      'Grenzen',
      'Fragen',
      'Benachrichtigungen',
      'Erweitert',
    ]);
    expect(await page.locator('[data-section-nav] a').allTextContents()).toEqual([
      'Grundlagen',
      'Verfügbarkeit',
      'Grenzen',
      'Fragen',
      'Benachrichtigungen',
      'Erweitert',
    ]);
    expect(await page.getAttribute('[data-section-nav]', 'aria-label')).toBe('Abschnitte des Editors');
    expect(await page.textContent('label[for="duration_minutes"]')).toBe('Dauer (Minuten)');
    expect(await page.locator('#kind option').allTextContents()).toContain('Gruppe (mehrere Eingeladene pro Zeit)');
    expect(await page.locator('#location_type option').allTextContents()).toEqual(
      expect.arrayContaining(['Nicht festgelegt', 'Google Meet', 'Vor Ort', 'Videoanruf (fester Link)']),
    );
    expect(await page.locator('#confirmation_expiry_minutes option').allTextContents()).toEqual(
      expect.arrayContaining(['1 Stunde', '1 Tag', '2 Tage', '1 Woche', '2 Wochen']),
    );
    expect(await page.locator('#recurrence_frequency option').allTextContents()).toEqual([
      'Keine Wiederholung',
      'Wöchentlich',
      'Alle zwei Wochen',
      'Monatlich',
    ]);
    expect(await page.locator('#period-limits h3').allTextContents()).toEqual(['Wie viele Termine', 'Wie viel Zeit', 'Eingeladene']);
    expect(await page.locator('#r_unit_0 option').allTextContents()).toEqual(['Minuten', 'Stunden', 'Tage']);
    expect(await page.textContent('#limits-hint a')).toBe('Grenzen');
    expect(await page.textContent('.save-bar button')).toBe('Terminart speichern');
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      // One window, as the host sees it (the README's editor pictures are so).
      mkdirSync('docs/screenshots', { recursive: true });
      await page.setViewportSize({ width: 1280, height: 1000 });
      await page.waitForTimeout(300);
      await page.screenshot({ path: 'docs/screenshots/admin-meeting-type-de.png' });
      await page.setViewportSize(WIDE);
    }

    // The preview: its own words, and the ones its script writes while the host types.
    expect(await page.textContent('#preview-h')).toBe('Vorschau');
    await expect(page.textContent('[data-preview="questions"]')).resolves.toContain('Firma (Kurzer Text, Pflicht)');
    await page.fill('#name', '');
    await page.locator('[data-preview="dirty"]:visible', { hasText: 'Noch nicht gespeichert' }).waitFor();
    await seeText('[data-preview="name"]', 'Unbenannter Termin');
    await page.fill('#duration_minutes', '45');
    await seeText('[data-preview="length"]', '45 Min.');
    expect(await seriousViolations(page)).toEqual([]);
    await fitsPhone();
  });

  it('a refused save: the form says what is wrong in German beside the field; no axe violations at 1280 px', async () => {
    await page.goto(`/admin/meeting-types/${typeId}`);
    await page.fill('#r_amount_0', '31');
    await page.selectOption('#r_unit_0', 'days');
    await page.click('.save-bar button');
    await page.locator('#error-summary').waitFor();
    expect(await page.textContent('#error-summary')).toContain('Bitte korrigieren Sie die markierten Felder.');
    expect(await page.textContent('#r_amount_0-error')).toContain(
      'Geben Sie eine ganze Zahl ein; Erinnerungen gehen 1 Minute bis 30 Tage vor dem Beginn.',
    );
    expect(await page.textContent('[data-section-nav] a.has-error')).toContain('Benachrichtigungen (enthält einen Fehler)');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('duplicating opens the copy with a German notice', async () => {
    await page.goto('/admin/meeting-types');
    await page.click(`${card('Vertiefung')} button:has-text("Duplizieren")`);
    await page.waitForURL(/\?copied=1$/);
    await expect(page.textContent('.alert.ok')).resolves.toContain('Dupliziert. Die Kopie ist ausgeschaltet');
    expect(await page.title()).toContain('bearbeiten');
  });
});
