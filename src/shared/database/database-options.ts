import { Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { type DataSourceOptions } from 'typeorm';
import { migrations } from '../../../migrations/index.js';

/** `application_name` of the read-replica pool, so its sessions are told apart in pg_stat_activity. */
export const READ_APPLICATION_NAME = 'kairos-read';

/**
 * Options shared by the app and the TypeORM CLI. Never `synchronize`: the schema comes from reviewed migrations, which
 * the app runs at start under a lock (migrate-under-lock.ts) and the CLI runs when asked.
 */
export function baseDataSourceOptions(url: string, poolSize: number, connectTimeoutMs = 60_000): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: poolSize,
      idleTimeoutMillis: 30_000,
      // pg-pool's timeout covers connecting and waiting for a free connection; its error is a 503 (pg-errors.ts).
      connectionTimeoutMillis: connectTimeoutMs,
      onConnect: listenForConnectionErrors,
    },
  };
}

const logger = new Logger('Database');

/**
 * pg-pool listens for errors only on idle connections, and TypeORM only on its query runners' connections. A
 * connection checked out between two statements elsewhere (RawStatements' own checkout) that the server terminates
 * (57P01 on a restart) would emit an unhandled 'error' and end the process. With a listener for every connection's
 * life, the loss is logged; the next statement on it fails as "not queryable" (a 503) and the pool drops it.
 */
export function listenForConnectionErrors(client: PoolClient): void {
  client.on('error', (error: Error & { code?: string }) => {
    logger.warn(`PostgreSQL connection lost (${error.code ?? 'no code'}): ${error.message}`);
  });
}

/**
 * TypeORM's built-in replication: one pool on the primary, one on `readUrl`. `defaultMode: 'master'` keeps every
 * read on the primary (TypeORM's default would move all find() calls to the replica, read-after-write included);
 * only an explicit 'slave' query runner (ReadReplica) reaches the replica. Transactions always run on the primary.
 */
export function withReadReplica(options: DataSourceOptions, readUrl: string): DataSourceOptions {
  if (options.type !== 'postgres') throw new Error('read replicas need PostgreSQL');
  const { url, ...rest } = options;
  return {
    ...rest,
    replication: {
      master: { url },
      slaves: [{ url: readUrl, applicationName: READ_APPLICATION_NAME }],
      defaultMode: 'master',
    },
  };
}
