import { Injectable } from '@nestjs/common';
import type { Problem } from '../../../shared/http/domain-error.js';

/** Why the hosts cannot have this kind of location (a message naming who lacks what); null when they all can. */
export type LocationRequirementCheck = (locationType: string, hostIds: string[]) => Promise<string | null>;

/**
 * A meeting type whose location makes a video link per booking needs every host to have the account that makes it
 * (a Google calendar receiving bookings for google_meet, a Microsoft one for microsoft_teams, a Zoom connection for
 * zoom). The contexts that know (calendar, conferencing) are downstream of this one, so they register their checks
 * at start-up, like TeamsService.onMemberLeaving; the save is refused with a problem naming `location.type`.
 */
@Injectable()
export class LocationRequirements {
  private readonly checks = new Map<string, LocationRequirementCheck>();

  register(locationTypes: string[], check: LocationRequirementCheck): void {
    for (const type of locationTypes) this.checks.set(type, check);
  }

  async problems(location: Record<string, unknown> | null, hostIds: string[]): Promise<Problem[]> {
    const type = typeof location?.type === 'string' ? location.type : null;
    const check = type ? this.checks.get(type) : undefined;
    if (!type || !check || hostIds.length === 0) return [];
    const missing = await check(type, [...new Set(hostIds)]);
    return missing ? [{ field: 'location.type', code: 'not_connected', message: missing }] : [];
  }
}
