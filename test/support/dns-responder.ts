import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';

export interface DnsQuery {
  name: string;
  type: 'A' | 'AAAA' | number;
}

/**
 * Answers for one query: the addresses of that name and type (empty: the name exists, no record of that type), or
 * null for NXDOMAIN. `count` is how many A queries this name got so far, this one included (1 for the first).
 */
export type DnsAnswers = (query: DnsQuery, count: number) => string[] | null;

/**
 * A tiny authoritative DNS server over UDP on 127.0.0.1, for tests of the outbound address policy: the test decides
 * each answer (e.g. a public address first, 127.0.0.1 afterwards: DNS rebinding). A and AAAA only, TTL 0 so that no
 * resolver caches an answer. Point the app at it with OUTBOUND_DNS_SERVERS=127.0.0.1:<port>.
 */
export class DnsResponder {
  readonly queries: DnsQuery[] = [];
  private socket: Socket = createSocket('udp4');
  private counts = new Map<string, number>();
  port = 0;

  constructor(private answers: DnsAnswers) {}

  async start(): Promise<this> {
    this.socket.on('message', (message, from) => {
      const reply = this.reply(message);
      if (reply) this.socket.send(reply, from.port, from.address);
    });
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    this.port = this.socket.address().port;
    return this;
  }

  get server(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** A queries received for `name` so far. */
  aQueries(name: string): number {
    return this.queries.filter((q) => q.name === name.toLowerCase() && q.type === 'A').length;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private reply(message: Buffer): Buffer | null {
    if (message.length < 12 || message.readUInt16BE(4) !== 1) return null; // exactly one question
    const labels: string[] = [];
    let at = 12;
    while (at < message.length && message[at] !== 0) {
      const length = message[at];
      labels.push(message.subarray(at + 1, at + 1 + length).toString('ascii'));
      at += 1 + length;
    }
    const questionEnd = at + 5; // the zero byte, QTYPE, QCLASS
    if (questionEnd > message.length) return null;
    const qtype = message.readUInt16BE(at + 1);
    const query: DnsQuery = { name: labels.join('.').toLowerCase(), type: qtype === 1 ? 'A' : qtype === 28 ? 'AAAA' : qtype };
    this.queries.push(query);
    if (query.type === 'A') this.counts.set(query.name, (this.counts.get(query.name) ?? 0) + 1);
    const addresses = this.answers(query, this.counts.get(query.name) ?? 0);
    const wanted = query.type === 'A' ? 4 : query.type === 'AAAA' ? 6 : -1;
    const records = (addresses ?? []).filter((a) => isIP(a) === wanted).map((a) => record(a));

    const header = Buffer.alloc(12);
    header.writeUInt16BE(message.readUInt16BE(0), 0); // same id
    const recursionDesired = message.readUInt16BE(2) & 0x0100;
    // QR, AA, RD copied, RA; RCODE 3 (NXDOMAIN) for unknown names.
    header.writeUInt16BE(0x8400 | recursionDesired | 0x0080 | (addresses === null ? 3 : 0), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(records.length, 6);
    return Buffer.concat([header, message.subarray(12, questionEnd), ...records]);
  }
}

/** One answer record for the question's name (a pointer to offset 12), class IN, TTL 0. */
function record(address: string): Buffer {
  const data = isIP(address) === 4 ? Buffer.from(address.split('.').map(Number)) : ipv6Bytes(address);
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0);
  head.writeUInt16BE(data.length === 4 ? 1 : 28, 2);
  head.writeUInt16BE(1, 4);
  head.writeUInt32BE(0, 6);
  head.writeUInt16BE(data.length, 10);
  return Buffer.concat([head, data]);
}

function ipv6Bytes(address: string): Buffer {
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}
