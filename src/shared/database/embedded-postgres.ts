import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * PostgreSQL in-process: PGlite (real PostgreSQL compiled to WASM) served over the wire protocol on a loopback port,
 * so the same `pg` driver, SQL, migrations and exclusion constraints run unchanged. For one instance only.
 */
export class EmbeddedPostgres {
  private db?: PGlite;
  private server?: PGLiteSocketServer;

  constructor(private readonly dataDir: string) {}

  async start(): Promise<string> {
    const dir = resolve(this.dataDir, 'pg');
    mkdirSync(dir, { recursive: true });
    this.db = await PGlite.create({ dataDir: dir, extensions: { btree_gist } });
    // The socket server multiplexes connections and keeps each open transaction on its own connection.
    this.server = new PGLiteSocketServer({ db: this.db, host: '127.0.0.1', port: 0, maxConnections: 64 });
    await this.server.start();
    return `postgres://postgres@${this.server.getServerConn()}/postgres`;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    await this.db?.close();
    this.server = undefined;
    this.db = undefined;
  }
}
