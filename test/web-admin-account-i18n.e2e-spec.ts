import type { Browser, BrowserContext, Page } from 'playwright-core';
import { documentScreenshot, launchBrowser, seriousViolations } from './support/browser.js';
import { createHost, type TestHost } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { freePort } from './support/free-port.js';
import { TestSmtpServer } from './support/mail.js';

// The account pages in the host's language (issue #18): the profile's "Language" select saves users.locale (what
// PATCH /api/users/me {locale} sets) and the whole admin follows; signed-out pages speak the browser's language.
const NOW = '2027-03-01T12:00:00Z';
const PASSWORD = 'correct-horse-battery';

describe('account pages in the host’s language (headless Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let ada: TestHost;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await startTestApp({ now: NOW, env: { PUBLIC_URL: base, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', SMTP_URL: smtp.url } });
    await t.app.listen(port, '127.0.0.1');
    ada = await createHost(t, { name: 'Ada Lovelace', username: 'ada', email: 'ada@example.com', time_zone: 'Europe/Berlin' });
    ({ browser, close: closeBrowser } = await launchBrowser());
  });

  afterAll(async () => {
    await closeBrowser?.();
    await t?.close();
    await smtp?.close();
  });

  async function newPage(locale: string, width = 1280): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      baseURL: base,
      locale,
      timezoneId: 'Europe/Berlin',
      viewport: { width, height: 900 },
      bypassCSP: true,
    });
    context.setDefaultTimeout(20_000); // argon2 on a shared 2-core machine
    return { context, page: await context.newPage() };
  }

  async function logIn(page: Page) {
    await page.goto('/admin/login');
    await page.fill('#email', 'ada@example.com');
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/admin$/);
  }

  it('signed-out pages speak the browser’s language (Accept-Language: de), at 1280 and 390 px', async () => {
    for (const width of [1280, 390]) {
      const { context, page } = await newPage('de-DE', width);
      await page.goto('/admin/login');
      expect(await page.getAttribute('html', 'lang')).toBe('de');
      await expect(page.textContent('h1')).resolves.toBe('Anmelden');
      await expect(page.textContent('label[for=password]')).resolves.toBe('Passwort');
      await expect(page.textContent('main')).resolves.toContain('Passwort vergessen?');
      expect(await seriousViolations(page)).toEqual([]);
      await page.fill('#email', 'ada@example.com');
      await page.fill('#password', 'wrong-password-1');
      await page.click('button[type=submit]');
      await expect(page.textContent('#error-summary')).resolves.toContain('E-Mail-Adresse oder Passwort ist falsch.');

      await page.goto('/admin/signup');
      await expect(page.textContent('h1')).resolves.toBe('Konto erstellen');
      expect(await seriousViolations(page)).toEqual([]);
      await page.goto('/admin/forgot-password');
      await expect(page.textContent('h1')).resolves.toBe('Passwort zurücksetzen');
      expect(await seriousViolations(page)).toEqual([]);
      await page.goto('/admin/reset-password?token=nope');
      await expect(page.textContent('#error-summary')).resolves.toContain('Dieser Link ist ungültig');
      await page.goto('/admin/verify-email?token=nope');
      await expect(page.textContent('h1')).resolves.toBe('Bestätigungslink ungültig');
      await context.close();
    }
    // ?lang= wins over the browser's language; an English browser sees the English page as before.
    const res = await t.http().get('/admin/login?lang=fr').set('Accept-Language', 'de');
    expect(res.text).toContain('<html lang="fr">');
    expect(res.text).toContain('Mot de passe oublié ?');
    const english = await t.http().get('/admin/login').set('Accept-Language', 'en-US');
    expect(english.text).toContain('Forgot password?');
  });

  it('the profile’s Language select: choosing Deutsch makes the admin German (users.locale), at 1280 and 390 px', async () => {
    const { context, page } = await newPage('en-GB');
    await logIn(page);
    await page.goto('/admin/profile');
    const options = await page.$$eval('#locale option', (os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent]));
    expect(options).toEqual([
      ['en', 'English'],
      ['de', 'Deutsch'],
      ['fr', 'Français'],
      ['es', 'Español'],
      ['pt-BR', 'Português (Brasil)'],
      ['ja', '日本語'],
    ]);
    expect(await page.inputValue('#locale')).toBe('en');
    await page.selectOption('#locale', 'de');
    await page.click('button:has-text("Save profile")');
    await page.waitForURL(/saved=profile/);
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await expect(page.textContent('[role=status]')).resolves.toBe('Profil gespeichert.');
    await expect(page.textContent('nav')).resolves.toContain('Buchungen');
    await expect(page.textContent('nav')).resolves.toContain('Abmelden');
    await expect(page.textContent('h1')).resolves.toBe('Profil');
    expect(await page.inputValue('#locale')).toBe('de');
    expect((await t.http().get('/api/users/me').set(ada.auth)).body.locale).toBe('de');
    await expect(page.textContent('main')).resolves.toContain('Auf Ihrer Website einbetten');
    expect(await seriousViolations(page)).toEqual([]);
    await documentScreenshot(page, 'admin-profile-de');

    // A field error in German, built in the web layer.
    await page.fill('#current_password', '');
    await page.click('button:has-text("Passwort ändern")');
    await expect(page.textContent('#current_password-error')).resolves.toContain('Geben Sie Ihr aktuelles Passwort ein.');
    await expect(page.textContent('#error-summary')).resolves.toContain('Ihr Passwort wurde nicht geändert');
    expect(await seriousViolations(page)).toEqual([]);

    await page.setViewportSize({ width: 390, height: 900 });
    await page.goto('/admin/profile');
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Back to English through the same select.
    await page.selectOption('#locale', 'en');
    await page.click('button:has-text("Profil speichern")');
    await page.waitForURL(/saved=profile/);
    await expect(page.textContent('[role=status]')).resolves.toBe('Profile saved.');
    await expect(page.textContent('nav')).resolves.toContain('Bookings');
    await context.close();
  });

  it('a language the select does not offer is refused beside the field', async () => {
    await t.http().patch('/api/users/me').set(ada.auth).send({ locale: 'en' }).expect(200);
    const { context, page } = await newPage('en-GB');
    await logIn(page);
    await page.goto('/admin/profile');
    await page.$eval('#locale', (s) => {
      const o = document.createElement('option');
      o.value = 'xx';
      o.textContent = 'xx';
      s.appendChild(o);
      (s as HTMLSelectElement).value = 'xx';
    });
    await page.click('button:has-text("Save profile")');
    await expect(page.textContent('#locale-error')).resolves.toBe('Choose one of the languages listed.');
    expect(await page.getAttribute('#locale', 'aria-invalid')).toBe('true');
    expect((await t.http().get('/api/users/me').set(ada.auth)).body.locale).toBe('en');
    await context.close();
  });

  it('a German host’s webhooks and API keys pages, at 1280 and 390 px', async () => {
    await t.http().patch('/api/users/me').set(ada.auth).send({ locale: 'de' }).expect(200);
    const { context, page } = await newPage('en-GB');
    await logIn(page);
    await page.goto('/admin/webhooks');
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await expect(page.textContent('h1')).resolves.toBe('Webhooks');
    await expect(page.textContent('main')).resolves.toContain('Noch keine Webhooks.');
    await expect(page.textContent('fieldset')).resolves.toContain('Eine Buchung wird storniert');
    await page.click('button:has-text("Webhook erstellen")');
    await expect(page.textContent('#url-error')).resolves.toContain('Geben Sie die vollständige Adresse Ihres Endpunkts ein');
    await expect(page.textContent('#error-summary')).resolves.toContain('Bitte korrigieren Sie die markierten Felder.');
    expect(await seriousViolations(page)).toEqual([]);
    await page.fill('#url', 'http://127.0.0.1:9/kairos-hook');
    await page.click('button:has-text("Webhook erstellen")');
    await expect(page.textContent('#webhook-secret')).resolves.toContain('Webhook erstellt.');
    await expect(page.textContent('.webhook')).resolves.toContain('aktiv');
    expect(await page.getAttribute('.webhook button.danger', 'aria-label')).toBe('Webhook http://127.0.0.1:9/kairos-hook löschen');
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 900 });
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.goto('/admin/teams/join?token=inv_nope');
    await expect(page.textContent('h1')).resolves.toBe('Einem Team beitreten');
    await expect(page.textContent('#join-problem')).resolves.toContain('Dieser Einladungslink ist ungültig.');
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto('/admin/api-keys');
    await expect(page.textContent('h1')).resolves.toBe('API-Schlüssel');
    await page.fill('#key-name', 'Skript');
    await page.click('button:has-text("Schlüssel erstellen")');
    await expect(page.textContent('[role=status]')).resolves.toContain('Ihr neuer Schlüssel');
    await expect(page.textContent('.booking-list')).resolves.toContain('Zuletzt verwendet: nie');
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 900 });
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('the password reset mail is in the host’s language, its link opening the page in it', async () => {
    await t.http().patch('/api/users/me').set(ada.auth).send({ locale: 'de' }).expect(200);
    await t.http().post('/api/auth/password-reset').send({ email: 'ada@example.com' }).expect(202);
    for (let i = 0; i < 200 && smtp.to('ada@example.com').length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    const mail = smtp.to('ada@example.com')[0]!;
    expect(mail.subject).toBe('Ihr Kairos-Passwort zurücksetzen');
    expect(mail.text).toContain('Hallo Ada Lovelace,');
    expect(mail.html).toContain('Neues Passwort festlegen');
    const link = /(http\S+reset-password\?token=[A-Za-z0-9_-]+&lang=de)/.exec(mail.text)?.[1];
    expect(link).toBeDefined();
    const page = await t
      .http()
      .get(new URL(link!).pathname + new URL(link!).search)
      .expect(200);
    expect(page.text).toContain('<html lang="de">');
    expect(page.text).toContain('Neues Passwort festlegen');
  });

  it('a German host’s calendars, teams and welcome pages (issue #18), axe clean at 1280 px', async () => {
    await t.http().patch('/api/users/me').set(ada.auth).send({ locale: 'de' }).expect(200);
    const { context, page } = await newPage('en-GB');
    await logIn(page);
    await page.goto('/admin/calendars');
    await expect(page.textContent('h1')).resolves.toBe('Kalender');
    await expect(page.textContent('main')).resolves.toContain('Noch keine Kalender verbunden.');
    await expect(page.textContent('#connect-h')).resolves.toBe('Kalender verbinden');
    await expect(page.textContent('label[for=caldav_password]')).resolves.toBe('App-Passwort');
    // The feed's date in German: "1. März 2027, 13:00" (Berlin).
    await expect(page.textContent('#feed_url-secret')).resolves.toContain('In Verwendung seit 1. März 2027, 13:00.');
    await page.click('button:has-text("Feed hinzufügen")');
    await expect(page.textContent('#ics_url-error')).resolves.toContain('Geben Sie die Adresse des Kalender-Feeds ein');
    await expect(page.textContent('#error-summary')).resolves.toContain('Bitte korrigieren Sie das markierte Feld.');
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto('/admin/teams');
    await expect(page.textContent('h1')).resolves.toBe('Teams');
    await expect(page.textContent('main')).resolves.toContain('Sie sind noch in keinem Team.');
    await page.click('button:has-text("Team erstellen")');
    await expect(page.textContent('#name-error')).resolves.toContain('Geben Sie einen Namen für das Team ein.');
    await page.fill('#name', 'Analytische Maschinen');
    await page.click('button:has-text("Team erstellen")');
    await expect(page.textContent('[role=status]')).resolves.toContain('Das Team wurde erstellt.');
    await expect(page.textContent('.team h3')).resolves.toContain('Sie sind Admin');
    await expect(page.textContent('.members thead')).resolves.toContain('Rolle');
    await expect(page.textContent('.members tbody')).resolves.toContain('(Sie)');
    expect(await seriousViolations(page)).toEqual([]);

    // The welcome is shown to hosts not yet past it.
    await t.dataSource.query(`UPDATE users SET onboarded_at = NULL WHERE username = 'ada'`);
    await page.goto('/admin/welcome/hours');
    await expect(page.textContent('h1')).resolves.toBe('Wann kann man bei Ihnen buchen?');
    await expect(page.textContent('.steps')).resolves.toContain('Schritt 1 von 3:');
    await expect(page.textContent('.day-checks')).resolves.toContain('Montag');
    await expect(page.textContent('label[for=end]')).resolves.toBe('Bis');
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/admin/welcome/calendar');
    await expect(page.textContent('h1')).resolves.toBe('Verbinden Sie Ihren Kalender');
    await expect(page.textContent('.welcome-actions')).resolves.toContain('Jetzt nicht, weiter');
    expect(await seriousViolations(page)).toEqual([]);
    await t.dataSource.query(`UPDATE users SET onboarded_at = now() WHERE username = 'ada'`);
    await context.close();
  });
});
