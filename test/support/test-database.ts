import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TEST_ADMIN_DATABASE_URL } from './test-env.js';

export interface TestDatabase {
  url: string;
  name: string;
  /** The embedded database's DATA_DIR (a second instance shares its APP_SECRET). */
  dataDir?: string;
  drop(): Promise<void>;
}

/** A fresh, empty database per test file on the real PostgreSQL server; the app's migrations fill it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `kairos_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_ADMIN_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
