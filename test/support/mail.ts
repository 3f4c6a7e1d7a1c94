import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface MimePart {
  headers: Record<string, string>;
  body: string;
  parts: MimePart[];
}

/** A received message, parsed just enough for tests: headers, decoded leaf parts. */
export interface ReceivedMail {
  raw: string;
  to: string;
  subject: string;
  messageId: string;
  text: string;
  html: string;
  /** Decoded iCalendar parts (text/calendar alternative and .ics attachment). */
  calendars: Array<{ contentType: string; filename: string | null; content: string }>;
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(
          data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

function decodeBody(body: string, encoding: string | undefined): string {
  const enc = (encoding ?? '7bit').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

export function parseMime(raw: string): MimePart {
  const split = raw.search(/\r?\n\r?\n/);
  const headerBlock = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = parseHeaders(headerBlock);
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (!boundary) return { headers, body: decodeBody(body, headers['content-transfer-encoding']), parts: [] };
  const chunks = body.split(`--${boundary}`).slice(1);
  const parts = chunks.filter((c) => !c.startsWith('--')).map((c) => parseMime(c.replace(/^\r?\n/, '')));
  return { headers, body: '', parts };
}

function leaves(part: MimePart): MimePart[] {
  return part.parts.length ? part.parts.flatMap(leaves) : [part];
}

export function readMail(raw: string): ReceivedMail {
  const root = parseMime(raw);
  const all = leaves(root);
  const type = (p: MimePart) => (p.headers['content-type'] ?? '').toLowerCase();
  return {
    raw,
    to: root.headers.to ?? '',
    subject: decodeWords(root.headers.subject ?? ''),
    messageId: root.headers['message-id'] ?? '',
    text: all.find((p) => type(p).startsWith('text/plain'))?.body ?? '',
    html: all.find((p) => type(p).startsWith('text/html'))?.body ?? '',
    calendars: all
      .filter((p) => type(p).startsWith('text/calendar') || type(p).startsWith('application/ics'))
      .map((p) => ({
        contentType: p.headers['content-type'],
        filename: /filename="?([^";]+)"?/i.exec(p.headers['content-disposition'] ?? '')?.[1] ?? null,
        content: p.body,
      })),
  };
}

/** iCalendar properties (unfolded), e.g. ics(c).get('METHOD') → ['REQUEST']. */
export function icsProps(content: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of content.replace(/\r?\n[ \t]/g, '').split(/\r?\n/)) {
    const m = /^([A-Z-]+)((?:;[^:]*)?):(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1] + (m[2] && ['DTSTART', 'DTEND'].includes(m[1]) ? m[2] : '');
    out.set(key, [...(out.get(key) ?? []), m[3]]);
  }
  return out;
}

/** An in-process SMTP server (no TLS, no auth) that records messages and can be told to refuse them. */
export class TestSmtpServer {
  readonly mails: ReceivedMail[] = [];
  refuse = false;
  refused = 0;
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, _session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (this.refuse) {
          this.refused++;
          const error = Object.assign(new Error('mailbox temporarily unavailable'), { responseCode: 451 });
          callback(error);
          return;
        }
        this.mails.push(readMail(Buffer.concat(chunks).toString('utf8')));
        callback();
      });
    },
  });
  port = 0;

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url() {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string) {
    return this.mails.filter((m) => m.to.includes(address));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local HTTP endpoint that records requests and answers with the next queued status (default 200). */
export class TestWebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  readonly statuses: number[] = [];
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = this.statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  port = 0;

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url() {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
