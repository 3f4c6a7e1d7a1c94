import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/clock/clock.js';
import { BookingQueries } from '../../booking/application/booking-queries.service.js';
import { RoundRobinReportRepository } from '../infrastructure/round-robin-report.repository.js';
import { notFound } from '../../../shared/http/domain-error.js';
import { periodStart, type RoundRobinCandidate, simulateAssignments, targetShares } from '../../booking/domain/round-robin.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import type { MeetingTypeSnapshot } from '../../meeting-types/domain/meeting-type.js';
import { TeamsService } from '../../teams/application/teams.service.js';

export interface RoundRobinHostReport {
  userId: string;
  name: string;
  weight: number;
  priority: number;
  fallback: boolean;
  maxBookingsPerPeriod: number | null;
  bookings: number;
  targetShare: number;
  actualShare: number;
}

export interface RoundRobinReport {
  type: MeetingTypeSnapshot;
  teamName: string;
  periodStart: Date;
  /** The zone the period is counted in (the type owner's). */
  timeZone: string;
  totalBookings: number;
  hosts: RoundRobinHostReport[];
  next: string[];
}

export const NEXT_DEFAULT = 10;
export const NEXT_MAX = 100;

/**
 * Target versus actual shares of a team's round-robin type, and the next assignments the current rules would make
 * (the booking command's own pure ranking, replayed with every host free). Team members only.
 */
@Injectable()
export class RoundRobinReportService {
  constructor(
    private readonly teams: TeamsService,
    private readonly meetingTypes: MeetingTypesService,
    private readonly repository: RoundRobinReportRepository,
    private readonly bookings: BookingQueries,
    private readonly clock: Clock,
  ) {}

  /** The team (members only, else 404) and its round-robin types. */
  async teamTypes(callerId: string, teamId: string): Promise<{ teamName: string; types: { id: string; name: string; ownerId: string }[] }> {
    const team = await this.teams.getForMember(callerId, teamId);
    return { teamName: team.team.name, types: await this.repository.teamTypes(teamId) };
  }

  async report(callerId: string, teamId: string, meetingTypeId: string, next = NEXT_DEFAULT): Promise<RoundRobinReport> {
    const team = await this.teams.getForMember(callerId, teamId); // 404 unless a member
    const type = await this.meetingTypes.findSnapshot(meetingTypeId);
    if (!type || type.teamId !== teamId || type.kind !== 'round_robin') throw notFound('round-robin meeting type of this team');
    const now = this.clock.now();
    const timeZone = await this.repository.timeZoneOf(type.ownerId);
    const start = periodStart(type.roundRobinPeriod, now, timeZone);
    const hostIds = type.hosts.map((h) => h.userId);
    const tallies = await this.bookings.roundRobinTallies(type.id, hostIds, start, new Date(start.getTime() - 31 * 86_400_000));
    const candidates: RoundRobinCandidate[] = type.hosts.map((h) => ({
      userId: h.userId,
      priority: h.priority,
      weight: h.weight,
      fallback: h.fallback,
      maxBookingsPerPeriod: h.maxBookingsPerPeriod,
      bookingsInPeriod: tallies.get(h.userId)?.count ?? 0,
      lastBookedAt: tallies.get(h.userId)?.last ?? null,
    }));
    const targets = targetShares(candidates);
    const total = candidates.reduce((s, c) => s + c.bookingsInPeriod, 0);
    const names = new Map((team.members ?? []).map((m) => [m.userId, m.name]));
    return {
      type,
      teamName: team.team.name,
      periodStart: start,
      timeZone,
      totalBookings: total,
      hosts: candidates.map((c) => ({
        userId: c.userId,
        name: names.get(c.userId) ?? '',
        weight: c.weight,
        priority: c.priority,
        fallback: c.fallback ?? false,
        maxBookingsPerPeriod: c.maxBookingsPerPeriod ?? null,
        bookings: c.bookingsInPeriod,
        targetShare: targets.get(c.userId) ?? 0,
        actualShare: total === 0 ? 0 : c.bookingsInPeriod / total,
      })),
      next: simulateAssignments(candidates, next, now.getTime()),
    };
  }
}
