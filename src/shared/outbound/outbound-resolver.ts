import { promises as dns } from 'node:dns';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Turns a host name into addresses, once per request; the client then connects only to what it returned. */
export abstract class OutboundResolver {
  /** Every address of the name; an error (or an empty list) when it does not resolve. */
  abstract resolve(hostname: string): Promise<ResolvedAddress[]>;
}

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), as the rest of the process sees names. */
export class SystemResolver extends OutboundResolver {
  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    const answers = await dns.lookup(hostname, { all: true, verbatim: true });
    return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  }
}

/** Asks the given DNS servers directly (OUTBOUND_DNS_SERVERS): A and AAAA records, no /etc/hosts. */
export class DnsServersResolver extends OutboundResolver {
  private readonly resolver: dns.Resolver;

  constructor(servers: string[]) {
    super();
    this.resolver = new dns.Resolver({ timeout: 3000, tries: 2 });
    this.resolver.setServers(servers);
  }

  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    const [v4, v6] = await Promise.allSettled([this.resolver.resolve4(hostname), this.resolver.resolve6(hostname)]);
    const found = [
      ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 as const })) : []),
      ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 as const })) : []),
    ];
    if (found.length === 0 && v4.status === 'rejected') throw v4.reason;
    return found;
  }
}
