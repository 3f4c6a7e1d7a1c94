import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface ZoomConnection {
  id: string;
  userId: string;
  accountId: string;
  accountEmail: string | null;
  accessTokenEnc: string;
  refreshTokenEnc: string | null;
  tokenExpiresAt: Date;
  status: 'active' | 'broken';
  lastError: string | null;
  createdAt: Date;
}

interface Row {
  id: string;
  user_id: string;
  account_id: string;
  account_email: string | null;
  access_token_enc: string;
  refresh_token_enc: string | null;
  token_expires_at: Date;
  status: 'active' | 'broken';
  last_error: string | null;
  created_at: Date;
}

const toConnection = (r: Row): ZoomConnection => ({
  id: r.id,
  userId: r.user_id,
  accountId: r.account_id,
  accountEmail: r.account_email,
  accessTokenEnc: r.access_token_enc,
  refreshTokenEnc: r.refresh_token_enc,
  tokenExpiresAt: new Date(r.token_expires_at),
  status: r.status,
  lastError: r.last_error,
  createdAt: new Date(r.created_at),
});

/** conferencing_connections: one Zoom connection per host, tokens encrypted by the caller (SecretCipher). */
@Injectable()
export class ZoomConnectionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findOfUser(userId: string): Promise<ZoomConnection | null> {
    const rows = await this.dataSource.query<Row[]>(`SELECT * FROM conferencing_connections WHERE user_id = $1 AND provider = 'zoom'`, [
      userId,
    ]);
    return rows.at(0) ? toConnection(rows[0]) : null;
  }

  async countActiveOf(userIds: string[]): Promise<Set<string>> {
    const rows = await this.dataSource.query<{ user_id: string }[]>(
      `SELECT user_id FROM conferencing_connections WHERE user_id = ANY($1::uuid[]) AND provider = 'zoom' AND status = 'active'`,
      [userIds],
    );
    return new Set(rows.map((r) => r.user_id));
  }

  /** Connecting again replaces the tokens (and mends a broken connection). */
  async upsert(c: Pick<ZoomConnection, 'userId' | 'accountId' | 'accountEmail' | 'accessTokenEnc' | 'refreshTokenEnc' | 'tokenExpiresAt'>) {
    const [row] = await this.dataSource.query<Row[]>(
      `INSERT INTO conferencing_connections (user_id, provider, account_id, account_email, access_token_enc, refresh_token_enc, token_expires_at)
       VALUES ($1, 'zoom', $2, $3, $4, $5, $6)
       ON CONFLICT (user_id, provider) DO UPDATE SET account_id = EXCLUDED.account_id, account_email = EXCLUDED.account_email,
              access_token_enc = EXCLUDED.access_token_enc, refresh_token_enc = EXCLUDED.refresh_token_enc,
              token_expires_at = EXCLUDED.token_expires_at, status = 'active', last_error = NULL, updated_at = now()
       RETURNING *`,
      [c.userId, c.accountId, c.accountEmail, c.accessTokenEnc, c.refreshTokenEnc, c.tokenExpiresAt],
    );
    return toConnection(row);
  }

  async saveTokens(id: string, accessTokenEnc: string, refreshTokenEnc: string | null, expiresAt: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE conferencing_connections SET access_token_enc = $2, refresh_token_enc = COALESCE($3, refresh_token_enc),
              token_expires_at = $4, updated_at = now() WHERE id = $1`,
      [id, accessTokenEnc, refreshTokenEnc, expiresAt],
    );
  }

  async markBroken(id: string, message: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE conferencing_connections SET status = 'broken', last_error = $2, updated_at = now() WHERE id = $1`,
      [id, message],
    );
  }

  async deleteOfUser(userId: string): Promise<boolean> {
    const [, count] = await this.dataSource.query<[unknown[], number]>(
      `DELETE FROM conferencing_connections WHERE user_id = $1 AND provider = 'zoom'`,
      [userId],
    );
    return count > 0;
  }
}
