import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { isDatabaseUnavailable } from './pg-errors.js';
import { toErrorBody } from '../http/http-exception.filter.js';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable: a restart or failover, not a bug', () => {
  it.each([
    ['refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['admin shutdown (pg_ctl stop -m fast)', pgError('57P01', 'terminating connection due to administrator command')],
    ['crash shutdown', pgError('57P02')],
    ['starting up / shutting down', pgError('57P03', 'the database system is starting up')],
    ['connection failure (class 08)', pgError('08006')],
    ['lost connection (message only)', new Error('Connection terminated unexpectedly')],
    ['wrapped by TypeORM', new QueryFailedError('SELECT 1', [], pgError('57P01'))],
    ['runner released after its connection failed', new QueryRunnerAlreadyReleasedError()],
    ['statement on a manager whose runner was released', new QueryRunnerProviderAlreadyReleasedError()],
  ])('%s → 503 with the JSON error body', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(toErrorBody(error)).toMatchObject({
      status_code: 503,
      error: 'Service Unavailable',
      message: expect.stringMatching(/database/),
    });
  });

  it.each([
    ['serialization failure', pgError('40001')],
    ['unique violation', pgError('23505')],
    ['a plain bug', new TypeError('x is undefined')],
  ])('%s is not', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
