import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { AppConfig } from '../src/config/app-config.js';
import { validateEnv } from '../src/config/env.validation.js';
import { IcsService } from '../src/modules/notify/application/ics.service.js';
import { sampleView } from '../src/modules/notify/domain/notify-fixtures.js';
import { settleDeliveries } from './support/deliveries.js';
import { PARSERS } from './support/ical-parsers.js';
import { TestSmtpServer, TestWebhookReceiver } from './support/mail.js';
import { createHost } from './support/factories.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { METRICS_AUTH } from './support/test-env.js';

// Monday 1 March 2027, 12:00 UTC. Hosts work 09:00-17:00 in New York.
const NOW = '2027-03-01T12:00:00Z';
const PUBLIC_URL = 'http://kairos.test';

/** Names every parser must read back: RFC 5545 param specials, a DQUOTE, emoji, non-Latin scripts. */
const NAMES = [
  'Ann "The Hammer" O\'Neil',
  'Smith; John',
  'Dr: Who',
  'Doe, Jane',
  'Zoë 🎉 Party',
  'Ζωή Παπαδοπούλου',
  '李小龍',
  'Back\\slash',
];
/** What a quoted param value carries of each name (DQUOTE becomes ', backslash /, and ; a comma: node-ical cuts there). */
const carried = (name: string) => name.replace(/"/g, "'").replace(/\\/g, '/').replace(/;/g, ',');

describe('iCalendar output read by four real parsers (ical.js, node-ical, python3-icalendar, python3-vobject)', () => {
  const config = new AppConfig(validateEnv({ NODE_ENV: 'test', PUBLIC_URL, APP_SECRET: 'x'.repeat(40) }));
  const ics = new IcsService(config);
  const base = sampleView();

  for (const [parser, parse] of Object.entries(PARSERS)) {
    it(`${parser}: every organizer and attendee name survives (", ;, :, ",", emoji, non-Latin), DTSTAMP is not the start`, () => {
      for (const name of NAMES) {
        const view = sampleView({
          hosts: [{ ...base.hosts[0], name }],
          invitees: [
            { ...base.invitees[0], name },
            { ...base.invitees[0], id: '55555555-5555-4555-8555-555555555555', name: 'Plain Person', email: 'plain@example.com' },
          ],
        });
        const stamp = new Date('2027-03-01T11:59:00Z');
        const text = ics.render(view, 'REQUEST', { stamp });
        expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
        const [event] = parse(text);
        expect({ name, organizer: event.organizer }).toEqual({ name, organizer: { cn: carried(name), email: 'hana@example.com' } });
        expect({ name, attendees: event.attendees }).toEqual({
          name,
          attendees: [
            { cn: carried(name), email: 'ivo@example.com' },
            { cn: 'Plain Person', email: 'plain@example.com' },
          ],
        });
        expect(event.summary).toBe(`Intro call with ${name}`);
        expect(event.dtstamp).toBe(stamp.toISOString());
      }
    });

    it(`${parser}: a CANCEL of a cancelled booking names its attendee`, () => {
      const view = sampleView({ status: 'cancelled', sequence: 2, invitees: [{ ...base.invitees[0], status: 'cancelled' }] });
      const [event] = parse(ics.render(view, 'CANCEL'));
      expect(event.status).toBe('CANCELLED');
      expect(event.attendees).toEqual([{ cn: 'Ivo Invitee', email: 'ivo@example.com' }]);
    });
  }
});

describe('mails read by mailparser, their invitations by four parsers, their links followed (e2e: PostgreSQL, SMTP)', () => {
  let smtp: TestSmtpServer;
  let receiver: TestWebhookReceiver;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    receiver = await new TestWebhookReceiver().start();
    t = await startTestApp({
      now: NOW,
      env: {
        SMTP_URL: smtp.url,
        OUTBOX_POLL_INTERVAL_MS: '0',
        NOTIFY_SWEEP_INTERVAL_MS: '0',
        PUBLIC_URL,
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await receiver?.close();
  });

  async function host(name: string) {
    const suffix = Math.random().toString(36).slice(2, 10);
    const email = `host-${suffix}@example.com`;
    const password = 'Quiet-Lantern-Orbit-4821';
    const created = await t
      .http()
      .post('/api/users')
      .send({ email, name, password, time_zone: 'America/New_York', username: `host${suffix}` })
      .expect(201);
    const login = await t.http().post('/api/auth/login').send({ email, password }).expect(200);
    const me = {
      id: created.body.id as string,
      email,
      username: `host${suffix}`,
      token: login.body.access_token as string,
      auth: { Authorization: `Bearer ${login.body.access_token}` },
    };
    await setWeeklyHours(t, me, 'America/New_York');
    // A web session for the host's admin links.
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/admin/login').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    await agent.post('/admin/login').type('form').send({ email, password, _csrf: csrf }).expect(303);
    return { ...me, agent };
  }

  const parsed = (raw: string) => simpleParser(raw, { skipImageLinks: true });
  const calendarsOf = (mail: ParsedMail) =>
    mail.attachments.filter((a) => /calendar|ics/i.test(a.contentType) || /\.ics$/i.test(a.filename ?? ''));

  it('each mail attaches one invitation with its method; DTSTAMP is when it was made; the cancellation names its attendee', async () => {
    const h = await host('Hana "Boss" Host');
    const type = await createMeetingType(t, h, { name: 'Intro: call, "quick"' });
    const booked = await t
      .http()
      .post('/api/bookings')
      .send({
        meeting_type_id: type.id,
        start_time: '2027-03-02T14:00:00Z',
        invitee_name: 'Ivo "Ivy" Ívarsson; 李',
        invitee_email: 'ivo@example.com',
        time_zone: 'Europe/London',
      })
      .expect(201);
    await settleDeliveries(t);
    await t
      .http()
      .delete(`/api/bookings/${booked.body.id}`)
      .query({ token: booked.body.management_token })
      .send({ reason: 'sorry' })
      .expect(200);
    await settleDeliveries(t);

    const mails = await Promise.all(smtp.mails.filter((m) => [h.email, 'ivo@example.com'].includes(m.to)).map((m) => parsed(m.raw)));
    expect(mails.map((m) => m.subject?.split(':')[0]).sort()).toEqual(['Cancelled', 'Cancelled', 'Confirmed', 'New booking']);
    for (const mail of mails) {
      const calendars = calendarsOf(mail);
      const method = mail.subject!.startsWith('Cancelled') ? 'CANCEL' : 'REQUEST';
      expect({ subject: mail.subject, count: calendars.length }).toEqual({ subject: mail.subject, count: 1 });
      expect(calendars[0].contentType).toBe('text/calendar');
      expect(calendars[0].headers.get('content-type')).toMatchObject({ params: expect.objectContaining({ method }) });
      const text = calendars[0].content.toString('utf8');
      expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
      for (const [parser, parse] of Object.entries(PARSERS)) {
        const [event] = parse(text);
        const where = { parser, subject: mail.subject };
        expect({ ...where, dtstamp: event.dtstamp }).toEqual({ ...where, dtstamp: expect.not.stringMatching(/^2027-03-02T14:00/) });
        expect({ ...where, organizer: event.organizer?.cn }).toEqual({ ...where, organizer: "Hana 'Boss' Host" });
        expect({ ...where, attendees: event.attendees }).toEqual({
          ...where,
          attendees: [{ cn: "Ivo 'Ivy' Ívarsson, 李", email: 'ivo@example.com' }],
        });
        expect({ ...where, status: event.status }).toEqual({ ...where, status: method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED' });
      }
    }
  });

  it('after a reschedule every link in every earlier mail leads to the booking as it is now (never a 404)', async () => {
    const h = await host('Link Host');
    const type = await createMeetingType(t, h, { name: 'Links' });
    const booked = await t
      .http()
      .post('/api/bookings')
      .send({
        meeting_type_id: type.id,
        start_time: '2027-03-03T14:00:00Z',
        invitee_name: 'Lia Links',
        invitee_email: 'lia@example.com',
        time_zone: 'Europe/London',
      })
      .expect(201);
    await settleDeliveries(t);
    const moved = await t
      .http()
      .put(`/api/bookings/${booked.body.id}/reschedule`)
      .query({ token: booked.body.management_token })
      .send({ start_time: '2027-03-04T15:00:00Z' })
      .expect(200);
    const newId = moved.body.id as string;
    expect(newId).not.toBe(booked.body.id);
    await settleDeliveries(t);
    const moved2 = await t
      .http()
      .put(`/api/bookings/${newId}/reschedule`)
      .query({ token: booked.body.management_token })
      .send({ start_time: '2027-03-05T15:00:00Z' })
      .expect(200);
    const currentId = moved2.body.id as string;
    await settleDeliveries(t);

    const mails = await Promise.all(smtp.mails.filter((m) => [h.email, 'lia@example.com'].includes(m.to)).map((m) => parsed(m.raw)));
    expect(mails).toHaveLength(6); // confirmation + two updates, to each side
    const links = new Map<string, 'host' | 'invitee'>();
    for (const mail of mails) {
      const side = mail.to && 'text' in mail.to && mail.to.text.includes(h.email) ? 'host' : 'invitee';
      const hrefs = [...String(mail.html).matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
      const inText = [...(mail.text ?? '').matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
      const inIcs = calendarsOf(mail).flatMap((c) =>
        [
          ...c.content
            .toString('utf8')
            .replace(/\r\n[ \t]/g, '')
            .matchAll(/^URL(?:;[^:]*)?:(.+)$/gm),
        ].map((m) => m[1]),
      );
      expect(inIcs).toHaveLength(1);
      for (const href of [...hrefs, ...inText, ...inIcs]) if (href.startsWith(PUBLIC_URL)) links.set(href, side);
    }
    // Host: "Manage this booking" and the invitation URL; invitee: manage, cancel, reschedule and the invitation URL.
    expect([...links.values()].filter((s) => s === 'host').length).toBeGreaterThanOrEqual(3);
    expect([...links.keys()].some((l) => l.includes(booked.body.id))).toBe(true);

    for (const [link, side] of links) {
      let path = link.slice(PUBLIC_URL.length);
      let res: request.Response | undefined;
      for (let hop = 0; hop < 5; hop++) {
        res = side === 'host' ? await h.agent.get(path) : await t.http().get(path);
        if (res.status < 300 || res.status >= 400) break;
        path = res.headers.location!.replace(PUBLIC_URL, '');
      }
      expect({ link, status: res!.status }).toEqual({ link, status: 200 });
      if (side === 'invitee') {
        // The booking as it is now: its page, with its current time.
        expect({ link, path: path.split('?')[0] }).toEqual({ link, path: expect.stringContaining(currentId) });
        expect(res!.text).not.toContain('This meeting is cancelled');
      } else {
        expect({ link, path }).toEqual({ link, path: `/admin/bookings/${currentId}` }); // the booking's details
        expect(res!.text).toContain(`id="booking-${currentId}"`);
        // Signed out, the host's link asks them to sign in first (not a 404).
        const anonymous = await t.http().get(link.slice(PUBLIC_URL.length));
        expect({ link, status: anonymous.status, location: anonymous.headers.location }).toEqual({
          link,
          status: expect.any(Number),
          location: expect.stringMatching(/^\/admin\/login/),
        });
      }
    }

    // The host's .ics for a superseded booking id announces the meeting as it is now, not its old time as confirmed.
    for (const id of [booked.body.id, newId]) {
      const old = await t.http().get(`/api/bookings/${id}/ics`).set(h.auth).expect(200);
      for (const [parser, parse] of Object.entries(PARSERS)) {
        const [event] = parse(old.text);
        expect({ parser, id, status: event.status, sequence: event.sequence }).toEqual({ parser, id, status: 'CONFIRMED', sequence: 2 });
      }
      expect(old.text).toContain('DTSTART;TZID=America/New_York:20270305T100000');
    }
  });

  it('webhook deliveries verify with the official standardwebhooks package', async () => {
    const h = await host('Hook Host');
    const type = await createMeetingType(t, h, { name: 'Hooks' });
    const created = await t
      .http()
      .post('/api/webhooks')
      .set(h.auth)
      .send({ url: receiver.url, events: ['invitee.created', 'invitee.canceled'] })
      .expect(201);
    const booked = await t
      .http()
      .post('/api/bookings')
      .send({
        meeting_type_id: type.id,
        start_time: '2027-03-08T15:00:00Z',
        invitee_name: 'Zoë "Z" 李',
        invitee_email: 'zoe@example.com',
        time_zone: 'Europe/London',
      })
      .expect(201);
    await settleDeliveries(t);
    await t.http().delete(`/api/bookings/${booked.body.id}`).set(h.auth).send({ reason: 'no "reason"' }).expect(200);
    await settleDeliveries(t);
    expect(receiver.requests).toHaveLength(2);
    const verifier = new Webhook(created.body.secret);
    for (const { headers, body } of receiver.requests) {
      // The app's clock is pinned in 2027: the verifier's 5-minute tolerance is checked against the signed time.
      const realNow = Date.now;
      Date.now = () => Number(headers['webhook-timestamp']) * 1000;
      try {
        expect(verifier.verify(body, headers as Record<string, string>)).toEqual(JSON.parse(body));
        expect(() => verifier.verify(body.replace('Zo', 'Jo'), headers as Record<string, string>)).toThrow();
      } finally {
        Date.now = realNow;
      }
    }
  });
});

describe('Prometheus exposition (e2e)', () => {
  let t: TestApp;
  let feed: Server;
  let feedUrl: string;
  beforeAll(async () => {
    // A one-event ICS feed, so a calendar sync (and its timing) happens against something local.
    feed = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/calendar' });
      res.end(
        ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', 'UID:busy@test', 'DTSTART:20270302T140000Z']
          .concat(['DTEND:20270302T150000Z', 'END:VEVENT', 'END:VCALENDAR'])
          .join('\r\n'),
      );
    });
    await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
    const { port } = feed.address() as AddressInfo;
    feedUrl = `http://127.0.0.1:${port}/feed.ics`;
    t = await startTestApp({ now: NOW, env: { CALENDAR_PRIVATE_URL_ALLOWLIST: `127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => feed?.close(resolve));
  });

  /** The exposition's sample lines of one metric, as `name{labels} value` strings. */
  const samples = (text: string, name: string) =>
    text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));

  it('`promtool check metrics` finds nothing to lint in a real /metrics (no gauge ends in _total), calendar latency included', async () => {
    await t.http().get('/health/live');
    const res = await t.http().get('/metrics').set(METRICS_AUTH).expect(200);
    const lint = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: res.text, encoding: 'utf8' });
    expect({ status: lint.status, problems: `${lint.stdout}${lint.stderr}`.trim() }).toEqual({ status: 0, problems: '' });
    const gauges = [...res.text.matchAll(/^# TYPE (\S+) gauge$/gm)].map((m) => m[1]);
    expect(gauges.filter((g) => g.endsWith('_total'))).toEqual([]);
    expect(res.text).toMatch(/^# TYPE kairos_calendar_api_duration_seconds histogram$/m);

    // Every metric the shipped Grafana dashboard queries exists under that name (none renamed away).
    const dashboard = readFileSync(join(process.cwd(), 'deploy/grafana-dashboard.json'), 'utf8');
    const used = new Set([...dashboard.matchAll(/\b(kairos_[a-z0-9_]+)/g)].map((m) => m[1].replace(/_(bucket|count|sum)$/, '')));
    const exposed = new Set([...res.text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    expect([...used].filter((name) => !exposed.has(name))).toEqual([]);
  });

  it('the spec metrics appear after a slots request, bookings (one 409 per cause), a calendar sync and a delivery', async () => {
    const h = await createHost(t, { time_zone: 'America/New_York' });
    await setWeeklyHours(t, h, 'America/New_York');
    const type = await createMeetingType(t, h, { name: 'Metrics' });
    await t.http().get('/api/availability/slots').query({ meeting_type_id: type.id, date: '2027-03-03', timezone: 'UTC' }).expect(200);
    const book = (start: string, n: number) =>
      t
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: type.id, start_time: start, ...invitee(n) });
    const booked = await book('2027-03-03T15:00:00Z', 1).expect(201);
    await book('2027-03-03T15:00:00Z', 2).expect(409); // taken: the re-check refuses
    await t.http().post('/api/slots/holds').send({ meeting_type_id: type.id, start_time: '2027-03-03T16:00:00Z' }).expect(201);
    await book('2027-03-03T16:00:00Z', 3).expect(409); // free but for another invitee's hold
    await t.http().delete(`/api/bookings/${booked.body.id}`).set(h.auth).send({ reason: 'metrics' }).expect(200);
    await t.http().post('/api/integrations/ics').set(h.auth).send({ url: feedUrl }).expect(201);
    await settleDeliveries(t);

    const res = await t.http().get('/metrics').set(METRICS_AUTH).expect(200);
    const lint = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: res.text, encoding: 'utf8' });
    expect({ status: lint.status, problems: `${lint.stdout}${lint.stderr}`.trim() }).toEqual({ status: 0, problems: '' });
    expect(res.text).toMatch(/^# TYPE kairos_booking_duration_seconds histogram$/m);
    expect(samples(res.text, 'kairos_booking_duration_seconds_count')).toEqual(
      expect.arrayContaining([
        'kairos_booking_duration_seconds_count{operation="create",result="ok"} 1',
        'kairos_booking_duration_seconds_count{operation="create",result="conflict"} 2',
        'kairos_booking_duration_seconds_count{operation="cancel",result="ok"} 1',
        'kairos_booking_duration_seconds_count{operation="hold",result="ok"} 1',
      ]),
    );
    expect(samples(res.text, 'kairos_booking_conflicts_total').sort()).toEqual([
      'kairos_booking_conflicts_total{operation="create",cause="hold_conflict"} 1',
      'kairos_booking_conflicts_total{operation="create",cause="slot_taken"} 1',
    ]);
    expect(samples(res.text, 'kairos_slot_cache_requests_total').join('\n')).toMatch(/result="miss"} [1-9]/);
    expect(samples(res.text, 'kairos_calendar_api_duration_seconds_count')).toEqual(
      expect.arrayContaining(['kairos_calendar_api_duration_seconds_count{provider="ics",operation="read"} 1']),
    );
    // The test app runs with Redis: BullMQ's counts for the delivery queue, every state present (reminders and
    // retries due later wait as delayed jobs; nothing waits or runs once deliveries are settled).
    expect(samples(res.text, 'kairos_queue_jobs').sort()).toEqual([
      'kairos_queue_jobs{queue="notify-deliveries",state="active"} 0',
      expect.stringMatching(/^kairos_queue_jobs\{queue="notify-deliveries",state="delayed"\} \d+$/),
      'kairos_queue_jobs{queue="notify-deliveries",state="waiting"} 0',
    ]);

    // The shipped alert rules are valid and query only metrics that exist.
    const rules = spawnSync('/usr/bin/promtool', ['check', 'rules', 'deploy/alerts.yml'], { encoding: 'utf8' });
    expect({ status: rules.status, output: `${rules.stdout}${rules.stderr}` }).toMatchObject({
      status: 0,
      output: expect.stringContaining('SUCCESS'),
    });
    const alerts = readFileSync(join(process.cwd(), 'deploy/alerts.yml'), 'utf8');
    const queried = new Set([...alerts.matchAll(/\b(kairos_[a-z0-9_]+)/g)].map((m) => m[1].replace(/_(bucket|count|sum)$/, '')));
    const exposed = new Set([...res.text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    expect([...queried].filter((name) => !exposed.has(name))).toEqual([]);
  });
});
