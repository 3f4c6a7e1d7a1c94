import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { documentScreenshot, launchBrowser, seriousViolations } from './support/browser.js';
import { createHost, type TestHost } from './support/factories.js';
import { createMeetingType, invitee as inviteeBody, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC. The host works 09:00-17:00 in London (GMT until 28 March, so London = UTC here).
const NOW = '2027-03-01T12:00:00Z';
const TZ = 'Europe/London';

/**
 * The invitee's pages for issue #17's meeting features in headless Chromium, at a desktop (1280 px) and a phone
 * (390 px) width: picking a meeting length, sending a request a host confirms, booking and cancelling a recurring
 * series. Every outcome is checked through the API; every page through axe-core.
 */
describe('booking page features in a real browser (durations, requests, series)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let host: TestHost;
  const types: Record<'lengths' | 'request' | 'series', string> = { lengths: '', request: '', series: '' };
  const ids: Record<string, string> = {};

  // Each width books on its own day, so the two runs never meet: Tuesday 2 March at 1280 px, Thursday 4 March at 390 px.
  const WIDTHS = [
    { width: 1280, height: 900, day: '2027-03-02', later: ['2027-03-09', '2027-03-16', '2027-03-23'], label: 'Tuesday' },
    { width: 390, height: 844, day: '2027-03-04', later: ['2027-03-11', '2027-03-18', '2027-03-25'], label: 'Thursday' },
  ] as const;

  const api = () => t.http();
  const bookingOf = async (id: string) => (await api().get(`/api/bookings/${id}`).set(host.auth).expect(200)).body;
  const idFromUrl = (url: string) => /\/booking\/([0-9a-f-]{36})/.exec(url)![1]!;

  async function newPage(width: number, height: number, javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      baseURL: base,
      timezoneId: TZ,
      locale: 'en-GB',
      viewport: { width, height },
      bypassCSP: true,
      javaScriptEnabled,
    });
    context.setDefaultTimeout(10_000);
    return { context, page: await context.newPage() };
  }

  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    ({ browser, close: closeBrowser } = await launchBrowser());
    host = await createHost(t, { time_zone: TZ, username: 'lin', name: 'Lin Chen' });
    await setWeeklyHours(t, host, TZ);
    for (const [key, body] of [
      ['lengths', { name: 'Consultation', duration_options: [15, 30, 60] }],
      ['request', { name: 'Portfolio review', requires_confirmation: true }],
      ['series', { name: 'Coaching', recurrence: { frequency: 'weekly', max_occurrences: 6 } }],
    ] as const) {
      const type = await createMeetingType(t, host, body);
      ids[`${key}Type`] = type.id;
      types[key] = type.slug;
    }
  });

  afterAll(async () => {
    await closeBrowser?.();
    await t?.close();
  });

  async function fillInvitee(page: Page, who: string) {
    await page.fill('#name', who);
    await page.fill('#email', `${who.toLowerCase().replace(/\W+/g, '.')}@example.com`);
  }

  describe.each(WIDTHS)('at $width px', ({ width, height, day, later, label }) => {
    it('picks a meeting length: the times, the hold, the summary and the booking are 60 minutes', async () => {
      const { context, page } = await newPage(width, height);
      await page.goto(`/lin/${types.lengths}?tz=${encodeURIComponent(TZ)}&date=${day}`);
      expect(await page.locator('.lengths .length').allTextContents()).toEqual(['15 min', '30 min', '60 min']);
      expect(await page.getAttribute('.length[aria-current]', 'href')).not.toContain('duration='); // 30: the default
      expect(await page.locator('.slot').count()).toBe(16); // 09:00 .. 16:30 every 30 minutes
      // Days swapped in by the script: the length links follow the day shown.
      await page.click(`a.day[data-date="${later[0]}"]`);
      await page.waitForSelector(`a.day.selected[data-date="${later[0]}"]`);
      expect(await page.getAttribute('.lengths >> text=60 min', 'href')).toContain(`date=${later[0]}`);
      await page.click(`a.day[data-date="${day}"]`);
      await page.waitForSelector(`a.day.selected[data-date="${day}"]`);

      await page.click('.lengths >> text=60 min');
      await page.waitForURL(/duration=60/);
      expect(await page.textContent('.length[aria-current]')).toBe('60 min');
      const hours = ['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00'];
      expect(await page.locator('.slot').allTextContents()).toEqual(hours);
      expect(await seriousViolations(page)).toEqual([]);
      if (width === 1280) await documentScreenshot(page, 'booking-durations');

      await page.click('.slot >> text=10:00');
      await page.waitForURL(/\/book\?.*duration=60/);
      await expect(page.textContent('.when')).resolves.toContain('10:00 – 11:00');
      await expect(page.textContent('.when')).resolves.toContain('60 min with Lin Chen');
      // The hold covers the hour: the API no longer offers 10:00 for an hour (nor 09:30 for 60 min, were it a step).
      const slots = await api()
        .get('/api/availability/slots')
        .query({ meeting_type_id: ids.lengthsType, date: day, timezone: TZ, duration_minutes: 60 })
        .expect(200);
      expect((slots.body.slots as Array<{ start_time: string }>).map((s) => s.start_time)).not.toContain(`${day}T10:00:00Z`);

      await fillInvitee(page, `Length ${width}`);
      expect(await page.textContent('button[type=submit]')).toBe('Confirm booking');
      await page.click('button[type=submit]');
      await page.waitForURL(/booked=1/);
      await expect(page.textContent('h1')).resolves.toBe('You are booked');
      await expect(page.textContent('.times')).resolves.toContain('10:00 – 11:00');
      const booking = await bookingOf(idFromUrl(page.url()));
      expect(booking).toMatchObject({
        start_time: `${day}T10:00:00Z`,
        end_time: `${day}T11:00:00Z`,
        duration_minutes: 60,
        status: 'confirmed',
      });
      expect(await seriousViolations(page)).toEqual([]);
      await context.close();
    });

    it('sends a request the host confirms: "Request booking", then "Request sent" and no calendar links until confirmed', async () => {
      const { context, page } = await newPage(width, height);
      await page.goto(`/lin/${types.request}?tz=${encodeURIComponent(TZ)}&date=${day}`);
      await expect(page.textContent('.request-note')).resolves.toContain('Lin Chen confirms each request');
      expect(await seriousViolations(page)).toEqual([]);
      await page.click('.slot >> text=13:00');
      await page.waitForURL(/\/book\?/);
      await expect(page.textContent('.request-note')).resolves.toContain('Lin Chen confirms each request');
      expect(await page.textContent('button[type=submit]')).toBe('Request booking');
      await fillInvitee(page, `Request ${width}`);
      await page.click('text=Request booking');
      await page.waitForURL(/booked=1/);
      await expect(page.textContent('h1')).resolves.toBe('Request sent');
      const id = idFromUrl(page.url());
      const booking = await bookingOf(id);
      expect(booking.status).toBe('pending');
      const until = new Date(booking.confirmation_expires_at as string);
      const untilText = `${until.getUTCHours().toString().padStart(2, '0')}:${until.getUTCMinutes().toString().padStart(2, '0')}`;
      const notice = await page.textContent('.request-status');
      expect(notice).toContain('Lin Chen will confirm or decline this request; the time is held for you until');
      expect(notice).toContain(untilText);
      await expect(page.textContent('.times')).resolves.toContain('Pending');
      expect(await page.locator('text=Download .ics').count()).toBe(0);
      expect(await page.locator('text=Google Calendar').count()).toBe(0);
      expect(await page.locator('text=Reschedule').count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      if (width === 390) await documentScreenshot(page, 'booking-request-sent');
      // The invitation itself is refused while pending (the page's link is hidden, the URL still answers 409).
      const token = new URL(page.url()).searchParams.get('token')!;
      await api().get(`/api/bookings/${id}/ics`).query({ token }).expect(409);

      if (width === 1280) {
        // The host confirms: the page now offers the invitation.
        await api().post(`/api/bookings/${id}/confirm`).set(host.auth).send({}).expect(200);
        await page.goto(`/booking/${id}?token=${encodeURIComponent(token)}`);
        await expect(page.textContent('h1')).resolves.toBe('Your booking');
        expect(await page.locator('.request-status').count()).toBe(0);
        expect(await page.locator('text=Download .ics').count()).toBe(1);
      } else {
        // The host declines: the page says so, with no links to change it.
        await api().post(`/api/bookings/${id}/decline`).set(host.auth).send({ reason: 'Fully booked that week' }).expect(200);
        await page.goto(`/booking/${id}?token=${encodeURIComponent(token)}`);
        await expect(page.textContent('h1')).resolves.toBe('Request declined');
        await expect(page.textContent('.request-status')).resolves.toContain('Fully booked that week');
        await expect(page.textContent('.times')).resolves.toContain('Declined');
        expect(await page.locator('text=Download .ics').count()).toBe(0);
        expect(await page.locator('text=Reschedule').count()).toBe(0);
        expect(await seriousViolations(page)).toEqual([]);
      }
      await context.close();
    });

    it('books a weekly series all or none, lists its dates, cancels one date and then all remaining', async () => {
      // Someone else already has the fourth week's 15:00.
      await api()
        .post('/api/bookings')
        .send({
          meeting_type_id: ids.seriesType,
          start_time: `${later[2]}T15:00:00Z`,
          ...inviteeBody(`blocker-${width}`, { time_zone: TZ }),
        })
        .expect(201);
      const { context, page } = await newPage(width, height);
      await page.goto(`/lin/${types.series}?tz=${encodeURIComponent(TZ)}&date=${day}`);
      await page.click('.slot >> text=15:00');
      await page.waitForURL(/\/book\?/);
      expect(await page.textContent('label[for=occurrences]')).toBe('Repeat weekly');
      expect(await page.inputValue('#occurrences')).toBe('1'); // just this date unless asked
      expect(await page.locator('#occurrences option').count()).toBe(6);
      await fillInvitee(page, `Series ${width}`);
      await page.selectOption('#occurrences', '4');
      await page.click('button[type=submit]');
      // All or none: the taken date is named beside the field and nothing is booked.
      await expect(page.textContent('#occurrences-error')).resolves.toContain(`${label}, ${Number(later[2].slice(8))} March 2027, 15:00`);
      expect(await page.getAttribute('#occurrences', 'aria-invalid')).toBe('true');
      expect(await page.inputValue('#occurrences')).toBe('4');
      expect(await page.inputValue('#name')).toBe(`Series ${width}`);
      expect(await seriousViolations(page)).toEqual([]);
      const booked = await t.dataSource.query(`SELECT 1 FROM booking_invitees WHERE email = $1`, [`series.${width}@example.com`]);
      expect(booked).toHaveLength(0);

      await page.selectOption('#occurrences', '3');
      await page.click('button[type=submit]');
      await page.waitForURL(/booked=1/);
      await expect(page.textContent('h1')).resolves.toBe('Your meetings are booked');
      const dates = await page.locator('.series-dates li').allTextContents();
      expect(dates).toHaveLength(3);
      for (const [i, d] of [day, later[0], later[1]].entries())
        expect(dates[i]).toContain(`${Number(d.slice(8))} March 2027, 15:00 – 15:30`);
      expect(await seriousViolations(page)).toEqual([]);
      if (width === 1280) await documentScreenshot(page, 'booking-series');
      const first = idFromUrl(page.url());
      const series = (await api().get(`/api/bookings/${first}/series`).set(host.auth).expect(200)).body;
      expect(series.occurrences.map((o: { start_time: string; status: string }) => [o.start_time, o.status])).toEqual([
        [`${day}T15:00:00Z`, 'confirmed'],
        [`${later[0]}T15:00:00Z`, 'confirmed'],
        [`${later[1]}T15:00:00Z`, 'confirmed'],
      ]);

      // "Cancel this date" on the second date (reached from the list, same token).
      await page.click(`.series-dates a >> text=${Number(later[0].slice(8))} March`);
      await page.waitForURL(new RegExp(series.occurrences[1].id));
      await page.click('text=Cancel this date');
      await page.waitForURL(/\/cancel\?/);
      await expect(page.textContent('h1')).resolves.toBe('Cancel this meeting?');
      await page.click('button:has-text("Cancel meeting")');
      await page.waitForURL(/cancelled=1/);
      await expect(page.textContent('h1')).resolves.toBe('This meeting is cancelled');
      expect((await bookingOf(series.occurrences[1].id)).status).toBe('cancelled');
      expect((await bookingOf(first)).status).toBe('confirmed');

      // "Cancel all remaining dates" from the first date: the series' cancel, in one go.
      await page.click(`.series-dates a >> text=${Number(day.slice(8))} March`);
      await page.waitForURL(new RegExp(first));
      await page.click('text=Cancel all remaining dates');
      await page.waitForURL(/all=1/);
      await expect(page.textContent('h1')).resolves.toBe('Cancel all remaining dates?');
      expect(await page.locator('.series-dates li').count()).toBe(2); // the date already cancelled is not listed
      expect(await seriousViolations(page)).toEqual([]);
      await page.fill('#reason', 'Changed plans');
      await page.click('button:has-text("Cancel all remaining dates")');
      await page.waitForURL(/cancelled=1/);
      await expect(page.textContent('h1')).resolves.toBe('This meeting is cancelled');
      const after = (await api().get(`/api/bookings/${first}/series`).set(host.auth).expect(200)).body;
      expect(after.occurrences.map((o: { status: string }) => o.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
      await context.close();
    });
  });

  it('without JavaScript: the lengths are plain links, and an unknown length falls back to the default', async () => {
    const { context, page } = await newPage(1280, 900, false);
    await page.goto(`/lin/${types.lengths}?tz=${encodeURIComponent(TZ)}&date=2027-03-03&duration=45`);
    expect(await page.textContent('.length[aria-current]')).toBe('30 min');
    expect(await page.locator('.slot').count()).toBe(16);
    await page.click('.lengths >> text=15 min');
    await page.waitForURL(/duration=15/);
    expect(await page.locator('.slot').count()).toBe(32);
    await page.click('.slot >> text=09:15');
    await page.waitForURL(/\/book\?.*duration=15/);
    await expect(page.textContent('.when')).resolves.toContain('09:15 – 09:30');
    await fillInvitee(page, 'Plain Length');
    await page.click('button[type=submit]');
    await page.waitForURL(/booked=1/);
    expect(await bookingOf(idFromUrl(page.url()))).toMatchObject({ start_time: '2027-03-03T09:15:00Z', duration_minutes: 15 });
    await context.close();
  });

  describe('form posts (no browser)', () => {
    const post = (slug: string, form: Record<string, string>) => api().post(`/lin/${slug}/book`).type('form').send(form);

    it('a length the type does not offer books the default length', async () => {
      const res = await post(types.lengths, {
        start: '2027-03-05T09:00:00.000Z',
        tz: TZ,
        name: 'Odd Length',
        email: 'odd.length@example.com',
        duration: '45',
      }).expect(303);
      const id = idFromUrl(res.headers.location as string);
      expect(await bookingOf(id)).toMatchObject({ end_time: '2027-03-05T09:30:00Z', duration_minutes: 30 });
    });

    it('more occurrences than the type allows: 400 beside the field, nothing booked', async () => {
      const res = await post(types.series, {
        start: '2027-03-05T11:00:00.000Z',
        tz: TZ,
        name: 'Too Many',
        email: 'too.many@example.com',
        occurrences: '7',
      }).expect(400);
      expect(res.text).toMatch(/id="occurrences-error"[^>]*>[^<]*\b6\b/);
      const slots = await api()
        .get('/api/availability/slots')
        .query({ meeting_type_id: ids.seriesType, date: '2027-03-05', timezone: TZ })
        .expect(200);
      expect((slots.body.slots as Array<{ start_time: string }>).map((s) => s.start_time)).toContain('2027-03-05T11:00:00Z');
    });

    it('a request type answers "Request sent" on the confirmation page', async () => {
      const res = await post(types.request, {
        start: '2027-03-05T14:00:00.000Z',
        tz: TZ,
        name: 'Form Request',
        email: 'form.request@example.com',
      }).expect(303);
      const page = await api()
        .get(res.headers.location as string)
        .expect(200);
      expect(page.text).toContain('<h1>Request sent</h1>');
      expect(page.text).not.toContain('Download .ics');
    });
  });
});
