import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { initialCalendarUse } from '../domain/calendar-use.js';
import { CalendarSelectionEntity } from './calendar-selection.entity.js';
import type { CalendarTx } from './calendar-transactions.js';
import type { CalendarSyncState, RemoteCalendar } from './provider-adapter.js';

/** How the host changes one calendar's use; `fullSyncedAt: null` makes the next sync read it from scratch. */
export interface CalendarUseChange {
  isBusySource?: boolean;
  isDestination?: boolean;
  fullSyncedAt?: null;
}

/** calendar_selections: the calendars of each connection, what the host uses each for, and its sync state. */
@Injectable()
export class CalendarSelectionRepository {
  constructor(@InjectRepository(CalendarSelectionEntity) private readonly selections: Repository<CalendarSelectionEntity>) {}

  private repo(tx?: CalendarTx): Repository<CalendarSelectionEntity> {
    return tx ? tx.getRepository(CalendarSelectionEntity) : this.selections;
  }

  findById(id: string): Promise<CalendarSelectionEntity | null> {
    return this.selections.findOneBy({ id });
  }

  findCalendar(integrationId: string, calendarId: string): Promise<CalendarSelectionEntity | null> {
    return this.selections.findOneBy({ integrationId, calendarId });
  }

  /** The calendar that receives the host's bookings by default (at most one). */
  findDefaultDestination(userId: string): Promise<CalendarSelectionEntity | null> {
    return this.selections.findOneBy({ userId, isDestination: true });
  }

  listOfConnection(integrationId: string): Promise<CalendarSelectionEntity[]> {
    return this.selections.findBy({ integrationId });
  }

  /** As the host sees them: primary first, then by name. */
  listOfConnectionForDisplay(integrationId: string): Promise<CalendarSelectionEntity[]> {
    return this.selections.find({ where: { integrationId }, order: { isPrimary: 'DESC', name: 'ASC' } });
  }

  /** The calendars of these connections that can be written to, primary first, then by name. */
  listWritableOfConnections(integrationIds: string[]): Promise<CalendarSelectionEntity[]> {
    return this.selections.find({
      where: { integrationId: In(integrationIds), readOnly: false },
      order: { isPrimary: 'DESC', name: 'ASC' },
    });
  }

  /** The calendars the provider lists: known ones get their name and flags refreshed, new ones their initial use. */
  async upsertListed(tx: CalendarTx, connection: { id: string; userId: string }, calendars: RemoteCalendar[]): Promise<void> {
    const repo = this.repo(tx);
    const hasDestination = await repo.existsBy({ userId: connection.userId, isDestination: true });
    for (const c of calendars) {
      const existing = await repo.findOneBy({ integrationId: connection.id, calendarId: c.id });
      if (existing) {
        await repo.update(
          { id: existing.id },
          { name: c.name.slice(0, 255), timeZone: c.timeZone, isPrimary: c.primary, readOnly: c.readOnly },
        );
        continue;
      }
      await repo.save(
        repo.create({
          integrationId: connection.id,
          userId: connection.userId,
          calendarId: c.id,
          name: c.name.slice(0, 255),
          timeZone: c.timeZone,
          isPrimary: c.primary,
          readOnly: c.readOnly,
          ...initialCalendarUse(c, hasDestination),
        }),
      );
    }
  }

  /** The single read-only calendar of an ICS feed connection; it blocks time. */
  async addFeedCalendar(tx: CalendarTx, connection: { id: string; userId: string }, name: string): Promise<void> {
    const repo = this.repo(tx);
    await repo.save(
      repo.create({
        integrationId: connection.id,
        userId: connection.userId,
        calendarId: 'feed',
        name,
        isPrimary: true,
        readOnly: true,
        isBusySource: true,
      }),
    );
  }

  /** Read and unchanged since the last sync. */
  async markRead(id: string, at: Date): Promise<void> {
    await this.selections.update({ id }, { lastSyncedAt: at });
  }

  /** After applying a read: the provider's new sync state; a full read also moves `fullSyncedAt`. */
  async saveSyncState(tx: CalendarTx, id: string, state: Partial<CalendarSyncState>, at: Date, fullRead: boolean): Promise<void> {
    await this.repo(tx).update({ id }, { ...state, lastSyncedAt: at, ...(fullRead ? { fullSyncedAt: at } : {}) });
  }

  /** Before choosing a new default destination: the host has one at most. */
  async clearDefaultDestination(tx: CalendarTx, userId: string): Promise<void> {
    await this.repo(tx).update({ userId, isDestination: true }, { isDestination: false });
  }

  async changeUse(tx: CalendarTx, id: string, change: CalendarUseChange): Promise<void> {
    await this.repo(tx).update({ id }, change);
  }
}
