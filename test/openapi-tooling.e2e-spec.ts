import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

/**
 * A client generated from the OpenAPI document with openapi-typescript + openapi-fetch works unedited (issue 13): it
 * compiles under `tsc --strict` with a full flow written against it (nullable fields are `T | null`, not `object`),
 * and that flow then runs against the app. And `redocly lint` with the recommended rules finds no error.
 */
describe('OpenAPI tooling: redocly lint and a generated typed client', () => {
  let t: TestApp;
  let dir: string;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startTestApp({ now: '2027-03-01T12:00:00Z', env: { OUTBOX_POLL_INTERVAL_MS: '0', NOTIFY_SWEEP_INTERVAL_MS: '0' } });
    dir = mkdtempSync(join(tmpdir(), 'kairos-openapi-'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir'); // the flow imports openapi-fetch
    const doc = (await t.http().get('/api/openapi.json').expect(200)).body;
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc, null, 2));
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('redocly lint (recommended rules) reports no error', async () => {
    const { stdout } = await run(
      bin('redocly'),
      ['lint', join(dir, 'openapi.json'), '--config', join(ROOT, 'redocly.yaml'), '--format=json'],
      {
        cwd: ROOT,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' })); // exit 1 on errors: the report says which
    const report = JSON.parse(stdout) as {
      totals: { errors: number; warnings: number };
      problems: Array<{ severity: string; ruleId: string; message: string; location: Array<{ pointer: string }> }>;
    };
    const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 120_000);

  it('generates a client that compiles a full flow under tsc --strict, and the flow runs against the app', async () => {
    await run(bin('openapi-typescript'), [join(dir, 'openapi.json'), '-o', join(dir, 'schema.d.ts')], { cwd: ROOT });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: false,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022', 'DOM'],
          skipLibCheck: true,
          outDir: 'dist',
          types: ['node'],
        },
        files: ['flow.ts'],
      }),
    );
    writeFileSync(join(dir, 'flow.ts'), FLOW);
    const compiled = await run(bin('tsc'), ['-p', join(dir, 'tsconfig.json')], { cwd: dir }).catch((error: { stdout?: string }) => error);
    expect((compiled as { stdout?: string }).stdout ?? '').toBe('');

    const { stdout } = await run(process.execPath, [join(dir, 'dist', 'flow.js'), baseUrl], { cwd: dir });
    expect(JSON.parse(stdout.trim())).toEqual({
      booked: 'confirmed',
      cancelled: 'cancelled',
      reason: 'Something came up',
      window: null,
      rescheduledTo: null,
      slots: 16,
    });
  }, 240_000); // generating and type-checking take a while on a busy CI runner
});

/** Written only against the generated types: no casts, no `any`, every nullable field read as `T | null`. */
const FLOW = `
import createClient from 'openapi-fetch';
import type { components, paths } from './schema.js';

type Booking = components['schemas']['BookingDto'];

const client = createClient<paths>({ baseUrl: process.argv[2] ?? 'http://localhost:3000' });

function must<T>(result: { data?: T; error?: unknown; response: Response }, what: string): T {
  if (result.data === undefined) throw new Error(what + ' failed: ' + result.response.status + ' ' + JSON.stringify(result.error));
  return result.data;
}

async function main(): Promise<void> {
  const suffix = Math.random().toString(36).slice(2, 10);
  const email = 'client-' + suffix + '@example.com';
  const password = 'correct-horse-battery-client';
  const user = must(await client.POST('/api/users', {
    body: { email, name: 'Generated Client', password, time_zone: 'Europe/London', username: 'client-' + suffix },
  }), 'signup');
  const login = must(await client.POST('/api/auth/login', { body: { email, password } }), 'login');
  const headers = { Authorization: login.token_type + ' ' + login.access_token };
  const me = must(await client.GET('/api/users/me', { headers }), 'me');
  if (me.id !== user.id) throw new Error('me is not the user');

  must(await client.POST('/api/availability/rules', {
    headers,
    body: { time_zone: 'Europe/London', rules: [{ day_of_week: 2, start_time: '09:00', end_time: '17:00' }] },
  }), 'rules');
  const type = must(await client.POST('/api/meeting-types', {
    headers, body: { name: 'Intro call', duration_minutes: 30, booking_window_days: null, description: null },
  }), 'meeting type');
  const window: number | null = type.booking_window_days;

  const slots = must(await client.GET('/api/availability/slots', {
    params: { query: { meeting_type_id: type.id, date: '2027-03-02', timezone: 'Europe/London' } },
  }), 'slots');
  const first = slots.slots[0];
  if (!first) throw new Error('no slot');

  const booked: Booking = must(await client.POST('/api/bookings', {
    body: { meeting_type_id: type.id, start_time: first.start_time, invitee_name: 'Ada', invitee_email: 'ada-' + suffix + '@example.com', time_zone: 'Europe/London' },
  }), 'booking');
  const token: string | undefined = booked.management_token;
  if (!token) throw new Error('no management token');
  const cancelled = must(await client.DELETE('/api/bookings/{id}', {
    params: { path: { id: booked.id }, query: { token } }, body: { reason: 'Something came up' },
  }), 'cancel');
  const reason: string | null = cancelled.cancellation_reason;
  const rescheduledTo: string | null = cancelled.rescheduled_to_id;
  const ics = await client.GET('/api/bookings/{id}/ics', { params: { path: { id: booked.id }, query: { token } }, parseAs: 'text' });
  if (!ics.data?.startsWith('BEGIN:VCALENDAR')) throw new Error('no iCalendar file');

  console.log(JSON.stringify({ booked: booked.status, cancelled: cancelled.status, reason, window, rescheduledTo, slots: slots.slots.length }));
}

await main();
`;
