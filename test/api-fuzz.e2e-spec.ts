import fc from 'fast-check';
import { createHost, type TestHost } from './support/factories.js';
import { createMeetingType, createTeam, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Property-based fuzzing of every operation in /api/openapi.json: for each one, fast-check builds path, query and
 * body values from its schemas (plausible values, and hostile ones: NUL, control characters, lone surrogates, huge
 * numbers, year-9999 dates, wrong types, long strings, emoji, `__proto__`), calls it anonymously and as a real host,
 * and checks the contract: never a 5xx, and every 4xx carries {status_code, error, message}.
 * FUZZ_SEED and FUZZ_RUNS explore further (the defaults keep CI deterministic and about a minute long).
 */
type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  allOf?: Schema[];
  oneOf?: Schema[];
  nullable?: boolean;
  additionalProperties?: boolean | Schema;
};
type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  security?: unknown[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};
type Doc = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

const SEED = Number(process.env.FUZZ_SEED ?? 20_271_201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);

/** Values that broke (or could break) a layer somewhere: each is tried in every position. */
const HOSTILE: unknown[] = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00',
  '\r\nX-Injected: 1',
  '\u0007\u001b[31m',
  '\u202eevil',
  '',
  ' ',
  '😀🎉',
  'x'.repeat(5000),
  '__proto__',
  'constructor',
  '9999-12-31',
  '9999-12-31T00:00:00Z',
  '0000-01-01',
  '+275760-09-13T00:00:00Z',
  '2027-02-30',
  '1e309',
  '-1',
  'NaN',
  '../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  'america/new_york',
  'Not/A_Zone',
  'javascript:alert(1)',
  'http://127.0.0.1:9/x',
  0,
  -1,
  1e308,
  -1e308,
  2 ** 63,
  Number.MAX_SAFE_INTEGER + 2,
  0.5,
  true,
  false,
  null,
  [],
  {},
  [null],
  JSON.parse('{"__proto__": {"polluted": true}}'),
];

describe('API fuzz: never a 5xx, always the error body (e2e)', () => {
  let t: TestApp;
  let host: TestHost;
  let doc: Doc;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({
      now: '2027-03-01T12:00:00Z',
      env: {
        OUTBOX_POLL_INTERVAL_MS: '0',
        NOTIFY_SWEEP_INTERVAL_MS: '0',
        CALENDAR_POLL_INTERVAL_SECONDS: '0',
        // Nothing the fuzzer sends may reach a real provider: every provider endpoint is a closed local port.
        GOOGLE_CLIENT_ID: 'fuzz',
        GOOGLE_CLIENT_SECRET: 'fuzz',
        MICROSOFT_CLIENT_ID: 'fuzz',
        MICROSOFT_CLIENT_SECRET: 'fuzz',
        GOOGLE_TOKEN_URL: 'http://127.0.0.1:9/token',
        GOOGLE_API_URL: 'http://127.0.0.1:9/api',
        MICROSOFT_TOKEN_URL: 'http://127.0.0.1:9/token',
        MICROSOFT_API_URL: 'http://127.0.0.1:9/api',
      },
    });
    host = await createHost(t);
    const member = await createHost(t);
    await setWeeklyHours(t, host, 'Europe/London');
    const type = await createMeetingType(t, host, {
      slug: 'fuzz',
      questions: [
        { id: 'topic', label: 'Topic', type: 'text' },
        { id: 'size', label: 'Size', type: 'single_choice', options: ['S', 'M'] },
      ],
    });
    const booking = await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: type.id, start_time: '2027-03-02T10:00:00Z', ...invitee('fuzz') })
      .expect(201);
    const team = await createTeam(t, host, [member]);
    const key = await t.http().post('/api/api-keys').set(host.auth).send({ name: 'fuzz' }).expect(201);
    const schedules = await t.http().get('/api/schedules').set(host.auth).expect(200);
    const list = Array.isArray(schedules.body) ? schedules.body : (schedules.body.items ?? schedules.body.schedules ?? []);
    Object.assign(ids, {
      meetingType: type.id,
      booking: booking.body.id,
      token: booking.body.management_token,
      team: team.id,
      apiKey: key.body.id,
      schedule: list[0]?.id ?? type.id,
      user: host.id,
      username: host.username,
      slug: type.slug,
    });
    doc = (await t.http().get('/api/openapi.json').expect(200)).body as Doc;
  });
  afterAll(() => t?.close());

  function resolve(schema: Schema | undefined): Schema {
    let s = schema ?? {};
    for (let i = 0; i < 10 && s.$ref; i++) s = doc.components?.schemas?.[s.$ref.split('/').pop()!] ?? {};
    if (s.allOf?.length) s = { ...resolve(s.allOf[0]), ...s, allOf: undefined };
    return s;
  }

  /** A real id of the host's for a parameter or field name, so authenticated calls get past the ownership checks. */
  function knownValue(name: string): string[] {
    const byName: Record<string, string[]> = {
      meeting_type_id: [ids.meetingType],
      meetingTypeId: [ids.meetingType],
      booking_id: [ids.booking],
      bookingId: [ids.booking],
      team_id: [ids.team],
      schedule_id: [ids.schedule],
      token: [ids.token],
      username: [ids.username],
      slug: [ids.slug],
      id: [ids.meetingType, ids.booking, ids.team, ids.apiKey, ids.schedule, ids.user],
      userId: [ids.user],
      provider: ['google', 'microsoft', 'caldav', 'ics'],
      date: ['2027-03-02'],
      end_date: ['2027-03-05'],
      timezone: ['Europe/London', 'Asia/Kolkata'],
      time_zone: ['Europe/London'],
      start_time: ['2027-03-02T11:00:00Z'],
      email: ['grace@example.com'],
      invitee_email: ['grace@example.com'],
      url: ['http://127.0.0.1:9/feed.ics'],
      server_url: ['http://127.0.0.1:9/dav'],
      host_ids: [ids.user],
    };
    return byName[name] ?? [];
  }

  /** A value the schema accepts (as far as the schema can say), preferring the host's real ids and the examples. */
  function plausible(schema: Schema, name: string, depth: number): fc.Arbitrary<unknown> {
    const s = resolve(schema);
    const known = knownValue(name);
    const fresh = FRESH[name];
    if (known.length)
      return fresh
        ? fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...known) }, { weight: 3, arbitrary: fresh })
        : fc.constantFrom(...known);
    if (s.enum?.length) return fc.constantFrom(...s.enum);
    const options: fc.Arbitrary<unknown>[] = [];
    if (s.example !== undefined) options.push(fc.constant(s.example));
    switch (s.type) {
      case 'integer':
      case 'number': {
        const min = Math.max(s.minimum ?? 0, -2_147_483_648);
        const max = Math.min(s.maximum ?? 1000, 2_147_483_647);
        options.push(fc.integer({ min, max }));
        break;
      }
      case 'boolean':
        options.push(fc.boolean());
        break;
      case 'array':
        options.push(fc.array(plausible(s.items ?? {}, name, depth + 1), { maxLength: depth > 2 ? 0 : 2 }));
        break;
      case 'object':
        options.push(depth > 3 ? fc.constant({}) : plausibleObject(s, depth + 1));
        break;
      default:
        if (s.format === 'uuid') options.push(fc.uuid());
        else if (s.format === 'date-time') {
          options.push(
            fc.date({ min: new Date('2026-01-01'), max: new Date('2028-12-31'), noInvalidDate: true }).map((d) => d.toISOString()),
          );
        } else options.push(fc.stringMatching(/^[A-Za-z][A-Za-z0-9 -]{7,20}$/));
    }
    return fc.oneof(...options);
  }

  function plausibleObject(schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const s = resolve(schema);
    const props = s.properties ?? {};
    const model = Object.fromEntries(Object.entries(props).map(([k, p]) => [k, plausible(p, k, depth)]));
    const required = (s.required ?? []).filter((k) => k in props);
    const onlyRequired = Object.fromEntries(required.map((k) => [k, model[k]!]));
    // The required fields alone succeed most often; optional fields each come in at random otherwise.
    return fc.oneof(fc.record(onlyRequired), fc.record(model, { requiredKeys: required }));
  }

  /** Anything at all: the hostile list, any code points (controls and lone surrogates included), other types. */
  const hostile: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
    // Text PostgreSQL cannot store, in otherwise valid-looking values: the most common source of 500s.
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.stringMatching(/^[a-z0-9-]{0,8}$/), fc.constantFrom('\u0000', '\ud800', '\udfff'))
        .map(([w, bad]) => `${w}${bad}`),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.double(),
        fc.bigInt().map(String),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      ),
    },
  );
  /** Unused values for fields that must be unique or new (so sign-ups and bookings succeed too, reaching deeper). */
  const word = fc.stringMatching(/^[a-z][a-z0-9]{3,10}$/);
  const FRESH: Record<string, fc.Arbitrary<unknown>> = {
    username: word,
    slug: word,
    email: word.map((w) => `${w}@example.com`),
    invitee_email: word.map((w) => `${w}@example.com`),
    start_time: fc
      .integer({ min: 0, max: 200 })
      .map((i) => new Date(Date.UTC(2027, 2, 2 + Math.floor(i / 16), 9 + (i % 16) / 2)).toISOString()),
  };
  const STRAY_KEYS = ['__proto__', 'constructor', 'extra', 'a\u0000b', 'toString', '\ud800'];

  /**
   * Replaces one leaf of a plausible value with a hostile one (or adds a stray key), so the hostile value arrives
   * beside otherwise valid fields and reaches the code behind validation, not just the validator.
   */
  function mutate(value: unknown, rnd: () => number, bad: unknown): unknown {
    if (Array.isArray(value) && value.length && rnd() < 0.7) {
      const i = Math.floor(rnd() * value.length);
      return value.map((v, j) => (j === i ? mutate(v, rnd, bad) : v));
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      if (!keys.length || rnd() < 0.1) {
        const stray = STRAY_KEYS[Math.floor(rnd() * STRAY_KEYS.length)]!;
        Object.defineProperty(copy, stray, { value: bad, enumerable: true, configurable: true, writable: true });
        return copy;
      }
      const k = keys[Math.floor(rnd() * keys.length)]!;
      copy[k] = rnd() < 0.6 ? mutate(copy[k], rnd, bad) : bad;
      return copy;
    }
    return bad;
  }

  /** Plausible (2 in 5), one hostile leaf (2 in 5), or a hostile value in place of the whole thing (1 in 5). */
  function fuzzed(base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
    return fc.oneof(
      { weight: 2, arbitrary: base },
      { weight: 2, arbitrary: fc.tuple(base, hostile, fc.integer()).map(([v, bad, seed]) => mutate(v, lcg(seed), bad)) },
      { weight: 1, arbitrary: hostile },
    );
  }

  /** A small deterministic generator from a fast-check integer (keeps shrinking and replay reproducible). */
  function lcg(seed: number): () => number {
    let x = seed >>> 0 || 1;
    return () => (x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
  }

  type Call = { path: Record<string, unknown>; query: Record<string, unknown>; body: unknown };

  function inputFor(op: Operation, path: string): fc.Arbitrary<Call> {
    const params = op.parameters ?? [];
    const pathNames = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const pathArb = fc.record(
      Object.fromEntries(
        pathNames.map((n) => {
          const p = params.find((x) => x.in === 'path' && x.name === n);
          return [
            n,
            fc.oneof({ weight: 3, arbitrary: plausible(p?.schema ?? { type: 'string' }, n, 0) }, { weight: 1, arbitrary: hostile }),
          ];
        }),
      ),
    );
    const queryParams = params.filter((p) => p.in === 'query');
    const queryArb = fuzzed(
      fc.record(Object.fromEntries(queryParams.map((p) => [p.name, plausible(p.schema ?? { type: 'string' }, p.name, 0)])), {
        requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name),
      }),
    ).map((q) => (q && typeof q === 'object' && !Array.isArray(q) ? (q as Record<string, unknown>) : { [queryParams[0]?.name ?? 'q']: q }));
    const bodySchema = op.requestBody?.content?.['application/json']?.schema;
    const bodyArb: fc.Arbitrary<unknown> = bodySchema ? fuzzed(plausibleObject(bodySchema, 0)) : fc.option(hostile, { nil: undefined });
    return fc.record({ path: pathArb, query: queryArb, body: bodyArb });
  }

  /** encodeURIComponent, except that a lone surrogate is sent as the bytes a hostile client would use (CESU-8). */
  const encodePathSegment = (v: string) =>
    v.replace(/[\s\S]/gu, (ch) => {
      try {
        return encodeURIComponent(ch);
      } catch {
        const c = ch.charCodeAt(0);
        return `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 63)).toString(16)}%${(0x80 | (c & 63)).toString(16)}`.toUpperCase();
      }
    });
  const asText = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));

  async function send(method: string, pathTemplate: string, input: Call, auth: boolean) {
    const path = pathTemplate.replace(/\{(\w+)\}/g, (_m, n: string) => encodePathSegment(asText(input.path[n])) || 'x');
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(input.query)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) v.forEach((x) => q.append(k, asText(x)));
      else q.append(k, asText(v));
    }
    const url = q.size ? `${path}?${q.toString()}` : path;
    let req = t.http()[method as 'get' | 'post' | 'put' | 'patch' | 'delete'](url);
    if (auth) req = req.set(host.auth);
    if (method !== 'get' && input.body !== undefined) {
      // Raw JSON text, so lone surrogates and `__proto__` keys reach the server exactly as a hostile client sends them.
      req = req.set('Content-Type', 'application/json').send(JSON.stringify(input.body) ?? 'null');
    }
    return req;
  }

  function check(res: { status: number; body: unknown; text?: string }, what: string) {
    if (res.status >= 500) throw new Error(`${what} -> ${res.status} ${res.text?.slice(0, 300)}`);
    if (res.status >= 400) {
      const b = res.body as Record<string, unknown>;
      const ok = b && b.status_code === res.status && typeof b.error === 'string' && typeof b.message === 'string';
      if (!ok) throw new Error(`${what} -> ${res.status} without the error body: ${res.text?.slice(0, 300)}`);
    }
  }

  /** Operations whose success would end the run: the host's own account deletion. */
  const SKIP_AUTHENTICATED = new Set(['DELETE /api/users/me']);

  it('every operation, anonymous and authenticated', async () => {
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method, path, op })),
    );
    expect(ops.length).toBeGreaterThan(40);
    const failures: string[] = [];
    const succeeded = new Set<string>(); // operations some generated input got a 2xx from: the inputs reach the handlers
    for (const { method, path, op } of ops) {
      for (const auth of [false, true]) {
        const key = `${method.toUpperCase()} ${path}`;
        if (auth && SKIP_AUTHENTICATED.has(key)) continue;
        const out = await fc.check(
          fc.asyncProperty(inputFor(op, path), async (input) => {
            const res = await send(method, path, input, auth);
            if (res.status < 300) succeeded.add(key);
            check(res, `${key} ${auth ? '(host)' : '(anonymous)'}`);
          }),
          { numRuns: RUNS, seed: SEED, endOnFailure: true },
        );
        if (out.failed) {
          const why = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
          failures.push(`${why}\n  input: ${JSON.stringify(out.counterexample?.[0]).slice(0, 500)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(succeeded.size).toBeGreaterThan(ops.length / 3);
  }, 300_000);
});
