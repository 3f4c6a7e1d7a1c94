import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ApprovalLinks } from '../src/modules/booking/application/approval-links.js';
import { documentScreenshot, launchBrowser, seriousViolations } from './support/browser.js';
import { createHost, HOST_PASSWORD, markEmailVerified, type TestHost } from './support/factories.js';
import { freePort } from './support/free-port.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC (London is on GMT until 28 March).
const NOW = '2027-03-01T12:00:00Z';
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/**
 * Every page template (views/*.hbs, views/admin/*.hbs) opened in Chromium at 1280 px and at 390 px: no serious or
 * critical axe-core violation, no sideways scrolling on a phone, and (with UPDATE_SCREENSHOTS=1) the README pictures
 * of the pages no other suite pictures. docs/pages.md lists which suite covers which page.
 */
describe('every page at 1280 px and 390 px: axe-core and no sideways scroll (headless Chromium)', () => {
  let t: TestApp;
  let base: string;
  let feed: http.Server;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let admin: BrowserContext;
  let adminPage: Page;
  let visitor: BrowserContext;
  let visitorPage: Page;
  let ada: TestHost;
  const paths: Record<string, string> = {};

  beforeAll(async () => {
    // An empty calendar feed on loopback, so the calendar's settings page has a connection to show.
    feed = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8' });
      res.end('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kairos tests//EN\r\nEND:VCALENDAR\r\n');
    });
    await new Promise<void>((r) => feed.listen(0, '127.0.0.1', r));
    const feedPort = (feed.address() as AddressInfo).port;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await startTestApp({
      now: NOW,
      env: { PUBLIC_URL: base, CALENDAR_PRIVATE_URL_ALLOWLIST: `127.0.0.1:${feedPort}`, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
    });
    await t.app.listen(port, '127.0.0.1');

    ada = await createHost(t, { name: 'Ada Lovelace', username: 'ada', email: 'ada@example.com', time_zone: 'Europe/London' });
    const grace = await createHost(t, { name: 'Grace Hopper', username: 'grace', email: 'grace@example.com' });
    await markEmailVerified(t, ada);
    await setWeeklyHours(t, ada, 'Europe/London');
    const intro = await createMeetingType(t, ada, { name: 'Intro call', duration_minutes: 30 });
    const review = await createMeetingType(t, ada, { name: 'Portfolio review', duration_minutes: 60, requires_confirmation: true });
    const book = async (typeId: string, start: string, n: string) =>
      (
        await t
          .http()
          .post('/api/bookings')
          .send({ meeting_type_id: typeId, start_time: start, ...invitee(n, { invitee_name: 'Grace Hopper' }) })
          .expect(201)
      ).body as { id: string; management_token: string };
    const booked = await book(intro.id, '2027-03-02T10:00:00Z', 'g1');
    await book(intro.id, '2027-03-03T14:00:00Z', 'g2');
    const request = await book(review.id, '2027-03-04T10:00:00Z', 'g3');
    const approval = t.app.get(ApprovalLinks).url({
      bookingId: request.id,
      action: 'confirm',
      hostId: ada.id,
      expiresAt: new Date('2027-03-01T14:00:00Z'),
    });
    const integration = await t
      .http()
      .post('/api/integrations/ics')
      .set(ada.auth)
      .send({ url: `http://127.0.0.1:${feedPort}/team.ics` })
      .expect(201);
    await t.http().post('/api/api-keys').set(ada.auth).send({ name: 'CRM sync' }).expect(201);
    await t
      .http()
      .post('/api/webhooks')
      .set(ada.auth)
      .send({ url: `http://127.0.0.1:${feedPort}/hook`, events: ['invitee.created'] })
      .expect(201);
    const team = await t.http().post('/api/teams').set(grace.auth).send({ name: 'Research' }).expect(201);
    const invitation = await t.http().post(`/api/teams/${team.body.id}/invitations`).set(grace.auth).send({ email: ada.email }).expect(201);
    const token = encodeURIComponent(booked.management_token);

    Object.assign(paths, {
      approval: new URL(approval).pathname + new URL(approval).search,
      manage: `/booking/${booked.id}?token=${token}`,
      cancel: `/booking/${booked.id}/cancel?token=${token}`,
      reschedule: `/booking/${booked.id}/reschedule?token=${token}&tz=Europe%2FLondon&date=2027-03-04`,
      calendar: `/admin/calendars/${integration.body.id}`,
      adminBooking: `/admin/bookings/${booked.id}`,
      adminReschedule: `/admin/bookings/${booked.id}/reschedule?date=2027-03-04`,
      typeEdit: `/admin/meeting-types/${intro.id}`,
      teamJoin: `/admin/teams/join?token=${encodeURIComponent(invitation.body.token as string)}`,
      bookForm: `/ada/${intro.slug}/book?start=2027-03-02T11:00:00Z&tz=Europe%2FLondon`,
      bookPage: `/ada/${intro.slug}?tz=Europe%2FLondon&date=2027-03-02`,
    });

    ({ browser, close: closeBrowser } = await launchBrowser());
    const options = { baseURL: base, timezoneId: 'Europe/London', locale: 'en-GB', bypassCSP: true, viewport: WIDE };
    admin = await browser.newContext(options);
    admin.setDefaultTimeout(20_000); // argon2 on a shared 2-core machine
    adminPage = await admin.newPage();
    await adminPage.goto('/admin/login');
    await adminPage.fill('#email', ada.email);
    await adminPage.fill('#password', HOST_PASSWORD);
    await adminPage.click('button[type=submit]');
    await adminPage.waitForURL(/\/admin(\/welcome\/hours)?$/);
    visitor = await browser.newContext(options);
    visitor.setDefaultTimeout(20_000);
    visitorPage = await visitor.newPage();
  });

  afterAll(async () => {
    await closeBrowser?.();
    await t?.close();
    if (feed) await new Promise<void>((r) => feed.close(() => r()));
  });

  /** Opens `path` at both widths: the expected status, the template's marker, axe clean, no sideways scroll. */
  async function check(p: Page, path: string, expected: { status: number; selector: string; screenshot?: string }) {
    for (const viewport of [WIDE, PHONE]) {
      await p.setViewportSize(viewport);
      const res = await p.goto(path);
      expect({ path, width: viewport.width, status: res?.status() }).toEqual({ path, width: viewport.width, status: expected.status });
      await p.locator(expected.selector).first().waitFor();
      // The deepest element that sticks out on the right, if any (null: no sideways scroll).
      const overflow = await p.evaluate(() => {
        if (document.documentElement.scrollWidth <= window.innerWidth) return null;
        const wide = Array.from(document.body.querySelectorAll('*')).filter(
          (e) => e.getBoundingClientRect().right > window.innerWidth + 0.5,
        );
        const e = wide[wide.length - 1];
        return e ? `${e.tagName.toLowerCase()}.${e.className} ${e.textContent?.trim().slice(0, 40)}` : 'body';
      });
      expect({ path, width: viewport.width, overflow }).toEqual({ path, width: viewport.width, overflow: null });
      expect({ path, width: viewport.width, violations: await seriousViolations(p) }).toEqual({
        path,
        width: viewport.width,
        violations: [],
      });
      if (viewport === WIDE && expected.screenshot) await documentScreenshot(p, expected.screenshot);
    }
    await p.setViewportSize(WIDE);
  }

  describe('invitee pages (no session)', () => {
    it('host page (host.hbs)', () => check(visitorPage, '/ada', { status: 200, selector: 'h1', screenshot: 'host-page' }));
    it('booking calendar (book.hbs)', () => check(visitorPage, paths.bookPage, { status: 200, selector: 'h1' }));
    it('booking form (book-form.hbs)', () => check(visitorPage, paths.bookForm, { status: 200, selector: 'form' }));
    it('manage a booking (manage.hbs)', () =>
      check(visitorPage, paths.manage, { status: 200, selector: 'h1', screenshot: 'booking-manage' }));
    it('cancel a booking (cancel.hbs)', () =>
      check(visitorPage, paths.cancel, { status: 200, selector: 'form', screenshot: 'booking-cancel' }));
    it('reschedule a booking (reschedule.hbs)', () =>
      check(visitorPage, paths.reschedule, { status: 200, selector: 'h1', screenshot: 'booking-reschedule' }));
    it("the host's one-click confirm link (approval.hbs)", () =>
      check(visitorPage, paths.approval, { status: 200, selector: 'form', screenshot: 'booking-approval' }));
    it('a page that does not exist (error.hbs)', () =>
      check(visitorPage, '/nobody-here', { status: 404, selector: 'h1', screenshot: 'error-not-found' }));
  });

  describe('account pages (no session)', () => {
    it('log in (admin/login.hbs)', () =>
      check(visitorPage, '/admin/login', { status: 200, selector: '#email', screenshot: 'admin-login' }));
    it('sign up (admin/signup.hbs)', () =>
      check(visitorPage, '/admin/signup', { status: 200, selector: '#email', screenshot: 'admin-signup' }));
    it('forgot password (admin/forgot-password.hbs)', () =>
      check(visitorPage, '/admin/forgot-password', { status: 200, selector: '#email', screenshot: 'admin-forgot-password' }));
    it('reset password with a stale link (admin/reset-password.hbs)', () =>
      check(visitorPage, '/admin/reset-password?token=prt_stale', { status: 400, selector: 'h1' }));
    it('verify email with a stale link (admin/verify-email.hbs)', () =>
      check(visitorPage, '/admin/verify-email?token=evt_stale', { status: 400, selector: 'h1' }));
  });

  describe('admin pages (signed in, email verified)', () => {
    it('dashboard (admin/dashboard.hbs)', () => check(adminPage, '/admin', { status: 200, selector: '#upcoming' }));
    it('all bookings (admin/bookings.hbs)', () => check(adminPage, '/admin/bookings?status=all', { status: 200, selector: 'h1' }));
    it("a booking's details (admin/booking.hbs)", () => check(adminPage, paths.adminBooking, { status: 200, selector: 'h1' }));
    it('the host reschedules (admin/booking-reschedule.hbs)', () =>
      check(adminPage, paths.adminReschedule, { status: 200, selector: 'h1', screenshot: 'admin-booking-reschedule' }));
    it('meeting types (admin/types.hbs)', () => check(adminPage, '/admin/meeting-types', { status: 200, selector: 'h1' }));
    it('new meeting type (admin/type-edit.hbs)', () => check(adminPage, '/admin/meeting-types/new', { status: 200, selector: '#name' }));
    it('edit a meeting type (admin/type-edit.hbs)', () => check(adminPage, paths.typeEdit, { status: 200, selector: '#name' }));
    it('availability (admin/availability.hbs)', () => check(adminPage, '/admin/availability', { status: 200, selector: 'h1' }));
    it('limits (admin/limits.hbs)', () => check(adminPage, '/admin/limits', { status: 200, selector: 'h1' }));
    it('time off (admin/time-off.hbs)', () => check(adminPage, '/admin/time-off', { status: 200, selector: 'h1' }));
    it('calendars (admin/calendars.hbs)', () => check(adminPage, '/admin/calendars', { status: 200, selector: 'h1' }));
    it("a calendar's settings (admin/calendar.hbs)", () => check(adminPage, paths.calendar, { status: 200, selector: '#health' }));
    it('webhooks (admin/webhooks.hbs)', () => check(adminPage, '/admin/webhooks', { status: 200, selector: 'h1' }));
    it('API keys (admin/api-keys.hbs)', () =>
      check(adminPage, '/admin/api-keys', { status: 200, selector: 'h1', screenshot: 'admin-api-keys' }));
    it('profile (admin/profile.hbs)', () => check(adminPage, '/admin/profile', { status: 200, selector: '#username' }));
    it('insights (admin/insights.hbs)', () => check(adminPage, '/admin/insights', { status: 200, selector: 'h1' }));
    it('welcome steps (admin/welcome-hours.hbs, welcome-calendar.hbs, welcome-share.hbs)', async () => {
      await check(adminPage, '/admin/welcome/hours', { status: 200, selector: 'h1' });
      await check(adminPage, '/admin/welcome/calendar', { status: 200, selector: 'h1' });
      await check(adminPage, '/admin/welcome/share', { status: 200, selector: 'h1' });
    });
    it('team invitation (admin/team-join.hbs)', () =>
      check(adminPage, paths.teamJoin, { status: 200, selector: '#join-team-name', screenshot: 'admin-team-join' }));
    it('teams (admin/teams.hbs)', () => check(adminPage, '/admin/teams', { status: 200, selector: 'h1', screenshot: 'admin-teams' }));
  });
});
