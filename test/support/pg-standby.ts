import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestDatabase } from './test-database.js';
import { freePort } from './free-port.js';

/**
 * A private PostgreSQL primary with a real streaming standby, for read-replica tests. The shared server at
 * 127.0.0.1:5432 does not accept replication connections (its pg_hba.conf has no `replication` line) and is not ours
 * to reconfigure, so the pair is created from scratch: initdb (its default pg_hba allows replication from
 * 127.0.0.1), pg_basebackup -R, both started with pg_ctl on free loopback ports. Takes about a second.
 */
export interface StandbyPair {
  primaryPort: number;
  standbyPort: number;
  /** A fresh database on the primary, already replayed on the standby. */
  createDatabase(): Promise<TestDatabase & { readUrl: string }>;
  primaryQuery<T = Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<T[]>;
  standbyQuery<T = Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<T[]>;
  /** Waits until the standby has replayed everything the primary has written so far. */
  waitForReplay(): Promise<void>;
  standbyLog(): string;
  stop(): Promise<void>;
}

/** The PostgreSQL server binaries, or why they cannot be used here (the suite is skipped with that reason, or fails in CI: support/requires.ts). */
export function postgresBinaries(): { bin: string } | { missing: string } {
  let bin: string;
  try {
    bin = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    return { missing: 'pg_config not found' };
  }
  for (const tool of ['initdb', 'pg_ctl', 'pg_basebackup']) {
    if (!existsSync(join(bin, tool))) return { missing: `${join(bin, tool)} not found` };
  }
  // PostgreSQL refuses to run as root: the servers then run as the postgres OS user.
  if (userInfo().uid === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0)
    return { missing: 'running as root without a postgres OS user' };
  return { bin };
}

/**
 * A fresh folder for a PostgreSQL server of the test's own, and a runner for its tools (initdb, pg_ctl, ...). As
 * root, the folder belongs to the postgres OS user and the tools run as it: PostgreSQL refuses to run as root.
 */
export function pgWorkDir(bin: string, prefix: string): { dir: string; asRoot: boolean; run: (tool: string, args: string[]) => void } {
  const asRoot = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (asRoot)
    chownSync(
      dir,
      Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
      Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
    );
  const run = (tool: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  };
  return { dir, asRoot, run };
}

export async function startStandbyPair(bin: string): Promise<StandbyPair> {
  const { dir, run } = pgWorkDir(bin, 'kairos-standby-');
  const [primaryPort, standbyPort] = [await freePort(), await freePort()];
  const serverOptions = (port: number) =>
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c shared_buffers=16MB -c max_connections=80`;
  const primaryDir = join(dir, 'primary');
  const standbyDir = join(dir, 'standby');
  let started: string[] = [];
  const stopAll = () => {
    for (const data of started.reverse()) {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        /* already down */
      }
    }
    started = [];
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-N']);
    run('pg_ctl', ['-D', primaryDir, '-l', join(dir, 'primary.log'), '-w', '-o', serverOptions(primaryPort), 'start']);
    started.push(primaryDir);
    run('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      standbyDir,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
    ]);
    run('pg_ctl', ['-D', standbyDir, '-l', join(dir, 'standby.log'), '-w', '-o', serverOptions(standbyPort), 'start']);
    started.push(standbyDir);
  } catch (error) {
    stopAll();
    throw error;
  }

  const url = (port: number, database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const query = async <T>(port: number, sql: string, params: unknown[] = [], database = 'postgres'): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url(port, database) });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const primaryQuery = <T>(sql: string, params?: unknown[], database?: string) => query<T>(primaryPort, sql, params, database);
  const standbyQuery = <T>(sql: string, params?: unknown[], database?: string) => query<T>(standbyPort, sql, params, database);

  async function waitForReplay() {
    const [{ lsn }] = await primaryQuery<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
    for (;;) {
      const [{ done }] = await standbyQuery<{ done: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [lsn]);
      if (done) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  return {
    primaryPort,
    standbyPort,
    primaryQuery,
    standbyQuery,
    waitForReplay,
    async createDatabase() {
      const name = `kairos_r_${randomBytes(4).toString('hex')}`;
      await primaryQuery(`CREATE DATABASE ${name}`);
      await waitForReplay();
      return {
        name,
        url: url(primaryPort, name),
        readUrl: url(standbyPort, name),
        drop: async () => {
          await primaryQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        },
      };
    },
    standbyLog: () => readFileSync(join(dir, 'standby.log'), 'utf8'),
    async stop() {
      stopAll();
    },
  };
}
