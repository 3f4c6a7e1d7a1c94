import { type DataSourceOptions } from 'typeorm';
import { migrations } from '../../../migrations/index.js';

/** Options shared by the app and the TypeORM CLI. Never `synchronize`: the schema comes from reviewed migrations. */
export function baseDataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: poolSize, idleTimeoutMillis: 30_000 },
  };
}
