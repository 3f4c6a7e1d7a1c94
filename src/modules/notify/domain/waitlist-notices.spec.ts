import {
  refuseJoin,
  waitlistClaimToken,
  waitlistClaimUrl,
  type WaitlistEventPayload,
  waitlistEntryToken,
} from '../../booking/domain/waitlist.js';
import { planWaitlistDeliveries } from './waitlist-notices.js';

const payload: WaitlistEventPayload = {
  entry_id: '6f1c0d1e-0000-4000-8000-000000000001',
  meeting_type_id: '6f1c0d1e-0000-4000-8000-000000000002',
  meeting_type_name: 'Design review',
  meeting_type_slug: 'design-review',
  owner_id: '6f1c0d1e-0000-4000-8000-000000000003',
  owner_username: 'noor',
  start_time: '2027-03-02T10:00:00.000Z',
  end_time: '2027-03-02T10:30:00.000Z',
  name: 'Ada <Lovelace>',
  email: 'ada@example.com',
  position: 1,
  status: 'promoted',
  promoted_at: '2027-03-01T12:00:00.000Z',
  claim_expires_at: '2027-03-01T13:00:00.000Z',
};
const now = new Date('2027-03-01T12:00:00Z');
const hooks = [
  { id: 'h1', userId: payload.owner_id, events: ['waitlist.promoted'] },
  { id: 'h2', userId: payload.owner_id, events: ['waitlist.joined'] },
  { id: 'h3', userId: 'someone-else', events: ['waitlist.promoted'] },
];

describe('waitlist notices', () => {
  it('plans one claim mail per promotion and the owner webhooks that asked, with the same ids every time', () => {
    const plan = planWaitlistDeliveries({ eventType: 'waitlist.promoted', eventId: '42', payload, webhooks: hooks, now });
    expect(plan.map((d) => [d.kind, d.recipient])).toEqual([
      ['waitlist_claim', 'ada@example.com'],
      ['webhook', 'h1'],
    ]);
    expect(
      planWaitlistDeliveries({ eventType: 'waitlist.promoted', eventId: '42', payload, webhooks: hooks, now }).map((d) => d.id),
    ).toEqual(plan.map((d) => d.id));
    // Another promotion of the same entry (after its claim lapsed and it waited again) is another mail.
    const again = planWaitlistDeliveries({
      eventType: 'waitlist.promoted',
      eventId: '43',
      payload: { ...payload, promoted_at: '2027-03-01T14:00:00.000Z' },
      webhooks: [],
      now,
    });
    expect(again[0].id).not.toBe(plan[0].id);
    expect(
      planWaitlistDeliveries({ eventType: 'waitlist.joined', eventId: '7', payload, webhooks: hooks, now }).map((d) => d.recipient),
    ).toEqual(['h2']);
  });

  it('derives the tokens (never stored) and links to the booking form with the hold (in the language joined in)', () => {
    const token = waitlistClaimToken('secret', payload.entry_id, payload.promoted_at!);
    expect(token).toBe(waitlistClaimToken('secret', payload.entry_id, payload.promoted_at!));
    expect(token).not.toBe(waitlistClaimToken('other', payload.entry_id, payload.promoted_at!));
    expect(waitlistEntryToken('secret', payload.entry_id)).toMatch(/^wlt_/);
    const url = new URL(waitlistClaimUrl('http://kairos.test', payload, token));
    expect(url.pathname).toBe('/noor/design-review/book');
    expect(url.searchParams.get('hold')).toBe(token);
    expect(url.searchParams.get('start')).toBe(payload.start_time);
    expect(url.searchParams.get('lang')).toBeNull(); // English: no lang
    expect(new URL(waitlistClaimUrl('http://kairos.test', { ...payload, locale: 'de' }, token)).searchParams.get('lang')).toBe('de');
  });

  it('refuses to join without a waitlist and for past times (group types have waitlists too)', () => {
    const ok = { enabled: true, startMs: 2, nowMs: 1 };
    expect(refuseJoin(ok)).toBeNull();
    expect(refuseJoin({ ...ok, enabled: false })?.message).toMatch(/no waitlist/);
    expect(refuseJoin({ ...ok, startMs: 1 })?.message).toMatch(/passed/);
  });
});
