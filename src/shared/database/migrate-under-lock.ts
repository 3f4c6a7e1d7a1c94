import type { DataSource } from 'typeorm';

/** Session advisory lock every replica takes before migrating ("kms", migrations). */
const MIGRATION_LOCK = [0x6b6d73, 1] as const;

/**
 * Runs pending migrations one replica at a time: TypeORM's own `migrationsRun` takes no lock, so replicas started
 * together would each see a migration as pending and run it (the second fails on "already exists", or worse, a data
 * migration runs twice). The lock is held on a connection of its own for the whole run; a replica that waited finds
 * nothing pending and goes on. Returns the names of the migrations this replica ran.
 */
export async function migrateUnderLock(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner('master');
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
    try {
      const ran = await dataSource.runMigrations({ transaction: 'each' });
      return ran.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
