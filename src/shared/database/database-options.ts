import { type DataSourceOptions } from 'typeorm';
import { migrations } from '../../../migrations/index.js';

/** `application_name` of the read-replica pool, so its sessions are told apart in pg_stat_activity. */
export const READ_APPLICATION_NAME = 'kairos-read';

/**
 * Options shared by the app and the TypeORM CLI. Never `synchronize`: the schema comes from reviewed migrations, which
 * the app runs at start under a lock (migrate-under-lock.ts) and the CLI runs when asked.
 */
export function baseDataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: poolSize, idleTimeoutMillis: 30_000 },
  };
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
