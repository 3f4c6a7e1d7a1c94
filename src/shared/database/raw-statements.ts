import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient, QueryConfig, QueryResultRow } from 'pg';
import { DataSource, type EntityManager, QueryRunnerAlreadyReleasedError } from 'typeorm';

/** A hot-path statement: `name` makes it a named (prepared) statement where the server allows it. */
export interface RawStatement {
  name?: string;
  text: string;
}

/**
 * Hot-path reads as plain `pg` queries on TypeORM's own pools and sessions, without TypeORM's per-query work (query
 * runner, logger and broadcaster calls, result wrapping). On `manager`'s connection when it has one (a transaction,
 * a read-replica session), else on a connection of the primary pool. Errors are pg's own (`code` is the SQLSTATE;
 * pg-errors.ts reads both forms).
 *
 * Named statements are parsed once per connection (pg remembers which of its connections know a name), and planned
 * once when PostgreSQL settles on a generic plan (after five executions, if not costlier than the custom ones),
 * except on the embedded database: there every pooled connection shares PGlite's single session
 * (embedded-postgres.ts), so a name one connection prepared already exists when the next tries to prepare it (42P05).
 * There statements run unnamed, parameterised as before. The first connection used is asked which server it is.
 */
@Injectable()
export class RawStatements {
  /** Whether the server takes named statements; unknown until the first connection is asked. */
  private named?: boolean;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async rows<T extends QueryResultRow>(statement: RawStatement, values: unknown[], manager?: EntityManager): Promise<T[]> {
    const runner = manager?.queryRunner;
    if (runner) {
      if (runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
      return this.run<T>((await runner.connect()) as PoolClient, statement, values);
    }
    const client = await this.pool().connect();
    try {
      return await this.run<T>(client, statement, values);
    } finally {
      client.release(); // a connection that failed is dropped by the pool (not queryable), not reused
    }
  }

  private async run<T extends QueryResultRow>(client: PoolClient, statement: RawStatement, values: unknown[]): Promise<T[]> {
    // Asked on the connection in hand: another one, taken from inside a transaction, could wait on a full pool.
    if (statement.name !== undefined && this.named === undefined) {
      const { rows } = await client.query<{ version: string }>('SELECT version() AS version');
      this.named = !/PGlite|emscripten/i.test(rows[0].version);
    }
    const config: QueryConfig =
      this.named && statement.name ? { name: statement.name, text: statement.text, values } : { text: statement.text, values };
    return (await client.query<T>(config)).rows;
  }

  private pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }
}
