import { jest } from '@jest/globals';
import { type DataSource, type EntityManager, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { RawStatements } from './raw-statements.js';

const POSTGRES = 'PostgreSQL 15.14 (Debian 15.14-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc 12.2.0, 64-bit';
const PGLITE = 'PostgreSQL 18.6 (PGlite 0.5.14) on wasm32-unknown-emscripten, compiled by emcc 6.0.5, 32-bit';

/** A pg connection answering `SELECT version()` with `version` and every other statement with one row. */
function fakeClient(version: string) {
  const query = jest.fn(async (config: string | { text: string }) => {
    const text = typeof config === 'string' ? config : config.text;
    return { rows: text.includes('version()') ? [{ version }] : [{ ok: 1 }] };
  });
  return { query, release: jest.fn() };
}

function setUp(version: string) {
  const client = fakeClient(version);
  const pool = { connect: jest.fn(async () => client) };
  const statements = new RawStatements({ driver: { master: pool } } as unknown as DataSource);
  /** The configs passed for the statement itself (the version question left out). */
  const sent = () => client.query.mock.calls.map((c) => c[0]).filter((c) => typeof c !== 'string');
  return { client, pool, statements, sent };
}

const STATEMENT = { name: 'kairos_test', text: 'SELECT $1::int AS ok' };

describe('RawStatements', () => {
  it('prepares named statements on PostgreSQL, asking the server once, and gives the pooled connection back', async () => {
    const { client, pool, statements, sent } = setUp(POSTGRES);
    expect(await statements.rows(STATEMENT, [1])).toEqual([{ ok: 1 }]);
    await statements.rows(STATEMENT, [2]);
    expect(sent()).toEqual([
      { name: 'kairos_test', text: STATEMENT.text, values: [1] },
      { name: 'kairos_test', text: STATEMENT.text, values: [2] },
    ]);
    expect(client.query.mock.calls.filter((c) => c[0] === 'SELECT version() AS version')).toHaveLength(1);
    expect(pool.connect).toHaveBeenCalledTimes(2);
    expect(client.release).toHaveBeenCalledTimes(2);
  });

  it('runs them unnamed on the embedded database, whose pooled connections share one PGlite session', async () => {
    const { statements, sent } = setUp(PGLITE);
    await statements.rows(STATEMENT, [1]);
    await statements.rows(STATEMENT, [2]);
    expect(sent()).toEqual([
      { text: STATEMENT.text, values: [1] },
      { text: STATEMENT.text, values: [2] },
    ]);
  });

  it('never names a statement given without a name (and then has no need to ask)', async () => {
    const { client, statements, sent } = setUp(POSTGRES);
    await statements.rows({ text: STATEMENT.text }, [1]);
    expect(sent()).toEqual([{ text: STATEMENT.text, values: [1] }]);
    expect(client.query).toHaveBeenCalledTimes(1);
  });

  it("runs on a manager's own connection (a transaction, a replica session), asked there, and leaves it connected", async () => {
    const { client, pool, statements, sent } = setUp(POSTGRES);
    const runner = { isReleased: false, connect: jest.fn(async () => client) };
    await statements.rows(STATEMENT, [1], { queryRunner: runner } as unknown as EntityManager);
    expect(pool.connect).not.toHaveBeenCalled();
    expect(client.query).toHaveBeenCalledTimes(2); // the version, on the same connection, then the statement
    expect(sent()).toEqual([{ name: 'kairos_test', text: STATEMENT.text, values: [1] }]);
    expect(client.release).not.toHaveBeenCalled();
  });

  it("refuses a released runner's manager as TypeORM does (a 503 when its connection was lost)", async () => {
    const { statements } = setUp(POSTGRES);
    const runner = { isReleased: true, connect: jest.fn() };
    await expect(statements.rows(STATEMENT, [1], { queryRunner: runner } as unknown as EntityManager)).rejects.toBeInstanceOf(
      QueryRunnerAlreadyReleasedError,
    );
    expect(runner.connect).not.toHaveBeenCalled();
  });

  it('gives the connection back when the statement fails, and passes the error on', async () => {
    const { client, statements } = setUp(POSTGRES);
    client.query.mockImplementationOnce(async () => ({ rows: [{ version: POSTGRES }] }));
    client.query.mockImplementationOnce(async () => {
      throw Object.assign(new Error('could not serialize access'), { code: '40001' });
    });
    await expect(statements.rows(STATEMENT, [1])).rejects.toMatchObject({ code: '40001' });
    expect(client.release).toHaveBeenCalledTimes(1);
  });
});
