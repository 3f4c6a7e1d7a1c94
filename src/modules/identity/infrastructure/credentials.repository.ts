import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PG_UNIQUE_VIOLATION, sqlState } from '../../../shared/database/pg-errors.js';

/**
 * The SQL of sign-in state: token generations (users.session_version), admin sessions, password-reset tokens and the
 * linked Google account (users.google_subject).
 * Secrets arrive here already hashed (SHA-256 of 32 random bytes): nothing stored can be replayed.
 */
@Injectable()
export class CredentialsRepository {
  constructor(private readonly db: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  private q(m?: EntityManager) {
    return m ?? this.db.manager;
  }

  /** The user's current generation, or null when the account no longer exists. */
  async sessionVersionOf(userId: string): Promise<number | null> {
    const rows: { v: number }[] = await this.db.query(`SELECT session_version AS v FROM users WHERE id = $1`, [userId]);
    return rows[0] ? rows[0].v : null;
  }

  /** Revokes every access token and admin session issued so far: bumps the generation, marks the sessions revoked. */
  async revokeEverything(userId: string, now: Date, m?: EntityManager): Promise<void> {
    await this.q(m).query(`UPDATE users SET session_version = session_version + 1 WHERE id = $1`, [userId]);
    await this.q(m).query(`UPDATE user_sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [userId, now]);
  }

  /** The address is proven (Google verified it); the first moment stays. */
  async markEmailVerified(userId: string, now: Date): Promise<void> {
    await this.db.query(`UPDATE users SET email_verified_at = $2 WHERE id = $1 AND email_verified_at IS NULL`, [userId, now]);
  }

  /** The address is no longer proven (it changed): the admin asks to verify it again. */
  async clearEmailVerified(userId: string, m?: EntityManager): Promise<void> {
    await this.q(m).query(`UPDATE users SET email_verified_at = NULL WHERE id = $1`, [userId]);
  }

  async setPasswordHash(userId: string, passwordHash: string, m?: EntityManager): Promise<void> {
    await this.q(m).query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [userId, passwordHash]);
  }

  /** A session at the user's current generation. */
  async insertSession(userId: string, tokenHash: string, expiresAt: Date, now: Date): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO user_sessions (user_id, token_hash, session_version, created_at, expires_at)
       SELECT id, $2, session_version, $3, $4 FROM users WHERE id = $1 RETURNING id`,
      [userId, tokenHash, now, expiresAt],
    );
    return rows.length === 1;
  }

  /** The user of a live session: not revoked, not expired, of the user's current generation. */
  async userOfSession(tokenHash: string, now: Date): Promise<string | null> {
    const rows: { user_id: string }[] = await this.db.query(
      `SELECT s.user_id FROM user_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND s.session_version = u.session_version`,
      [tokenHash, now],
    );
    return rows[0]?.user_id ?? null;
  }

  async revokeSession(tokenHash: string, now: Date): Promise<void> {
    await this.db.query(`UPDATE user_sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL`, [tokenHash, now]);
    // Housekeeping while we are here: expired rows serve no one.
    await this.db.query(`DELETE FROM user_sessions WHERE expires_at < $1`, [now]);
  }

  /** The host linked to a Google account (its `sub`), or null. */
  async userOfGoogleSubject(subject: string): Promise<string | null> {
    const rows: { id: string }[] = await this.db.query(`SELECT id FROM users WHERE google_subject = $1`, [subject]);
    return rows[0]?.id ?? null;
  }

  /** The Google account linked to a host, or null. */
  async googleSubjectOf(userId: string): Promise<string | null> {
    const rows: { google_subject: string | null }[] = await this.db.query(`SELECT google_subject FROM users WHERE id = $1`, [userId]);
    return rows[0]?.google_subject ?? null;
  }

  /**
   * Links a Google account to a host that has none yet; false when the host is already linked (to any account) or
   * the Google account is linked to another host (the unique index), so a link is never silently replaced.
   */
  async linkGoogleSubject(userId: string, subject: string): Promise<boolean> {
    try {
      const rows = rowsOf<{ id: string }>(
        await this.db.query(
          `UPDATE users SET google_subject = $2, updated_at = now() WHERE id = $1 AND google_subject IS NULL RETURNING id`,
          [userId, subject],
        ),
      );
      return rows.length === 1;
    } catch (error) {
      if (sqlState(error) === PG_UNIQUE_VIOLATION) return false;
      throw error;
    }
  }

  async insertPasswordReset(userId: string, tokenHash: string, expiresAt: Date, now: Date): Promise<void> {
    await this.db.query(`INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)`, [
      userId,
      tokenHash,
      now,
      expiresAt,
    ]);
  }

  /** The owner of a live (unused, unexpired) reset token; nothing is consumed. */
  async userOfPasswordReset(tokenHash: string, now: Date): Promise<string | null> {
    const rows: { user_id: string }[] = await this.db.query(
      `SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`,
      [tokenHash, now],
    );
    return rows[0]?.user_id ?? null;
  }

  /**
   * Consumes a live reset token atomically (one UPDATE ... RETURNING: two concurrent uses cannot both win) and
   * retires the user's other outstanding tokens. Returns the user, or null when the token was not live.
   */
  async consumePasswordReset(m: EntityManager, tokenHash: string, now: Date): Promise<string | null> {
    const rows = rowsOf<{ user_id: string }>(
      await m.query(
        `UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id`,
        [tokenHash, now],
      ),
    );
    const userId = rows[0]?.user_id ?? null;
    if (userId) await m.query(`UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`, [userId, now]);
    return userId;
  }
}

/** Email verification links (email_verifications), like password resets: stored hashed, expiring, used once. */
@Injectable()
export class EmailVerificationsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(userId: string, email: string, tokenHash: string, expiresAt: Date, now: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO email_verifications (user_id, email, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [userId, email, tokenHash, now, expiresAt],
    );
  }

  /** Whether a link is live (unused, unexpired, for the address the account still has); nothing is consumed. */
  async isLive(tokenHash: string, now: Date): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM email_verifications v JOIN users u ON u.id = v.user_id AND lower(u.email) = lower(v.email)
        WHERE v.token_hash = $1 AND v.used_at IS NULL AND v.expires_at > $2`,
      [tokenHash, now],
    );
    return rows.length > 0;
  }

  /**
   * Uses a live link once: one UPDATE ... RETURNING takes it (two concurrent uses cannot both win), and in the same
   * transaction the account is marked verified when it still has the address the link was sent to. Returns the user
   * verified, or null when the link was unknown, used, expired or for an address the account no longer has.
   */
  consume(tokenHash: string, now: Date): Promise<string | null> {
    return this.db.transaction(async (m) => {
      const rows = rowsOf<{ user_id: string; email: string }>(
        await m.query(
          `UPDATE email_verifications SET used_at = $2
            WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id, email`,
          [tokenHash, now],
        ),
      );
      if (!rows[0]) return null;
      const verified = rowsOf<{ id: string }>(
        await m.query(
          `UPDATE users SET email_verified_at = coalesce(email_verified_at, $3)
            WHERE id = $1 AND lower(email) = lower($2) RETURNING id`,
          [rows[0].user_id, rows[0].email, now],
        ),
      );
      if (!verified[0]) return null;
      await m.query(`UPDATE email_verifications SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`, [rows[0].user_id, now]);
      return rows[0].user_id;
    });
  }
}

/** TypeORM answers UPDATE ... RETURNING with [rows, count] and SELECT/INSERT with rows. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
