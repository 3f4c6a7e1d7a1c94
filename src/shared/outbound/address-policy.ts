import { isIP } from 'node:net';

/**
 * The one address policy of every outbound client (webhooks, ICS feeds, CalDAV, calendar providers, SMS): an
 * address is public, or it names the range that makes it unreachable for us. Pure: no DNS, no sockets.
 *
 * IPv6 is public only inside global unicast (2000::/3) minus its special blocks. Formats that carry an IPv4 address
 * are judged by that address (IPv4-mapped, 6to4) or refused outright where a relay or translator on our side would
 * turn them into an IPv4 connection we cannot judge (IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, Teredo).
 */
export type AddressVerdict = { public: true } | { public: false; range: string };

const PUBLIC: AddressVerdict = { public: true };
const refused = (range: string): AddressVerdict => ({ public: false, range });

/** IPv4 blocks that are not public unicast (IANA special-purpose registry, plus multicast and reserved). */
const V4_BLOCKS: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'this network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared address space (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
].map(([net, bits, range]) => [net as string, bits as number, range as string]);

/** IPv6 blocks inside 2000::/3 that are not public unicast. Everything outside 2000::/3 is refused anyway. */
const V6_BLOCKS: Array<[string, number, string]> = [
  ['2001::', 32, 'Teredo'],
  ['2001::', 23, 'IETF protocol assignments'],
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'],
];

export function classifyAddress(address: string): AddressVerdict {
  const literal = address.replace(/^\[|\]$/g, '');
  if (literal.includes('%')) return refused('scoped (zone id)');
  const family = isIP(literal);
  if (family === 4) return classifyV4(v4ToInt(literal));
  if (family === 6) return classifyV6(v6ToBytes(literal));
  return refused('not an IP address');
}

export const isPublicAddress = (address: string): boolean => classifyAddress(address).public;

function classifyV4(ip: number): AddressVerdict {
  for (const [net, bits, range] of V4_BLOCKS) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if ((ip & mask) >>> 0 === (v4ToInt(net) & mask) >>> 0) return refused(range);
  }
  return PUBLIC;
}

function classifyV6(b: Uint8Array): AddressVerdict {
  const zeros = (from: number, to: number) => b.subarray(from, to).every((x) => x === 0);
  const embeddedV4 = (at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) {
    const inner = classifyV4(embeddedV4(12)); // ::ffff:a.b.c.d is an IPv4 connection to a.b.c.d
    return inner.public ? PUBLIC : refused(`IPv4-mapped ${inner.range}`);
  }
  if (zeros(0, 15) && b[15] === 0) return refused('unspecified');
  if (zeros(0, 15) && b[15] === 1) return refused('loopback');
  if (zeros(0, 12)) return refused('IPv4-compatible'); // ::a.b.c.d, e.g. [::7f00:1]: deprecated, and a way round IPv4 checks
  if (zeros(0, 8) && b[8] === 0xff && b[9] === 0xff && zeros(10, 12)) return refused('IPv4-translated (SIIT)');
  if (hasPrefix(b, '64:ff9b::', 96)) return refused('NAT64'); // a translator would reach any IPv4 address, ours included
  if (hasPrefix(b, '64:ff9b:1::', 48)) return refused('NAT64 (local use)');
  if (hasPrefix(b, '2002::', 16)) {
    const inner = classifyV4(embeddedV4(2)); // 6to4 tunnels to the IPv4 address in bits 16-47
    return inner.public ? PUBLIC : refused(`6to4 of ${inner.range}`);
  }
  if ((b[0] & 0xe0) !== 0x20) return refused(rangeOutsideGlobal(b));
  for (const [net, bits, range] of V6_BLOCKS) if (hasPrefix(b, net, bits)) return refused(range);
  return PUBLIC;
}

/** A readable name for the usual suspects outside 2000::/3 (for logs; all are refused alike). */
function rangeOutsideGlobal(b: Uint8Array): string {
  if (b[0] === 0xff) return 'multicast';
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return 'link-local';
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0xc0) return 'site-local';
  if ((b[0] & 0xfe) === 0xfc) return 'unique local';
  if (hasPrefix(b, '100::', 64)) return 'discard-only';
  return 'not global unicast';
}

function hasPrefix(b: Uint8Array, net: string, bits: number): boolean {
  const n = v6ToBytes(net);
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((b[i] & mask) !== (n[i] & mask)) return false;
  }
  return true;
}

function v4ToInt(address: string): number {
  return address.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

/** 16 bytes of an IPv6 literal already accepted by isIP (`::` compression and a dotted IPv4 tail included). */
function v6ToBytes(address: string): Uint8Array {
  let text = address.toLowerCase();
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const v4 = v4ToInt(tail[1]);
    text = `${text.slice(0, -tail[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest === undefined ? [] : rest ? rest.split(':') : [];
  const fill = rest === undefined ? [] : new Array<string>(8 - headGroups.length - restGroups.length).fill('0');
  const groups = [...headGroups, ...fill, ...restGroups];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    bytes[i * 2] = v >> 8;
    bytes[i * 2 + 1] = v & 0xff;
  });
  return bytes;
}
