import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { hostPortOf, OutboundHttp } from '../../../shared/outbound/outbound-http.js';
import { PermanentDeliveryError } from '../domain/backoff.js';

/** The SMS port. */
export abstract class SmsProvider {
  abstract get enabled(): boolean;
  abstract send(to: string, body: string, idempotencyKey: string): Promise<void>;
}

/**
 * Twilio-compatible adapter: POST {SMS_URL}/Accounts/{sid}/Messages.json, form-encoded To/From/Body, HTTP Basic
 * auth with the account SID and token. Any other provider speaking that API (or a local fake) works too.
 * The delivery id is the I-Twilio-Idempotency-Token, so a retry after a lost answer does not send a second message.
 * A 4xx other than 408/429 is the provider refusing this message (bad number, bad credentials): no retry helps.
 * Requests go through the shared outbound client; SMS_URL's own host:port is allowed even if private (operator's
 * choice: a gateway on the LAN, the local fake in tests).
 */
@Injectable()
export class TwilioSmsProvider extends SmsProvider {
  constructor(
    private readonly config: AppConfig,
    private readonly outbound: OutboundHttp,
  ) {
    super();
  }

  get enabled(): boolean {
    return this.config.sms !== null;
  }

  async send(to: string, body: string, idempotencyKey: string): Promise<void> {
    const sms = this.config.sms;
    if (!sms) throw new Error('SMS is not configured');
    const res = await this.outbound.request(`${sms.url}/Accounts/${encodeURIComponent(sms.accountSid)}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${sms.accountSid}:${sms.authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        'i-twilio-idempotency-token': idempotencyKey,
      },
      body: new URLSearchParams({ To: to, From: sms.from, Body: body }).toString(),
      allow: [hostPortOf(sms.url)],
      timeoutMs: 15_000,
      maxBytes: 64 * 1024,
    });
    if (res.status < 200 || res.status >= 300) {
      const message = `SMS provider answered ${res.status}${describeError(res.body)}`;
      const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
      throw permanent ? new PermanentDeliveryError(message) : new Error(message);
    }
  }
}

/** Twilio's error body ({code, message, more_info, status}) in one line; other bodies shortened. Never the request. */
function describeError(body: string): string {
  try {
    const json: unknown = JSON.parse(body);
    if (typeof json === 'object' && json !== null && ('code' in json || 'message' in json)) {
      const { code, message } = json as { code?: unknown; message?: unknown };
      return `: ${code !== undefined ? `error ${inline(code)}: ` : ''}${inline(message ?? '').slice(0, 200)}`;
    }
  } catch {
    // not JSON
  }
  const text = body.trim().slice(0, 200);
  return text ? `: ${text}` : '';
}

/** A JSON value as text: strings as they are, anything else (Twilio's numeric codes, an odd object) as JSON. */
const inline = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
