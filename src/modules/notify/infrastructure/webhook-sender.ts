import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { OutboundError, OutboundHttp, statusClass } from '../../../shared/outbound/outbound-http.js';

export class UnsafeWebhookTargetError extends Error {}

/**
 * Posts signed webhook bodies through the shared outbound client: the target is resolved once per attempt, refused
 * if any answer is non-public (unless WEBHOOK_ALLOWED_HOSTS names the host), and the connection goes to the address
 * that was checked. Redirects are not followed (a 3xx is a failed delivery).
 *
 * What a host reads back (last_error) is a class, never the target's status code or body: with redelivery, exact
 * answers would make webhooks a port and service scanner. The detail goes to our logs.
 */
@Injectable()
export class WebhookSender {
  private readonly logger = new Logger('WebhookSender');

  constructor(
    private readonly config: AppConfig,
    private readonly outbound: OutboundHttp,
  ) {}

  /** Throws UnsafeWebhookTargetError with a message fit for a 400 (the host is checking its own URL). */
  async assertSafeTarget(rawUrl: string): Promise<void> {
    try {
      await this.outbound.check(rawUrl, this.config.webhookAllowedHosts);
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      const host = hostOf(rawUrl);
      if (error.kind === 'invalid_url') throw new UnsafeWebhookTargetError(`url ${error.message}`);
      if (error.kind === 'dns') throw new UnsafeWebhookTargetError(`url host "${host}" does not resolve`);
      throw new UnsafeWebhookTargetError(
        `url host "${host}" resolves to a private, loopback or link-local address (or another non-public range)`,
      );
    }
  }

  async post(url: string, body: string, headers: Record<string, string>): Promise<void> {
    let status: number;
    try {
      ({ status } = await this.outbound.request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Kairos-Webhooks/1.0', ...headers },
        body,
        allow: this.config.webhookAllowedHosts,
        timeoutMs: 10_000,
        discardBody: true,
      }));
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      this.logger.warn(`webhook delivery to ${hostOf(url)} failed: ${error.detail ?? error.message}`);
      throw new Error(error.kind === 'refused' ? error.message : `delivery failed (${error.message})`, { cause: error });
    }
    if (status < 200 || status >= 300) {
      this.logger.warn(`webhook target ${hostOf(url)} answered ${status}`);
      throw new Error(`delivery failed (${statusClass(status)})`);
    }
  }
}

function hostOf(rawUrl: string): string {
  try {
    return new URL(rawUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return '?';
  }
}
