import { Injectable } from '@nestjs/common';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { invalid } from '../../../shared/http/domain-error.js';
import { type CalendarUseChange, CalendarSelectionRepository } from '../infrastructure/calendar-selection.repository.js';
import { CalendarTransactions } from '../infrastructure/calendar-transactions.js';
import { EventsCacheRepository } from '../infrastructure/events-cache.repository.js';
import { CalendarConnections } from './calendar-connections.service.js';
import { CalendarPush } from './calendar-push.service.js';
import { CalendarSources } from './calendar-sources.service.js';
import { CalendarSyncService } from './calendar-sync.service.js';
import { type CalendarChoice, type CalendarView, toCalendarView } from './calendar-views.js';

/** The calendars of a connection and what the host uses each for: blocking availability, receiving bookings. */
@Injectable()
export class CalendarChoices {
  constructor(
    private readonly connections: CalendarConnections,
    private readonly selections: CalendarSelectionRepository,
    private readonly transactions: CalendarTransactions,
    private readonly cache: EventsCacheRepository,
    private readonly sources: CalendarSources,
    private readonly sync: CalendarSyncService,
    private readonly push: CalendarPush,
    private readonly versions: AvailabilityVersions,
  ) {}

  async calendars(userId: string, id: string): Promise<CalendarView[]> {
    await this.connections.get(userId, id);
    return (await this.selections.listOfConnectionForDisplay(id)).map(toCalendarView);
  }

  /** Whether calendars of this kind of connection can receive bookings (Google, Microsoft and CalDAV; not ICS feeds). */
  canReceiveBookings(provider: string): boolean {
    return this.sources.canWrite(provider);
  }

  /** Chooses which calendars block availability and which one receives bookings (at most one per host). */
  async chooseCalendars(userId: string, id: string, choices: CalendarChoice[]): Promise<CalendarView[]> {
    const integration = await this.connections.get(userId, id);
    const current = await this.selections.listOfConnection(id);
    const byId = new Map(current.map((s) => [s.calendarId, s]));
    const chosen = choices.map((choice) => {
      const selection = byId.get(choice.calendar_id);
      if (!selection) throw invalid(`calendar_id ${JSON.stringify(choice.calendar_id)} is not a calendar of this connection`);
      return { choice, selection };
    });
    const destinations = chosen.filter((c) => c.choice.is_destination);
    if (destinations.length > 1) throw invalid('only one calendar can receive new bookings (is_destination)');
    const dest = destinations.length ? destinations[0].selection : null;
    if (dest?.readOnly) throw invalid(`calendar ${JSON.stringify(dest.name)} is read-only and cannot receive bookings`);
    if (dest && !this.sources.canWrite(integration.provider)) {
      throw invalid(`${integration.provider} calendars are read-only and cannot receive bookings`);
    }
    const dropped: string[] = [];
    await this.transactions.run(async (tx) => {
      if (dest) await this.selections.clearDefaultDestination(tx, userId);
      for (const { choice, selection: s } of chosen) {
        const change: CalendarUseChange = {};
        if (choice.is_busy_source !== undefined) change.isBusySource = choice.is_busy_source;
        if (choice.is_destination !== undefined) change.isDestination = choice.is_destination;
        if (choice.is_busy_source === false && s.isBusySource) {
          dropped.push(s.calendarId);
          await this.cache.deleteCalendar(tx, id, s.calendarId);
        }
        if (choice.is_busy_source === true && !s.isBusySource) change.fullSyncedAt = null; // read it from scratch
        if (Object.keys(change).length) await this.selections.changeUse(tx, s.id, change);
      }
    });
    if (dropped.length) await this.versions.bump([userId]);
    if (choices.some((c) => c.is_busy_source)) await this.sync.syncIntegration(id, { wait: true });
    await this.push.ensureChannels(id).catch(() => undefined);
    return this.calendars(userId, id);
  }
}
