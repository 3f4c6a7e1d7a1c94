import { SerializationRetriesExhaustedError } from '../database/run-serializable.js';
import { toErrorBody } from './http-exception.filter.js';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe('toErrorBody: bookings that gave up', () => {
  it('says another booking took the time only when the exclusion constraint fired', () => {
    const taken = toErrorBody(new SerializationRetriesExhaustedError(12, pgError('23P01')));
    expect(taken).toMatchObject({ status_code: 409, message: expect.stringContaining('another booking took it') });
  });

  it('after serialization failures on every attempt, says nothing was booked and to try again, not that the time is taken', () => {
    const contended = toErrorBody(new SerializationRetriesExhaustedError(8, pgError('40001')));
    expect(contended.status_code).toBe(409);
    expect(contended.message).toMatch(/could not be confirmed.*nothing was booked.*try again/);
    expect(contended.message).not.toMatch(/took it/);
  });
});
