import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CalendarIntegrationEntity } from './calendar-integration.entity.js';
import type { CalendarTx } from './calendar-transactions.js';

/** The encrypted token columns (never selected by default). */
export interface EncryptedTokens {
  accessTokenEnc: string;
  refreshTokenEnc: string | null;
  tokenExpiresAt: Date | null;
}

/** calendar_integrations: a host's connected accounts and feeds, their health, and their (encrypted) secrets. */
@Injectable()
export class CalendarIntegrationRepository {
  constructor(@InjectRepository(CalendarIntegrationEntity) private readonly integrations: Repository<CalendarIntegrationEntity>) {}

  private repo(tx?: CalendarTx): Repository<CalendarIntegrationEntity> {
    return tx ? tx.getRepository(CalendarIntegrationEntity) : this.integrations;
  }

  findById(id: string): Promise<CalendarIntegrationEntity | null> {
    return this.integrations.findOneBy({ id });
  }

  /** The host's own connection; null for anyone else's. */
  findOfHost(userId: string, id: string): Promise<CalendarIntegrationEntity | null> {
    return this.integrations.findOneBy({ id, userId });
  }

  /** The host's connections, oldest first. */
  listOfHost(userId: string): Promise<CalendarIntegrationEntity[]> {
    return this.integrations.find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  /** Active connections not backing off and last synced before `syncedBefore`, least recently synced first. */
  async findDueForPolling(now: Date, syncedBefore: Date, limit = 200): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.integrations.query(
      `SELECT id FROM calendar_integrations
        WHERE status = 'active' AND is_active
          AND (next_sync_at IS NULL OR next_sync_at <= $1)
          AND (last_synced_at IS NULL OR last_synced_at <= $2)
        ORDER BY last_synced_at NULLS FIRST LIMIT $3`,
      [now, syncedBefore, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * What on-demand sync needs of the hosts' active connections, in one statement: when each was last synced, when
   * the provider lets us sync again (Retry-After), and until when a push channel of it stays live (null: none).
   */
  async findSyncStateOfHosts(userIds: string[], now: Date): Promise<ConnectionSyncState[]> {
    const rows: Array<{ id: string; user_id: string; last_synced_at: Date | null; next_sync_at: Date | null; push_until: Date | null }> =
      await this.integrations.query(
        `SELECT i.id, i.user_id, i.last_synced_at, i.next_sync_at,
                (SELECT min(c.expires_at) FROM calendar_push_channels c WHERE c.integration_id = i.id AND c.expires_at > $2) AS push_until
           FROM calendar_integrations i
          WHERE i.user_id = ANY($1::uuid[]) AND i.status = 'active' AND i.is_active`,
        [userIds, now],
      );
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      lastSyncedAt: r.last_synced_at ? new Date(r.last_synced_at) : null,
      nextSyncAt: r.next_sync_at ? new Date(r.next_sync_at) : null,
      pushUntil: r.push_until ? new Date(r.push_until) : null,
    }));
  }

  /** The connection with its encrypted access and refresh tokens. */
  findWithTokens(id: string): Promise<CalendarIntegrationEntity | null> {
    return this.integrations
      .createQueryBuilder('i')
      .addSelect(['i.accessTokenEnc', 'i.refreshTokenEnc'])
      .where('i.id = :id', { id })
      .getOne();
  }

  /** The same, row-locked (FOR UPDATE) for a token refresh: one replica spends a refresh token at a time. */
  lockWithTokens(tx: CalendarTx, id: string): Promise<CalendarIntegrationEntity | null> {
    return this.repo(tx)
      .createQueryBuilder('i')
      .addSelect(['i.accessTokenEnc', 'i.refreshTokenEnc'])
      .where('i.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
  }

  async findEncryptedPassword(id: string): Promise<string | null> {
    const row = await this.integrations.createQueryBuilder('i').addSelect('i.passwordEnc').where('i.id = :id', { id }).getOne();
    return row?.passwordEnc ?? null;
  }

  /** An OAuth account the host connected before (row-locked, with its refresh token), to reconnect instead of duplicating. */
  lockOAuthAccount(tx: CalendarTx, userId: string, provider: string, externalAccountId: string): Promise<CalendarIntegrationEntity | null> {
    return this.repo(tx)
      .createQueryBuilder('i')
      .addSelect('i.refreshTokenEnc')
      .where('i.user_id = :userId AND i.provider = :provider AND i.external_account_id = :account', {
        userId,
        provider,
        account: externalAccountId,
      })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** A CalDAV account the host connected before (principal URLs compare case-insensitively), row-locked. */
  lockCaldavAccount(tx: CalendarTx, userId: string, principalUrl: string): Promise<CalendarIntegrationEntity | null> {
    return this.repo(tx)
      .createQueryBuilder('i')
      .where(`i.user_id = :userId AND i.provider = 'caldav' AND lower(i.external_account_id) = lower(:account)`, {
        userId,
        account: principalUrl,
      })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** Inserts a connection, or updates `existing` with `fields` (a reconnect). */
  store(
    tx: CalendarTx,
    existing: CalendarIntegrationEntity | null,
    fields: Partial<CalendarIntegrationEntity>,
  ): Promise<CalendarIntegrationEntity> {
    const repo = this.repo(tx);
    return repo.save(existing ? repo.merge(existing, fields) : repo.create(fields));
  }

  async saveTokens(tx: CalendarTx, id: string, tokens: EncryptedTokens): Promise<void> {
    await this.repo(tx).update({ id }, tokens);
  }

  /** Credentials refused for good: the host must reconnect. */
  async markBroken(id: string, message: string, at: Date, tx?: CalendarTx): Promise<void> {
    await this.repo(tx).update({ id }, { status: 'broken', lastError: message, lastErrorAt: at });
  }

  async recordSynced(id: string, at: Date): Promise<void> {
    await this.integrations.update({ id }, { lastSyncedAt: at, lastError: null, lastErrorAt: null, nextSyncAt: null });
  }

  /** The provider asked us to slow down: no sync before `nextSyncAt`. */
  async recordRateLimited(id: string, message: string, at: Date, nextSyncAt: Date): Promise<void> {
    await this.integrations.update({ id }, { lastError: message, lastErrorAt: at, nextSyncAt });
  }

  async recordSyncFailure(id: string, message: string, at: Date): Promise<void> {
    await this.integrations.update({ id }, { lastError: message, lastErrorAt: at });
  }

  setCancelBookingOnDelete(integration: CalendarIntegrationEntity, cancel: boolean): Promise<CalendarIntegrationEntity> {
    integration.cancelBookingOnDelete = cancel;
    return this.integrations.save(integration);
  }

  /** Removes the connection; its calendars, cached busy time and push channels go with it (ON DELETE CASCADE). */
  async delete(id: string): Promise<void> {
    await this.integrations.delete({ id });
  }
}

export interface ConnectionSyncState {
  id: string;
  userId: string;
  lastSyncedAt: Date | null;
  nextSyncAt: Date | null;
  /** The earliest expiry among the connection's live push channels; null when it has none. */
  pushUntil: Date | null;
}
