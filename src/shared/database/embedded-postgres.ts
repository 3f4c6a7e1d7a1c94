import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { resolve } from 'node:path';

/** Extended-query messages that continue a unit of work: the session must not change hands until the Sync. */
const EXTENDED_QUERY_MESSAGES = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));

interface PendingMessage {
  connectionId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

/**
 * PGlite has one session; many pooled connections share it. This queue gives the session to one connection at a
 * time and keeps it there for a whole unit of work: an extended-query exchange up to its Sync (Parse/Bind/Execute of
 * two connections interleaved would overwrite each other's unnamed statement and portal), and a whole transaction
 * block (others' statements would otherwise run inside it). pglite-socket's own queue only does the second, which
 * broke under concurrent parameterised queries.
 */
export class SessionOwningQueue {
  private owner: number | null = null;
  private pending: PendingMessage[] = [];
  private running = false;

  constructor(private readonly db: PGlite) {}

  enqueue(connectionId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending.push({ connectionId, message, onData, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const index = this.owner === null ? 0 : this.pending.findIndex((p) => p.connectionId === this.owner);
        if (index < 0 || this.pending.length === 0) break;
        const [next] = this.pending.splice(index, 1);
        this.owner = next.connectionId;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(next.message, {
              onRawData: (data) => {
                bytes += data.length;
                next.onData(data);
              },
            }),
          );
          next.resolve(bytes);
        } catch (error) {
          next.reject(error);
        }
        if (!EXTENDED_QUERY_MESSAGES.has(next.message[0]) && !this.db.isInTransaction()) this.owner = null;
      }
    } finally {
      this.running = false;
    }
  }

  getQueueLength(): number {
    return this.pending.length;
  }

  clearQueueForHandler(connectionId: number): void {
    const dropped = this.pending.filter((p) => p.connectionId === connectionId);
    this.pending = this.pending.filter((p) => p.connectionId !== connectionId);
    for (const p of dropped) p.reject(new Error('connection closed'));
  }

  /** A connection went away: undo what it left open and hand the session on. */
  async clearTransactionIfNeeded(connectionId: number): Promise<void> {
    if (this.owner !== connectionId) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = null;
    await this.drain();
  }
}

/**
 * PostgreSQL in-process: PGlite (real PostgreSQL compiled to WASM) served over the wire protocol on a loopback port,
 * so the same `pg` driver, SQL, migrations and exclusion constraints run unchanged. For one instance only.
 */
export class EmbeddedPostgres {
  private db?: PGlite;
  private server?: Server;
  private readonly handlers = new Set<PGLiteSocketHandler>();

  constructor(private readonly dataDir: string) {}

  async start(): Promise<string> {
    const dir = resolve(this.dataDir, 'pg');
    mkdirSync(dir, { recursive: true });
    const db = await PGlite.create({ dataDir: dir, extensions: { btree_gist } });
    this.db = db;
    const queue = new SessionOwningQueue(db);
    const server = createServer((socket: Socket) => {
      // The handler only calls enqueue / clearQueueForHandler / clearTransactionIfNeeded on its queue.
      const options = { queryQueue: queue as unknown as PGLiteSocketHandlerOptions['queryQueue'], closeOnDetach: true };
      const handler = new PGLiteSocketHandler(options);
      this.handlers.add(handler);
      const forget = () => this.handlers.delete(handler);
      handler.addEventListener('close', forget);
      handler.addEventListener('error', forget);
      void handler.attach(socket).catch(() => socket.destroy());
    });
    this.server = server;
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(0, '127.0.0.1', () => ok());
    });
    const { port } = server.address() as AddressInfo;
    return `postgres://postgres@127.0.0.1:${port}/postgres`;
  }

  async stop(): Promise<void> {
    for (const handler of this.handlers) await handler.detach(true);
    this.handlers.clear();
    const server = this.server;
    if (server) await new Promise<void>((ok) => server.close(() => ok()));
    await this.db?.close();
    this.server = undefined;
    this.db = undefined;
  }
}
