import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

const RADICALE = '/usr/bin/radicale';

export interface RecordedRequest {
  method: string;
  path: string;
  depth: string | undefined;
  body: string;
  /** Conditional-request headers (If-Match / If-None-Match) as sent. */
  ifMatch?: string;
  ifNoneMatch?: string;
}

export interface DavAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<DavAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { ...headers, ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * A real Radicale (Debian's package) on a free loopback port, with a temporary storage folder and a plain htpasswd
 * users file, behind a small recording proxy: the app talks to `url` (the proxy), so tests can see which requests
 * it made (e.g. that an unchanged ctag means no REPORT). Helpers act as another CalDAV client of the same account.
 */
export class RadicaleServer {
  readonly requests: RecordedRequest[] = [];
  private child: ChildProcess | null = null;
  private proxy: http.Server | null = null;
  private dir = '';
  private usersFile = '';
  private radicalePort = 0;
  proxyPort = 0;
  private output = '';

  constructor(private readonly users: Record<string, string>) {}

  /** What the app connects to (through the proxy). */
  get url() {
    return `http://127.0.0.1:${this.proxyPort}/`;
  }

  /** host:port for CALENDAR_PRIVATE_URL_ALLOWLIST. */
  get allowlistEntry() {
    return `127.0.0.1:${this.proxyPort}`;
  }

  async start(): Promise<this> {
    if (!existsSync(RADICALE)) {
      throw new Error(`${RADICALE} is missing: install Debian's radicale package (apt-get install -y radicale); .ci/run does`);
    }
    this.dir = mkdtempSync(join(tmpdir(), 'kairos-radicale-'));
    const usersFile = (this.usersFile = join(this.dir, 'users'));
    this.writeUsers();
    this.radicalePort = await freePort();
    this.child = spawn(
      RADICALE,
      [
        '--config',
        '', // ignore /etc/radicale/config (TLS, remote_user auth)
        '--server-hosts',
        `127.0.0.1:${this.radicalePort}`,
        '--auth-type',
        'htpasswd',
        '--auth-htpasswd-filename',
        usersFile,
        '--auth-htpasswd-encryption',
        'plain',
        '--auth-delay',
        '0',
        '--rights-type',
        'owner_only',
        '--storage-filesystem-folder',
        join(this.dir, 'collections'),
        '--logging-level',
        'warning',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child.stdout!.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    this.child.stderr!.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    for (let i = 0; ; i++) {
      if (this.child.exitCode !== null) throw new Error(`radicale exited (${this.child.exitCode}): ${this.output}`);
      const up = await send(this.radicalePort, 'OPTIONS', '/', {}).then(
        () => true,
        () => false,
      );
      if (up) break;
      if (i > 150) throw new Error(`radicale did not start: ${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    this.proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.requests.push({
          method: req.method ?? '',
          path: req.url ?? '',
          depth: req.headers.depth as string | undefined,
          body,
          ifMatch: req.headers['if-match'] as string | undefined,
          ifNoneMatch: req.headers['if-none-match'] as string | undefined,
        });
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => k !== 'content-length' && k !== 'transfer-encoding'),
        ) as Record<string, string>;
        send(this.radicalePort, req.method ?? 'GET', req.url ?? '/', headers, chunks.length ? body : undefined).then(
          (answer) => {
            const out = Object.fromEntries(
              Object.entries(answer.headers).filter(([k]) => k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection'),
            );
            res.writeHead(answer.status, out);
            res.end(answer.body);
          },
          () => {
            res.writeHead(502);
            res.end();
          },
        );
      });
    });
    await new Promise<void>((r) => this.proxy!.listen(0, '127.0.0.1', r));
    this.proxyPort = (this.proxy.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.proxy?.closeAllConnections?.();
    if (this.proxy) await new Promise<void>((r) => this.proxy!.close(() => r()));
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise<void>((r) => this.child!.once('exit', () => r()));
      this.child.kill('SIGTERM');
      await exited;
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** Changes a user's password on the server (Radicale reads the users file on every login). */
  setPassword(user: string, password: string) {
    this.users[user] = password;
    this.writeUsers();
  }

  private writeUsers() {
    writeFileSync(
      this.usersFile,
      Object.entries(this.users)
        .map(([u, p]) => `${u}:${p}`)
        .join('\n') + '\n',
    );
  }

  /** A request straight to Radicale as `user` (not recorded). */
  request(user: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<DavAnswer> {
    const auth = `Basic ${Buffer.from(`${user}:${this.users[user]}`).toString('base64')}`;
    return send(this.radicalePort, method, path, { Authorization: auth, ...headers }, body);
  }

  /** Creates /<user>/<name>/ as an event calendar; `timeZone` becomes its calendar-timezone (floating times). */
  async makeCalendar(user: string, name: string, displayName: string, timeZone?: string): Promise<string> {
    await this.request(user, 'PROPFIND', `/${user}/`, undefined, { Depth: '0' }); // Radicale creates the principal on first use
    const zone = timeZone
      ? `<C:calendar-timezone>BEGIN:VCALENDAR&#13;\nVERSION:2.0&#13;\nPRODID:-//test//EN&#13;\nBEGIN:VTIMEZONE&#13;\nTZID:${timeZone}&#13;\nEND:VTIMEZONE&#13;\nEND:VCALENDAR&#13;\n</C:calendar-timezone>`
      : '';
    const res = await this.request(
      user,
      'MKCALENDAR',
      `/${user}/${name}/`,
      `<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop>
    <D:displayname>${displayName}</D:displayname>
    <C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>
    ${zone}
  </D:prop></D:set>
</C:mkcalendar>`,
      { 'Content-Type': 'application/xml; charset=utf-8' },
    );
    if (res.status !== 201) throw new Error(`MKCALENDAR ${name} failed: ${res.status} ${res.body}`);
    return `${this.url}${user}/${name}/`;
  }

  /** PUTs one iCalendar object (VEVENT lines are wrapped in a VCALENDAR). */
  async putEvent(user: string, calendar: string, name: string, veventLines: string[]): Promise<void> {
    const body = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...veventLines, 'END:VCALENDAR', ''].join('\r\n');
    const res = await this.request(user, 'PUT', `/${user}/${calendar}/${name}.ics`, body, {
      'Content-Type': 'text/calendar; charset=utf-8',
    });
    if (res.status !== 201 && res.status !== 204) throw new Error(`PUT ${name} failed: ${res.status} ${res.body}`);
  }

  async deleteEvent(user: string, calendar: string, name: string): Promise<void> {
    const res = await this.request(user, 'DELETE', `/${user}/${calendar}/${name}.ics`);
    if (res.status !== 200 && res.status !== 204) throw new Error(`DELETE ${name} failed: ${res.status} ${res.body}`);
  }

  /** The objects of a calendar: name → iCalendar text. */
  async objects(user: string, calendar: string): Promise<Map<string, string>> {
    const res = await this.request(
      user,
      'REPORT',
      `/${user}/${calendar}/`,
      `<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"/></C:filter>
</C:calendar-query>`,
      { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' },
    );
    if (res.status !== 207) throw new Error(`REPORT failed: ${res.status} ${res.body}`);
    const out = new Map<string, string>();
    for (const m of res.body.matchAll(/<(?:\w+:)?response>([\s\S]*?)<\/(?:\w+:)?response>/g)) {
      const href = /<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/.exec(m[1])?.[1];
      const data = /<(?:\w+:)?calendar-data[^>]*>([\s\S]*?)<\/(?:\w+:)?calendar-data>/.exec(m[1])?.[1];
      if (!href || data === undefined) continue;
      const unescaped = data
        .replace(/&#13;/g, '\r')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&');
      out.set(decodeURIComponent(href.split('/').filter(Boolean).pop()!).replace(/\.ics$/, ''), unescaped);
    }
    return out;
  }
}
