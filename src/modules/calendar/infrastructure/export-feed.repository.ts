import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface StoredExportFeed {
  tokenEnc: string;
  rotatedAt: Date;
}

/** calendar_export_feeds: one private feed token per host, stored hashed (lookup) and encrypted (shown again). */
@Injectable()
export class ExportFeedRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findOfHost(userId: string): Promise<StoredExportFeed | null> {
    const rows = await this.dataSource.query<Array<{ token_enc: string; rotated_at: Date | string }>>(
      `SELECT token_enc, rotated_at FROM calendar_export_feeds WHERE user_id = $1`,
      [userId],
    );
    const row = rows.at(0);
    return row ? { tokenEnc: row.token_enc, rotatedAt: new Date(row.rotated_at) } : null;
  }

  async findHostByTokenHash(tokenHash: string): Promise<string | null> {
    const rows = await this.dataSource.query<Array<{ user_id: string }>>(
      `SELECT user_id FROM calendar_export_feeds WHERE token_hash = $1`,
      [tokenHash],
    );
    return rows.at(0)?.user_id ?? null;
  }

  /** Creates the host's feed unless one exists (a concurrent request may have created it first). */
  async createIfAbsent(userId: string, tokenHash: string, tokenEnc: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO calendar_export_feeds (user_id, token_hash, token_enc, created_at, rotated_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (user_id) DO NOTHING`,
      [userId, tokenHash, tokenEnc, now],
    );
  }

  /** Sets the host's feed token, replacing any previous one. */
  async replaceToken(userId: string, tokenHash: string, tokenEnc: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO calendar_export_feeds (user_id, token_hash, token_enc, created_at, rotated_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, token_enc = EXCLUDED.token_enc, rotated_at = EXCLUDED.rotated_at`,
      [userId, tokenHash, tokenEnc, now],
    );
  }
}
