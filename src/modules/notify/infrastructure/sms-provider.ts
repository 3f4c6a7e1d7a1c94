import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';

/** The SMS port. */
export abstract class SmsProvider {
  abstract get enabled(): boolean;
  abstract send(to: string, body: string, idempotencyKey: string): Promise<void>;
}

/**
 * Twilio-compatible adapter: POST {SMS_URL}/Accounts/{sid}/Messages.json, form-encoded To/From/Body, HTTP Basic
 * auth with the account SID and token. Any other provider speaking that API (or a local fake) works too.
 */
@Injectable()
export class TwilioSmsProvider extends SmsProvider {
  constructor(private readonly config: AppConfig) {
    super();
  }

  get enabled(): boolean {
    return this.config.sms !== null;
  }

  async send(to: string, body: string, idempotencyKey: string): Promise<void> {
    const sms = this.config.sms;
    if (!sms) throw new Error('SMS is not configured');
    const res = await fetch(`${sms.url}/Accounts/${encodeURIComponent(sms.accountSid)}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${sms.accountSid}:${sms.authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        'i-twilio-idempotency-token': idempotencyKey,
      },
      body: new URLSearchParams({ To: to, From: sms.from, Body: body }).toString(),
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) {
      const text = (await res.text().catch(() => '')).slice(0, 200);
      throw new Error(`SMS provider answered ${res.status}${text ? `: ${text}` : ''}`);
    }
  }
}
