import { Injectable } from '@nestjs/common';
import { CalendarIntegrationRepository } from '../infrastructure/calendar-integration.repository.js';
import { CalendarSelectionRepository } from '../infrastructure/calendar-selection.repository.js';

const NEEDS: Partial<Record<string, { provider: string; label: string }>> = {
  google_meet: { provider: 'google', label: 'Google Meet needs a connected Google calendar' },
  microsoft_teams: { provider: 'microsoft', label: 'Microsoft Teams needs a connected Microsoft 365 calendar' },
};

/**
 * Google Meet and Teams meetings are made on the host's calendar event (CalendarEventWriter), so a meeting type may
 * use them only when its hosts' bookings land in a calendar of that provider. Registered with meeting-types'
 * LocationRequirements: the save is refused with a message rather than bookings silently going without a link.
 */
@Injectable()
export class MeetingCalendars {
  constructor(
    private readonly selections: CalendarSelectionRepository,
    private readonly integrations: CalendarIntegrationRepository,
  ) {}

  async lacking(locationType: string, hostIds: string[]): Promise<string | null> {
    const need = NEEDS[locationType];
    if (!need) return null;
    const missing: string[] = [];
    for (const hostId of hostIds) {
      const destination = await this.selections.findDefaultDestination(hostId);
      const integration = destination ? await this.integrations.findById(destination.integrationId) : null;
      if (integration?.provider !== need.provider || integration.status === 'broken') missing.push(hostId);
    }
    if (missing.length === 0) return null;
    const who = hostIds.length === 1 ? 'the host' : `hosts ${missing.join(', ')}`;
    return `${need.label} that receives bookings; ${who} ${missing.length === 1 && hostIds.length === 1 ? 'has' : 'have'} none (connect it under Integrations first)`;
  }
}
