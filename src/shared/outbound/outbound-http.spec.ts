import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSecureContext } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DnsResponder } from '../../../test/support/dns-responder.js';
import { OutboundError, OutboundHttp, statusClass } from './outbound-http.js';
import { DnsServersResolver, OutboundResolver, type ResolvedAddress } from './outbound-resolver.js';

/** The DNS port faked: answers per name, in order (the last one repeats); every call counted. */
class ScriptedResolver extends OutboundResolver {
  readonly calls: string[] = [];
  constructor(private readonly script: Record<string, string[][]>) {
    super();
  }
  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    this.calls.push(hostname);
    const answers = this.script[hostname];
    if (!answers) throw Object.assign(new Error(`queryA ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const n = this.calls.filter((h) => h === hostname).length;
    return answers[Math.min(n, answers.length) - 1].map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }
}

describe('OutboundHttp', () => {
  let server: Server;
  let port: number;
  const seen: Array<{ url: string; headers: IncomingHttpHeaders; method: string }> = [];
  const routes: Record<string, (res: import('node:http').ServerResponse) => void> = {};

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url!, headers: req.headers, method: req.method! });
      req.resume();
      req.on('end', () => (routes[req.url!] ?? ((r) => r.end('hello')))(res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
  });

  it('connects to the address it checked, once resolved, with the Host header of the name', async () => {
    // The second answer would be another address: never asked for, since the connection uses the first.
    const resolver = new ScriptedResolver({ 'pinned.test': [['127.0.0.1'], ['10.9.9.9']] });
    const client = new OutboundHttp(resolver);
    const res = await client.request(`http://pinned.test:${port}/x`, { allow: ['pinned.test'] });
    expect(res).toMatchObject({ status: 200, body: 'hello' });
    expect(seen).toEqual([expect.objectContaining({ url: '/x', headers: expect.objectContaining({ host: `pinned.test:${port}` }) })]);
    expect(resolver.calls).toEqual(['pinned.test']);
  });

  it('refuses a name when any answer is non-public, before connecting', async () => {
    const client = new OutboundHttp(
      new ScriptedResolver({ 'mixed.test': [['93.184.215.14', '127.0.0.1']], 'meta.test': [['169.254.169.254']] }),
    );
    for (const url of [`http://mixed.test:${port}/`, `http://meta.test:${port}/`]) {
      await expect(client.request(url)).rejects.toMatchObject({
        kind: 'refused',
        message: 'refused: target resolves to a non-public address',
      });
    }
    expect(seen).toHaveLength(0);
  });

  it.each([
    '127.0.0.1',
    '[::1]',
    '[::7f00:1]',
    '[::ffff:127.0.0.1]',
    '[64:ff9b::7f00:1]',
    '[2002:7f00:1::]',
    '[fe80::1]',
    '0x7f.1',
    '2130706433',
  ])('refuses the literal %s without asking DNS', async (host) => {
    const resolver = new ScriptedResolver({});
    await expect(new OutboundHttp(resolver).request(`http://${host}:${port}/`)).rejects.toMatchObject({ kind: 'refused' });
    expect(resolver.calls).toEqual([]);
    expect(seen).toHaveLength(0);
  });

  it('checks every redirect hop afresh: a redirect to a non-public address is refused', async () => {
    routes['/to-loopback'] = (res) => res.writeHead(302, { location: `http://127.0.0.1:${port}/secret` }).end();
    routes['/to-nat64'] = (res) => res.writeHead(307, { location: `http://[64:ff9b::7f00:1]:${port}/secret` }).end();
    routes['/to-other'] = (res) => res.writeHead(301, { location: `http://other.test:${port}/ok` }).end();
    const resolver = new ScriptedResolver({ 'pinned.test': [['127.0.0.1']], 'other.test': [['127.0.0.1']] });
    const client = new OutboundHttp(resolver);
    for (const path of ['/to-loopback', '/to-nat64']) {
      await expect(
        client.request(`http://pinned.test:${port}${path}`, { allow: ['pinned.test'], redirect: 'follow' }),
      ).rejects.toMatchObject({ kind: 'refused' });
    }
    expect(seen.map((s) => s.url)).toEqual(['/to-loopback', '/to-nat64']);
    // Allowed on both hops: followed, each name resolved once for its own hop.
    const res = await client.request(`http://pinned.test:${port}/to-other`, {
      allow: ['pinned.test', 'other.test'],
      redirect: 'follow',
      headers: { authorization: 'Bearer x' },
    });
    expect(res.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ url: '/ok', headers: expect.objectContaining({ host: `other.test:${port}` }) });
    expect(seen.at(-1)!.headers.authorization).toBeUndefined(); // credentials do not cross origins
    // Not followed in manual mode.
    expect((await client.request(`http://pinned.test:${port}/to-loopback`, { allow: ['pinned.test'] })).status).toBe(302);
  });

  it('reports failures as classes; the specifics stay in detail', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = new OutboundHttp(new ScriptedResolver({ 'pinned.test': [['127.0.0.1']] }));
    const error: OutboundError = await client.request(`http://pinned.test:${closedPort}/`, { allow: ['pinned.test'] }).catch((e) => e);
    expect(error).toMatchObject({ kind: 'connection_refused', message: 'connection refused' });
    expect(error.detail).toContain('ECONNREFUSED');
    await expect(client.request(`http://nowhere.test:${port}/`)).rejects.toMatchObject({
      kind: 'dns',
      message: 'the host name does not resolve',
    });
    await expect(client.request('ftp://pinned.test/')).rejects.toMatchObject({ kind: 'invalid_url' });
    expect([statusClass(302), statusClass(404), statusClass(503)]).toEqual(['HTTP 3xx', 'HTTP 4xx', 'HTTP 5xx']);
  });

  it('asks the configured DNS servers (a responder of our own) for A and AAAA records', async () => {
    const dns = await new DnsResponder(({ name }, n) =>
      name === 'rebind.test' ? [n === 1 ? '93.184.215.14' : '127.0.0.1'] : null,
    ).start();
    try {
      const resolver = new DnsServersResolver([dns.server]);
      expect(await resolver.resolve('rebind.test')).toEqual([{ address: '93.184.215.14', family: 4 }]);
      expect(await resolver.resolve('rebind.test')).toEqual([{ address: '127.0.0.1', family: 4 }]);
      await expect(resolver.resolve('unknown.test')).rejects.toThrow();
      expect(dns.aQueries('rebind.test')).toBe(2);
    } finally {
      await dns.close();
    }
  });

  const withOpenssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return it;
    } catch {
      return it.skip; // the certificate is made with the openssl tool
    }
  })();

  withOpenssl('keeps TLS on the name: SNI is the host name and the certificate is verified against it', async () => {
    // A self-signed certificate for pinned.test: the handshake must carry that name, and must fail verification.
    const dir = mkdtempSync(join(tmpdir(), 'kairos-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=pinned.test',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const names: string[] = [];
      const credentials = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
      const context = createSecureContext(credentials);
      const tls = createTlsServer(
        {
          ...credentials,
          SNICallback: (servername, done) => {
            names.push(servername);
            done(null, context);
          },
        },
        (_req, res) => res.end('tls'),
      );
      tls.on('tlsClientError', () => undefined);
      await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
      const tlsPort = (tls.address() as AddressInfo).port;
      const client = new OutboundHttp(new ScriptedResolver({ 'pinned.test': [['127.0.0.1']] }));
      await expect(client.request(`https://pinned.test:${tlsPort}/`, { allow: ['pinned.test'] })).rejects.toMatchObject({
        kind: 'tls',
        message: 'TLS handshake failed',
      });
      expect(names).toEqual(['pinned.test']);
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
