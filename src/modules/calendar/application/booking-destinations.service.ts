import { Injectable } from '@nestjs/common';
import { invalid, notFound } from '../../../shared/http/domain-error.js';
import { CalendarSelectionRepository } from '../infrastructure/calendar-selection.repository.js';
import { DestinationOverrideRepository } from '../infrastructure/destination-override.repository.js';
import { CalendarConnections } from './calendar-connections.service.js';
import { CalendarSources } from './calendar-sources.service.js';
import { type CalendarConnectionView, type CalendarView, toCalendarView } from './calendar-views.js';

/** A calendar of one of the host's connections. */
export interface DestinationChoice {
  integration_id: string;
  calendar_id: string;
}

/** Which calendar receives a host's bookings: per meeting type, overriding the host's default destination. */
@Injectable()
export class BookingDestinations {
  constructor(
    private readonly connections: CalendarConnections,
    private readonly selections: CalendarSelectionRepository,
    private readonly overrides: DestinationOverrideRepository,
    private readonly sources: CalendarSources,
  ) {}

  /** Every calendar of the host's connections that can receive bookings, connection by connection. */
  async writableCalendars(userId: string): Promise<Array<{ integration: CalendarConnectionView; calendar: CalendarView }>> {
    const integrations = (await this.connections.list(userId)).filter((i) => this.sources.canWrite(i.provider));
    if (integrations.length === 0) return [];
    const calendars = (await this.selections.listWritableOfConnections(integrations.map((i) => i.id))).map(toCalendarView);
    return integrations.flatMap((integration) =>
      calendars.filter((c) => c.integrationId === integration.id).map((calendar) => ({ integration, calendar })),
    );
  }

  /** The calendar this host's bookings of the meeting type go to, or null when the host's default destination applies. */
  async meetingTypeDestination(userId: string, meetingTypeId: string): Promise<CalendarView | null> {
    await this.assertMeetingTypeVisible(userId, meetingTypeId);
    const selectionId = await this.overrides.findSelectionId(meetingTypeId, userId);
    const selection = selectionId ? await this.selections.findById(selectionId) : null;
    return selection ? toCalendarView(selection) : null;
  }

  /** Per meeting type: the calendar that receives its bookings for this host (null clears the override). */
  async setMeetingTypeDestination(userId: string, meetingTypeId: string, choice: DestinationChoice): Promise<CalendarView>;
  async setMeetingTypeDestination(userId: string, meetingTypeId: string, choice: DestinationChoice | null): Promise<CalendarView | null>;
  async setMeetingTypeDestination(userId: string, meetingTypeId: string, choice: DestinationChoice | null): Promise<CalendarView | null> {
    await this.assertMeetingTypeVisible(userId, meetingTypeId);
    if (!choice) {
      await this.overrides.clear(meetingTypeId, userId);
      return null;
    }
    const integration = await this.connections.get(userId, choice.integration_id);
    const selection = await this.selections.findCalendar(choice.integration_id, choice.calendar_id);
    if (!selection) throw invalid('calendar_id is not a calendar of this connection');
    if (selection.readOnly || !this.sources.canWrite(integration.provider))
      throw invalid('that calendar is read-only and cannot receive bookings');
    await this.overrides.set(meetingTypeId, userId, selection.id);
    return toCalendarView(selection);
  }

  /** The owner of the meeting type or one of its hosts; anyone else gets 404. */
  private async assertMeetingTypeVisible(userId: string, meetingTypeId: string): Promise<void> {
    if (!(await this.overrides.isMeetingTypeOfHost(meetingTypeId, userId))) throw notFound('meeting type');
  }
}
