import { Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppConfig } from '../../../config/app-config.js';
import { isPublicAddress } from '../domain/public-address.js';

export class UnsafeWebhookTargetError extends Error {}

/** Posts signed webhook bodies, refusing targets that resolve to non-public addresses unless allow-listed. */
@Injectable()
export class WebhookSender {
  constructor(private readonly config: AppConfig) {}

  /** Throws UnsafeWebhookTargetError with a message fit for a 400. */
  async assertSafeTarget(rawUrl: string): Promise<void> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new UnsafeWebhookTargetError('url must be an absolute http(s) URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UnsafeWebhookTargetError('url must use http or https');
    if (url.username || url.password) throw new UnsafeWebhookTargetError('url must not contain credentials');
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (this.config.webhookAllowedHosts.includes(host)) return;
    let addresses: string[];
    if (isIP(host)) addresses = [host];
    else {
      try {
        addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
      } catch {
        throw new UnsafeWebhookTargetError(`url host "${host}" does not resolve`);
      }
    }
    if (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a))) {
      throw new UnsafeWebhookTargetError(`url host "${host}" resolves to a private, loopback or link-local address`);
    }
  }

  async post(url: string, body: string, headers: Record<string, string>): Promise<void> {
    await this.assertSafeTarget(url); // again at delivery time: DNS may have changed since the subscription
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Kairos-Webhooks/1.0', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status >= 300) throw new Error(`webhook target answered ${res.status}`);
  }
}
