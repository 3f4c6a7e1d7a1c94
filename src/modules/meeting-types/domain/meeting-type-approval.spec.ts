import { DEFAULT_CONFIRMATION_EXPIRY_MINUTES, type MeetingTypeFields, resolveMeetingType } from './meeting-type-rules.js';

/** requires_confirmation and confirmation_expiry_minutes through the meeting type rules. */
describe('resolveMeetingType: approval fields', () => {
  const created = (over: Partial<MeetingTypeFields> = {}): MeetingTypeFields => ({
    ...resolveMeetingType(null, { name: 'Call', durationMinutes: 30 }).value,
    ...over,
  });

  it('defaults to no approval and a one-day expiry', () => {
    expect(created()).toMatchObject({ requiresConfirmation: false, confirmationExpiryMinutes: DEFAULT_CONFIRMATION_EXPIRY_MINUTES });
    expect(DEFAULT_CONFIRMATION_EXPIRY_MINUTES).toBe(1440);
  });

  it('keeps them when unsent, sets them when sent, and null restores the defaults', () => {
    const current = created({ requiresConfirmation: true, confirmationExpiryMinutes: 90 });
    expect(resolveMeetingType(current, { name: 'Renamed' }).value).toMatchObject({
      requiresConfirmation: true,
      confirmationExpiryMinutes: 90,
    });
    expect(resolveMeetingType(current, { confirmationExpiryMinutes: 30 }).value.confirmationExpiryMinutes).toBe(30);
    const reset = resolveMeetingType(current, { requiresConfirmation: null, confirmationExpiryMinutes: null });
    expect(reset.problems).toEqual([]);
    expect(reset.value).toMatchObject({ requiresConfirmation: false, confirmationExpiryMinutes: 1440 });
  });

  it('refuses approval on group types (invitees share one booking), also when the kind changes under it', () => {
    const group = resolveMeetingType(null, { name: 'G', durationMinutes: 30, kind: 'group', seats: 4, requiresConfirmation: true });
    expect(group.problems.map((p) => `${p.field} ${p.code}`)).toEqual(['requires_confirmation not_applicable']);
    const current = created({ requiresConfirmation: true });
    const toGroup = resolveMeetingType(current, { kind: 'group', seats: 4 });
    expect(toGroup.problems.map((p) => `${p.field} ${p.code}`)).toEqual(['requires_confirmation not_applicable']);
    expect(resolveMeetingType(current, { kind: 'group', seats: 4, requiresConfirmation: false }).problems).toEqual([]);
  });
});
