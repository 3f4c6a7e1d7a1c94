import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signWebhook } from './webhook-signature.js';

// The official Standard Webhooks verifier (npm standardwebhooks) must accept what we sign, and refuse tampering.
describe('webhook signatures against the official standardwebhooks verifier', () => {
  it('verifies our webhook-id / webhook-timestamp / webhook-signature, and refuses another body, id or secret', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ event: 'invitee.created', payload: { name: 'Zoë "Z" 李', note: 'a\nb' } });
    const headers = signWebhook(secret, 'msg_2Yq9c7', Math.floor(Date.now() / 1000), body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_other' })).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });
});
