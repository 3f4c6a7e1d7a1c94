import { createHmac, randomBytes } from 'node:crypto';

/** A Standard Webhooks secret: "whsec_" + base64 of 24 random bytes. */
export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

const keyOf = (secret: string) => Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');

/**
 * Headers for one webhook POST, in two formats over the same key:
 * - Standard Webhooks (standardwebhooks.com): `webhook-id`, `webhook-timestamp`,
 *   `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`;
 * - `X-Kairos-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">` (Stripe-style).
 * `webhook-id` is the delivery id, identical on every retry, so receivers can de-duplicate.
 */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): Record<string, string> {
  const key = keyOf(secret);
  const standard = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  const kairos = createHmac('sha256', key).update(`${timestampSeconds}.${body}`).digest('hex');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${standard}`,
    'x-kairos-signature': `t=${timestampSeconds},v1=${kairos}`,
  };
}
