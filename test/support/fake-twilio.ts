import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The message resource Twilio answers with (the fields a client may read; prices and media left at their defaults). */
export interface TwilioMessage {
  sid: string;
  account_sid: string;
  api_version: '2010-04-01';
  to: string;
  from: string;
  body: string;
  status: 'queued';
  direction: 'outbound-api';
  num_segments: string;
  num_media: '0';
  error_code: null;
  error_message: null;
  price: null;
  price_unit: 'USD';
  messaging_service_sid: null;
  date_created: string;
  date_updated: string;
  date_sent: null;
  uri: string;
}

export interface TwilioRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  form: Record<string, string>;
  /** The HTTP status this request was answered with; 0 when the connection was dropped before answering. */
  status: number;
}

const E164 = /^\+[1-9][0-9]{6,14}$/;
const API = '/2010-04-01';
const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

/**
 * A local stand-in for the part of Twilio's Messages API that Kairos uses:
 * POST /2010-04-01/Accounts/{AccountSid}/Messages.json with form-encoded To/From/Body and HTTP Basic auth
 * (AccountSid:AuthToken). Answers like Twilio: 201 with the message resource, errors as {code, message, more_info,
 * status} (20003 wrong credentials, 21211 invalid To, 21602/21603/21604 missing Body/From/To, 21606 unknown From),
 * and honours I-Twilio-Idempotency-Token (the same token gets the first answer again, no second message).
 * Outages are simulated by queueing statuses in `failures`, lost answers with `loseAnswers`.
 */
export class FakeTwilio {
  /** Messages accepted, in order. */
  readonly messages: TwilioMessage[] = [];
  /** Every request received, with its answer's status. */
  readonly requests: TwilioRequest[] = [];
  /** Statuses (429, 500, 503) to answer the next requests with, one each, before anything else is looked at. */
  readonly failures: number[] = [];
  /** Accept the next N messages but drop the connection instead of answering (the answer is lost on the way back). */
  loseAnswers = 0;
  readonly accountSid: string;
  /** The account's current token; changing it makes a client still using the old one fail with 401. */
  authToken: string;
  readonly from: string;
  private readonly answered = new Map<string, { status: number; body: unknown }>();
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  port = 0;

  constructor(options: { accountSid?: string; authToken?: string; from?: string } = {}) {
    this.accountSid = options.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
    this.authToken = options.authToken ?? randomBytes(16).toString('hex');
    this.from = options.from ?? '+15005550006';
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** What SMS_URL is set to (the adapter appends /Accounts/{sid}/Messages.json). */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}${API}`;
  }

  to(number: string): TwilioMessage[] {
    return this.messages.filter((m) => m.to === number);
  }

  requestsTo(number: string): TwilioRequest[] {
    return this.requests.filter((r) => r.form.To === number);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const path = (req.url ?? '').split('?')[0];
    const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
      ? Object.fromEntries(new URLSearchParams(raw))
      : {};
    const record: TwilioRequest = { method: req.method ?? '', path, headers: req.headers, form, status: 0 };
    this.requests.push(record);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const refuse = (status: number, code: number, message: string, headers: Record<string, string> = {}) =>
      answer(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);

    const forced = this.failures.shift();
    if (forced !== undefined) {
      return forced === 429
        ? refuse(429, 20429, 'Too Many Requests', { 'retry-after': '1' })
        : refuse(forced, 20500, 'An internal server error has occurred');
    }
    const route = MESSAGES_PATH.exec(path);
    if (!route) return refuse(404, 20404, `The requested resource ${path} was not found`);
    if (req.method !== 'POST') return refuse(405, 20004, 'Method not allowed');
    if (!this.authenticates(req.headers.authorization, decodeURIComponent(route[1]))) {
      return refuse(401, 20003, 'Authenticate', { 'www-authenticate': 'Basic realm="Twilio API"' });
    }

    const token = req.headers['i-twilio-idempotency-token'];
    const key = typeof token === 'string' && token ? `${this.accountSid}:${token}` : null;
    const earlier = key ? this.answered.get(key) : undefined;
    if (earlier) return answer(earlier.status, earlier.body);

    const remember = (status: number, body: unknown) => {
      if (key) this.answered.set(key, { status, body });
      answer(status, body);
    };
    const error = (code: number, message: string) =>
      remember(400, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status: 400 });
    if (!form.To) return error(21604, "A 'To' phone number is required.");
    if (!form.From) return error(21603, "A 'From' phone number is required.");
    if (!form.Body) return error(21602, 'Message body is required.');
    if (!E164.test(form.To)) return error(21211, `The 'To' number ${form.To} is not a valid phone number.`);
    if (form.From !== this.from) {
      return error(
        21606,
        `The From phone number ${form.From} is not a valid, SMS-capable inbound phone number or short code for your account.`,
      );
    }

    const sid = `SM${randomBytes(16).toString('hex')}`;
    const now = new Date().toUTCString().replace('GMT', '+0000');
    const message: TwilioMessage = {
      sid,
      account_sid: this.accountSid,
      api_version: '2010-04-01',
      to: form.To,
      from: form.From,
      body: form.Body,
      status: 'queued',
      direction: 'outbound-api',
      num_segments: String(form.Body.length <= 160 ? 1 : Math.ceil(form.Body.length / 153)),
      num_media: '0',
      error_code: null,
      error_message: null,
      price: null,
      price_unit: 'USD',
      messaging_service_sid: null,
      date_created: now,
      date_updated: now,
      date_sent: null,
      uri: `${API}/Accounts/${this.accountSid}/Messages/${sid}.json`,
    };
    this.messages.push(message);
    if (key) this.answered.set(key, { status: 201, body: message });
    if (this.loseAnswers > 0) {
      this.loseAnswers--;
      req.socket.destroy();
      return;
    }
    answer(201, message);
  }

  private authenticates(header: string | undefined, pathSid: string): boolean {
    const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
    if (!m) return false;
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const [user, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
    return user === this.accountSid && pathSid === this.accountSid && password === this.authToken;
  }
}
