import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { documentScreenshot, launchBrowser, seriousViolations } from './support/browser.js';
import { settleDeliveries } from './support/deliveries.js';
import { createHost, type TestHost } from './support/factories.js';
import { TestSmtpServer } from './support/mail.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC. The host works 09:00-17:00 in Berlin (UTC+1 until 28 March).
const NOW = '2027-03-01T12:00:00Z';
const TZ = 'Europe/Berlin';
const DAY = '2027-03-02'; // a Tuesday

/**
 * Languages and formats (issue #18): the booking pages in the invitee's language (?lang=, the picker's cookie,
 * Accept-Language), Intl dates and clocks per locale, the invitee's emails in the language they booked in and the
 * host's in the host's chosen one, and the API's validation of both.
 */
describe('languages and formats (issue #18)', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let host: TestHost;
  let typeId: string;
  const page = (query = '') => `/anke/intro-call?tz=${encodeURIComponent(TZ)}&date=${DAY}${query}`;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    t = await startTestApp({ now: NOW, env: { SMTP_URL: smtp.url, OUTBOX_POLL_INTERVAL_MS: '0', NOTIFY_SWEEP_INTERVAL_MS: '0' } });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    ({ browser, close: closeBrowser } = await launchBrowser());
    host = await createHost(t, { time_zone: TZ, username: 'anke', name: 'Anke Weber' });
    await setWeeklyHours(t, host, TZ);
    const type = await createMeetingType(t, host, { name: 'Intro call' });
    typeId = type.id;
    expect(type.slug).toBe('intro-call');
  });

  afterAll(async () => {
    await closeBrowser?.();
    await t?.close();
    await smtp?.close();
  });

  describe('API', () => {
    it('hosts choose their language with PATCH /api/users/me {locale}: validated, returned, English by default', async () => {
      const me = await t.http().get('/api/users/me').set(host.auth).expect(200);
      expect(me.body.locale).toBe('en');
      for (const bad of ['xx', 'DE', 'de-AT', '', 7, null]) {
        const res = await t.http().patch('/api/users/me').set(host.auth).send({ locale: bad });
        expect(res.status).toBe(400);
        expect(JSON.stringify(res.body)).toContain('locale');
      }
      const changed = await t.http().patch('/api/users/me').set(host.auth).send({ locale: 'de' }).expect(200);
      expect(changed.body.locale).toBe('de');
      expect((await t.http().get('/api/users/me').set(host.auth).expect(200)).body.locale).toBe('de');
      // The public view of a user does not show it.
      expect((await t.http().get(`/api/users/${host.id}`).expect(200)).body.locale).toBeUndefined();
    });

    it('POST /api/bookings takes a supported locale (400 otherwise) and returns it on the booking', async () => {
      for (const bad of ['xx', 'fr-FR', 'EN', 3]) {
        const res = await t
          .http()
          .post('/api/bookings')
          .send({ meeting_type_id: typeId, start_time: '2027-03-03T08:00:00Z', ...invitee('bad'), locale: bad });
        expect(res.status).toBe(400);
        expect(res.body.errors ?? res.body.message).toEqual(expect.anything());
        expect(JSON.stringify(res.body)).toContain('locale must be one of en, de, fr, es, pt-BR, ja');
      }
      const plain = await t
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: typeId, start_time: '2027-03-03T09:00:00Z', ...invitee('plain') })
        .expect(201);
      expect(plain.body.locale).toBe('en');
      expect(plain.body.invitees[0].locale).toBe('en');
    });
  });

  it('a booking made in French sends the invitee French mail (subject, body, dates) and the host German mail', async () => {
    // Wednesday 3 March 2027, 14:00 in Berlin; the invitee lives in Paris (the same offset).
    const res = await t
      .http()
      .post('/api/bookings')
      .send({
        meeting_type_id: typeId,
        start_time: '2027-03-03T13:00:00Z',
        invitee_name: 'Chloé Martin',
        invitee_email: 'chloe@example.com',
        time_zone: 'Europe/Paris',
        locale: 'fr',
      })
      .expect(201);
    expect(res.body.locale).toBe('fr');
    expect((await t.http().get(`/api/bookings/${res.body.id}`).set(host.auth).expect(200)).body.invitees[0].locale).toBe('fr');
    await settleDeliveries(t);

    const [toInvitee] = smtp.to('chloe@example.com');
    expect(toInvitee!.subject).toBe('Confirmé : Intro call avec Anke Weber le mercredi 3 mars 2027, 14:00 (Europe/Paris)');
    expect(toInvitee!.text).toContain('Bonjour Chloé Martin,');
    expect(toInvitee!.text).toContain('Votre rendez-vous Intro call avec Anke Weber est confirmé.');
    expect(toInvitee!.text).toContain('mercredi 3 mars 2027, 14:00–14:30 (Europe/Paris)');
    expect(toInvitee!.text).toContain('Gérer cette réservation');
    expect(toInvitee!.html).toContain('<html lang="fr">');
    expect(toInvitee!.text).not.toMatch(/Confirmed|Hello|Manage this booking/);

    const hostMails = smtp.to(host.email).filter((m) => m.subject.includes('Chloé'));
    expect(hostMails).toHaveLength(1);
    expect(hostMails[0]!.subject).toBe('Neue Buchung: Intro call mit Chloé Martin am Mittwoch, 3. März 2027, 14:00 (Europe/Berlin)');
    expect(hostMails[0]!.text).toContain('Hallo Anke Weber,');
    expect(hostMails[0]!.text).toContain('Chloé Martin (chloe@example.com) hat Intro call bei Ihnen gebucht.');

    // The links in those mails open the invitee's pages in the language they booked in (no header, no cookie).
    const manage = await t.http().get(`/booking/${res.body.id}`).query({ token: res.body.management_token }).expect(200);
    expect(manage.text).toContain('<html lang="fr">');
    expect(manage.text).toContain('Votre réservation');
    expect(manage.text).toContain('mercredi 3 mars 2027, 14:00 – 14:30');
    // A browser asking for another language in the picker still gets it.
    const german = await t.http().get(`/booking/${res.body.id}`).query({ token: res.body.management_token, lang: 'de' }).expect(200);
    expect(german.text).toContain('Ihre Buchung');

    // Cancelling keeps each side's language.
    await t
      .http()
      .delete(`/api/bookings/${res.body.id}`)
      .query({ token: res.body.management_token })
      .send({ reason: 'Empêchement' })
      .expect(200);
    await settleDeliveries(t);
    const cancelled = smtp.to('chloe@example.com').find((m) => m.subject.startsWith('Annulé'));
    expect(cancelled?.subject).toBe('Annulé : Intro call avec Anke Weber le mercredi 3 mars 2027, 14:00 (Europe/Paris)');
    expect(cancelled?.text).toContain('Motif : Empêchement');
    expect(smtp.to(host.email).some((m) => m.subject.startsWith('Abgesagt: Intro call mit Chloé Martin'))).toBe(true);
  });

  describe('pages without a browser', () => {
    it('?lang=de: German strings, 24-hour times, Monday first, <html lang="de">, and the picker cookie', async () => {
      const res = await t.http().get(page('&lang=de')).expect(200);
      expect(res.text).toContain('<html lang="de">');
      expect(res.text).toContain('Zeitzone');
      expect(res.text).toContain('Dienstag, 2. März 2027');
      expect(res.text).toMatch(/class="slot">09:00</);
      expect(res.text).toMatch(/<thead><tr><th scope="col" abbr="Montag">Mo<\/th>/);
      expect(String(res.headers['set-cookie'])).toMatch(/kairos_lang=de/);
      // Links through the flow keep the language.
      expect(res.text).toMatch(/name="lang" value="de"/);
      // The cookie alone then chooses German.
      const again = await t.http().get(page()).set('Cookie', 'kairos_lang=de').expect(200);
      expect(again.text).toContain('<html lang="de">');
    });

    it('Accept-Language: ja gives Japanese with Sunday first; en-US a 12-hour clock; no header English as before', async () => {
      const ja = await t.http().get(page()).set('Accept-Language', 'nl;q=0.9, ja').expect(200);
      expect(ja.text).toContain('<html lang="ja">');
      expect(ja.text).toContain('タイムゾーン');
      expect(ja.text).toContain('2027年3月2日火曜日');
      expect(ja.text).toMatch(/<thead><tr><th scope="col" abbr="日曜日">日<\/th>/);
      expect(ja.text).toMatch(/class="slot">9:00</);

      const us = await t.http().get(page()).set('Accept-Language', 'en-US,en;q=0.9').expect(200);
      expect(us.text).toMatch(/class="slot">9:00 AM</);
      expect(us.text).toContain('Use 24-hour clock');
      expect(us.text).toMatch(/<thead><tr><th scope="col" abbr="Sunday">Su<\/th>/);

      const plain = await t.http().get(page()).expect(200);
      expect(plain.text).toContain('<html lang="en">');
      expect(plain.text).toMatch(/class="slot">09:00</);
      expect(plain.text).toContain('Tuesday, 2 March 2027');
      expect(plain.text).toMatch(/<thead><tr><th scope="col" abbr="Monday">Mo<\/th>/);
      expect(String(plain.headers['set-cookie'] ?? '')).not.toContain('kairos_lang');
    });

    it('?lang= wins over the cookie and Accept-Language; unknown languages fall back', async () => {
      const res = await t.http().get(page('&lang=es')).set('Cookie', 'kairos_lang=de').set('Accept-Language', 'ja').expect(200);
      expect(res.text).toContain('<html lang="es">');
      expect(res.text).toContain('Zona horaria');
      const pt = await t.http().get(page()).set('Accept-Language', 'pt-PT').expect(200);
      expect(pt.text).toContain('<html lang="pt-BR">');
      const unknown = await t.http().get(page('&lang=xx')).set('Accept-Language', 'sv').expect(200);
      expect(unknown.text).toContain('<html lang="en">');
    });
  });

  describe.each([
    { width: 1280, height: 900, lang: 'de', slot: '10:00', heading: 'Intro call', zoneLabel: 'Zeitzone' },
    { width: 390, height: 844, lang: 'ja', slot: '11:00', heading: 'Intro call', zoneLabel: 'タイムゾーン' },
  ] as const)('in Chromium at $width px ($lang)', ({ width, height, lang, slot, zoneLabel }) => {
    let context: BrowserContext;
    let p: Page;

    beforeEach(async () => {
      context = await browser.newContext({
        baseURL: base,
        timezoneId: TZ,
        locale: lang === 'ja' ? 'ja-JP' : 'en-GB',
        viewport: { width, height },
        bypassCSP: true,
      });
      context.setDefaultTimeout(10_000);
      p = await context.newPage();
    });
    afterEach(async () => {
      await context.close();
    });

    it('shows the booking page in the language, passes axe, and books with the language kept', async () => {
      // German by ?lang=, Japanese by the browser's own Accept-Language (ja-JP).
      await p.goto(lang === 'de' ? page('&lang=de') : page());
      await expect(p.getAttribute('html', 'lang')).resolves.toBe(lang);
      await expect(p.textContent('label[for=tz]')).resolves.toBe(zoneLabel);
      const headers = await p.locator('table.month thead th').allTextContents();
      expect(headers).toEqual(lang === 'de' ? ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'] : ['日', '月', '火', '水', '木', '金', '土']);
      await expect(p.textContent('#slots-label')).resolves.toBe(lang === 'de' ? 'Dienstag, 2. März 2027' : '2027年3月2日火曜日');
      expect(await seriousViolations(p)).toEqual([]);
      if (width === 1280 && lang === 'de') await documentScreenshot(p, 'booking-calendar-de');

      await p.click(`.slot >> text="${slot}"`);
      await p.waitForURL(/\/book\?/);
      await expect(p.getAttribute('html', 'lang')).resolves.toBe(lang);
      // The form's own validation messages are in the language too.
      await p.click('button.primary');
      await p.waitForSelector('#error-summary');
      await expect(p.textContent('#name-error')).resolves.toBe(
        lang === 'de' ? 'Bitte geben Sie Ihren Namen ein.' : 'お名前を入力してください。',
      );
      expect(await seriousViolations(p)).toEqual([]);
      await p.fill('#name', `Gast ${lang}`);
      await p.fill('#email', `guest-${lang}-${width}@example.com`);
      await p.click('button.primary');
      await p.waitForURL(/booked=1/);
      await expect(p.textContent('h1')).resolves.toBe(lang === 'de' ? 'Ihr Termin ist gebucht' : '予約が完了しました');
      expect(await seriousViolations(p)).toEqual([]);
      const id = /\/booking\/([0-9a-f-]{36})/.exec(p.url())![1]!;
      const booking = (await t.http().get(`/api/bookings/${id}`).set(host.auth).expect(200)).body;
      expect(booking.invitees[0].locale).toBe(lang);
    });

    it('the language picker switches the page (script on change; the button without script)', async () => {
      await p.goto(page(lang === 'de' ? '&lang=de' : ''));
      await p.selectOption('#lang-select', 'fr');
      await p.waitForURL(/lang=fr/);
      await expect(p.getAttribute('html', 'lang')).resolves.toBe('fr');
      await expect(p.textContent('label[for=tz]')).resolves.toBe('Fuseau horaire');
      // The day and zone shown are kept.
      expect(p.url()).toContain(`date=${DAY}`);
      expect(await seriousViolations(p)).toEqual([]);
    });
  });

  it('without JavaScript the picker’s button changes the language', async () => {
    const plain = await browser.newContext({ baseURL: base, javaScriptEnabled: false, locale: 'en-GB', timezoneId: TZ });
    const p = await plain.newPage();
    await p.goto(page());
    await p.selectOption('#lang-select', 'pt-BR');
    await p.click('[data-lang-submit]');
    await p.waitForURL(/lang=pt-BR/);
    await expect(p.getAttribute('html', 'lang')).resolves.toBe('pt-BR');
    await expect(p.textContent('label[for=tz]')).resolves.toBe('Fuso horário');
    await plain.close();
  });
});
