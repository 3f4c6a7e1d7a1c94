import type { DataSource, EntityManager } from 'typeorm';
import { runSerializable, SerializationRetriesExhaustedError } from './run-serializable.js';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

/** A query runner that records what it is sent and fails the statements `failing` picks. */
function fakeRunner(failing: (sql: string, index: number) => Error | null = () => null) {
  const sent: string[] = [];
  const runner = {
    isReleased: false,
    isTransactionActive: false,
    transactionDepth: 0,
    manager: {} as EntityManager,
    connect: async () => undefined,
    release: async () => {
      runner.isReleased = true;
    },
    query: async (sql: string) => {
      sent.push(sql);
      const error = failing(sql, sent.length - 1);
      if (error) throw error;
      return [];
    },
  };
  const dataSource = { createQueryRunner: () => runner } as unknown as DataSource;
  return { runner, sent, dataSource };
}

const LOCKS_THEN_BEGIN =
  "BEGIN; SELECT pg_advisory_lock(hashtextextended('host:a', 0)); SELECT pg_advisory_lock(hashtextextended('host:b', 0)); " +
  'COMMIT; BEGIN ISOLATION LEVEL SERIALIZABLE';
const COMMIT_THEN_UNLOCK =
  "COMMIT; SELECT pg_advisory_unlock(hashtextextended('host:a', 0)); SELECT pg_advisory_unlock(hashtextextended('host:b', 0))";
const UNLOCK = "SELECT pg_advisory_unlock(hashtextextended('host:a', 0)); SELECT pg_advisory_unlock(hashtextextended('host:b', 0))";

describe('runSerializable', () => {
  it('takes the locks (sorted, once each) and begins in one round trip, commits and unlocks in another', async () => {
    const { runner, sent, dataSource } = fakeRunner();
    let during: { active: boolean; depth: number } | null = null;
    const result = await runSerializable(
      dataSource,
      async () => {
        during = { active: runner.isTransactionActive, depth: runner.transactionDepth };
        await runner.query('work');
        return 42;
      },
      { serializeOn: ['host:b', 'host:a', 'host:b'] },
    );
    expect(result).toBe(42);
    expect(sent).toEqual([LOCKS_THEN_BEGIN, 'work', COMMIT_THEN_UNLOCK]);
    // TypeORM's record of the transaction: a nested manager.transaction() inside the work is a savepoint.
    expect(during).toEqual({ active: true, depth: 1 });
    expect({ active: runner.isTransactionActive, depth: runner.transactionDepth }).toEqual({ active: false, depth: 0 });
    expect(runner.isReleased).toBe(true);
  });

  it('without keys: BEGIN and COMMIT alone', async () => {
    const { sent, dataSource } = fakeRunner();
    await runSerializable(dataSource, async () => 'ok');
    expect(sent).toEqual(['BEGIN ISOLATION LEVEL SERIALIZABLE', 'COMMIT']);
  });

  it('escapes keys as SQL literals', async () => {
    const { sent, dataSource } = fakeRunner();
    await runSerializable(dataSource, async () => 'ok', { serializeOn: ["hold-email:o'brien\\x@example.com"] });
    expect(sent[0]).toBe(
      "BEGIN; SELECT pg_advisory_lock(hashtextextended( E'hold-email:o''brien\\\\x@example.com', 0)); COMMIT; BEGIN ISOLATION LEVEL SERIALIZABLE",
    );
  });

  it('a serialization failure in the work rolls back and begins again under the locks it holds', async () => {
    const { runner, sent, dataSource } = fakeRunner((sql, i) => (sql === 'work' && i === 1 ? pgError('40001') : null));
    const retried: number[] = [];
    await runSerializable(dataSource, () => runner.query('work'), {
      serializeOn: ['host:a', 'host:b'],
      onRetry: (_, attempt) => retried.push(attempt),
    });
    expect(sent).toEqual([LOCKS_THEN_BEGIN, 'work', 'ROLLBACK', 'BEGIN ISOLATION LEVEL SERIALIZABLE', 'work', COMMIT_THEN_UNLOCK]);
    expect(retried).toEqual([1]);
  });

  it('a serialization failure at COMMIT keeps the locks (the unlocks after it did not run) and retries', async () => {
    const { sent, dataSource } = fakeRunner((sql, i) => (sql === COMMIT_THEN_UNLOCK && i === 1 ? pgError('40001') : null));
    await runSerializable(dataSource, async () => 'ok', { serializeOn: ['host:a', 'host:b'] });
    expect(sent).toEqual([LOCKS_THEN_BEGIN, COMMIT_THEN_UNLOCK, 'ROLLBACK', 'BEGIN ISOLATION LEVEL SERIALIZABLE', COMMIT_THEN_UNLOCK]);
  });

  it('any other error rolls back, unlocks and propagates', async () => {
    const { runner, sent, dataSource } = fakeRunner();
    const refused = new Error('slot taken');
    await expect(
      runSerializable(
        dataSource,
        async () => {
          throw refused;
        },
        { serializeOn: ['host:a', 'host:b'] },
      ),
    ).rejects.toBe(refused);
    expect(sent).toEqual([LOCKS_THEN_BEGIN, 'ROLLBACK', UNLOCK]);
    expect(runner.isTransactionActive).toBe(false);
  });

  it('a failure while taking the locks is not retried: whatever was taken is released', async () => {
    const { sent, dataSource } = fakeRunner((_, i) => (i === 0 ? pgError('40P01') : null));
    let ran = false;
    await expect(
      runSerializable(
        dataSource,
        async () => {
          ran = true;
        },
        { serializeOn: ['host:a', 'host:b'] },
      ),
    ).rejects.toMatchObject({ code: '40P01' });
    expect(ran).toBe(false);
    expect(sent).toEqual([LOCKS_THEN_BEGIN, 'ROLLBACK', UNLOCK]);
  });

  it('gives up after the attempts allowed', async () => {
    const { sent, dataSource } = fakeRunner((sql) => (sql === 'COMMIT' ? pgError('40001') : null));
    await expect(runSerializable(dataSource, async () => 'ok', { attempts: 2 })).rejects.toBeInstanceOf(SerializationRetriesExhaustedError);
    expect(sent).toEqual([
      'BEGIN ISOLATION LEVEL SERIALIZABLE',
      'COMMIT',
      'ROLLBACK',
      'BEGIN ISOLATION LEVEL SERIALIZABLE',
      'COMMIT',
      'ROLLBACK',
    ]);
  });
});
