import { Global, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { baseDataSourceOptions, withReadReplica } from './database-options.js';
import { EmbeddedPostgres } from './embedded-postgres.js';
import { migrateUnderLock } from './migrate-under-lock.js';
import { RawStatements } from './raw-statements.js';
import { ReadReplica } from './read-replica.js';

/** Starts the embedded PostgreSQL when DATABASE_URL is unset, and stops it after the pool has closed. */
@Injectable()
export class DatabaseUrlProvider implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private embedded?: EmbeddedPostgres;
  private url?: Promise<string>;

  constructor(private readonly config: AppConfig) {}

  resolve(): Promise<string> {
    if (!this.url) {
      if (this.config.databaseUrl) {
        this.url = Promise.resolve(this.config.databaseUrl);
      } else {
        this.embedded = new EmbeddedPostgres(this.config.dataDir);
        this.logger.log(`DATABASE_URL is unset: starting embedded PostgreSQL (PGlite) in ${this.config.dataDir}`);
        this.url = this.embedded.start();
      }
    }
    return this.url;
  }

  get isEmbedded(): boolean {
    return this.embedded !== undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.stop();
  }
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      extraProviders: [DatabaseUrlProvider],
      inject: [AppConfig, DatabaseUrlProvider],
      useFactory: async (config: AppConfig, urls: DatabaseUrlProvider) => {
        const options = baseDataSourceOptions(
          await urls.resolve(),
          urls.isEmbedded ? 8 : config.databasePoolSize,
          urls.isEmbedded ? 0 : config.databaseConnectTimeoutMs, // 0: none (PGlite runs in this process)
        );
        // DATABASE_READ_URL requires DATABASE_URL (env validation), so the embedded database never has a replica.
        const readUrl = urls.isEmbedded ? undefined : config.databaseReadUrl;
        return { ...(readUrl ? withReadReplica(options, readUrl) : options), autoLoadEntities: true };
      },
      dataSourceFactory: async (options?: DataSourceOptions) => {
        if (!options) throw new Error('no database options');
        const dataSource = await new DataSource(options).initialize();
        try {
          await migrateUnderLock(dataSource);
        } catch (e) {
          await dataSource.destroy(); // TypeOrmModule retries with a new data source: do not leave this pool open
          throw e;
        }
        return dataSource;
      },
    }),
  ],
  providers: [ReadReplica, RawStatements],
  exports: [ReadReplica, RawStatements],
})
export class DatabaseModule {}
