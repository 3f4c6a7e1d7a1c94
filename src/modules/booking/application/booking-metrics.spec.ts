import { SerializationRetriesExhaustedError } from '../../../shared/database/run-serializable.js';
import { conflict, DomainError, notFound } from '../../../shared/http/domain-error.js';
import { BookingConflictError, conflictCause } from './booking-metrics.js';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe('conflictCause (the cause label of kairos_booking_conflicts_total)', () => {
  it.each([
    ['the re-check refused', new BookingConflictError('slot_taken', 'taken'), 'slot_taken'],
    ['only a hold was in the way', new BookingConflictError('hold_conflict', 'held'), 'hold_conflict'],
    ['round robin ran out of hosts', new BookingConflictError('all_hosts_taken', 'all taken'), 'all_hosts_taken'],
    ['the constraint fired and reached the caller', pgError('23P01'), 'exclusion_constraint'],
    ['the constraint fired on every attempt', new SerializationRetriesExhaustedError(12, pgError('23P01')), 'exclusion_constraint'],
    ['40001 on every attempt', new SerializationRetriesExhaustedError(8, pgError('40001')), 'retries_exhausted'],
    ['a 409 about state', conflict('this meeting type is not accepting bookings'), 'other'],
    ['a 404', notFound('booking'), null],
    ['a 422', new DomainError('unprocessable', 'key reused'), null],
    ['a unique violation', pgError('23505'), null],
    ['anything else', new Error('boom'), null],
  ])('%s', (_what, error, cause) => {
    expect(conflictCause(error)).toBe(cause);
  });
});
