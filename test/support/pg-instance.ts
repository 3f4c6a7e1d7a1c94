import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';
import { pgWorkDir } from './pg-standby.js';
import type { TestDatabase } from './test-database.js';

/**
 * A private PostgreSQL server (initdb + pg_ctl on a free loopback port, as test/support/pg-standby.ts does) that a
 * test may stop and start again: the fault suite restarts it under traffic. Use postgresBinaries() first.
 */
export interface PgInstance {
  port: number;
  createDatabase(): Promise<TestDatabase>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<T[]>;
  /** `pg_ctl stop -m fast`: sessions are terminated (57P01), new connections refused, like a restart or failover. */
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  destroy(): void;
}

export async function startPgInstance(bin: string): Promise<PgInstance> {
  const { dir, run, asRoot } = pgWorkDir(bin, 'kairos-pgfault-');
  const port = await freePort();
  const data = join(dir, 'data');
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c shared_buffers=16MB -c max_connections=60`;
  // Asynchronous, so the app under test (in this process) keeps serving while the server goes down and comes back.
  const runAsync = async (tool: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    await promisify(execFile)(cmd, argv, { cwd: dir });
  };
  let running = false;
  const startServer = async () => {
    await runAsync('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', options, 'start']);
    running = true;
  };
  const stopServer = async () => {
    await runAsync('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    running = false;
  };
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-N']);
    await startServer();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const query = async <T>(sql: string, params: unknown[] = [], database = 'postgres'): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url(database) });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  return {
    port,
    query,
    stopServer,
    startServer,
    async createDatabase() {
      const name = `kairos_f_${randomBytes(4).toString('hex')}`;
      await query(`CREATE DATABASE ${name}`);
      return {
        name,
        url: url(name),
        drop: async () => {
          if (running) await query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        },
      };
    },
    destroy() {
      if (running) {
        try {
          run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } catch {
          /* already down */
        }
      }
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
