import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/clock/clock.js';
import { notFound } from '../../../shared/http/domain-error.js';
import { type MeetingTypeSnapshot, MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import type { EngineInput } from './availability-inputs.service.js';
import { type Explanation, type ExplainReason, explainStart } from '../domain/slot-explain.js';
import { ExplainReadsRepository } from '../infrastructure/explain-reads.repository.js';
import { AvailabilityInputsService } from './availability-inputs.service.js';
import { BusyTimeFreshness } from './busy-time-freshness.js';

/** Public callers learn what stands in the way, not whose meeting or which calendar: these codes lose their detail. */
const PRIVATE_CODES = new Set(['busy_booking', 'busy_calendar', 'pending_approval', 'held', 'buffer_before', 'buffer_after', 'time_off']);

/**
 * What an anonymous caller (the type's own booking page) may see: codes and generic messages, no host ids, no
 * intervals of other meetings, no calendar names; per-host reasons of a team type collapse to one per code.
 */
export function publicReasons(reasons: ExplainReason[]): ExplainReason[] {
  const out: ExplainReason[] = [];
  const seen = new Set<string>();
  for (const r of reasons) {
    const hidden = PRIVATE_CODES.has(r.code);
    const calendar = r.code === 'busy_calendar';
    const message = calendar ? 'the host is busy then' : r.message;
    const text: ExplainReason['text'] = calendar ? { name: 'busyPublic' } : r.text;
    const key = `${r.code}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const detail = hidden ? undefined : r.detail;
    out.push({ code: r.code, message, text, ...(detail ? { detail } : {}), ...(!hidden && r.interval ? { interval: r.interval } : {}) });
  }
  return out;
}

/**
 * Whether one start of a meeting type is bookable now, and why not: the booking re-check's inputs (primary, no
 * cache, calendars brought up to date the same way) through the same engine, so `bookable` is what a booking would
 * find, invitee-specific policies aside (max_active_bookings_per_invitee). The busy time carries its sources here
 * (bookings, pending ones, holds, calendars, time off, holidays) so a reason names which one blocks.
 */
@Injectable()
export class SlotExplainService {
  constructor(
    private readonly meetingTypes: MeetingTypesService,
    private readonly inputs: AvailabilityInputsService,
    private readonly freshness: BusyTimeFreshness,
    private readonly reads: ExplainReadsRepository,
    private readonly clock: Clock,
  ) {}

  /** The type (active), and whether `viewerId` may see full detail (its owner or one of its hosts). */
  async type(meetingTypeId: string, viewerId?: string): Promise<{ type: MeetingTypeSnapshot; full: boolean }> {
    const type = await this.meetingTypes.findSnapshot(meetingTypeId);
    if (!type || !type.isActive) throw notFound('meeting type');
    const full = viewerId !== undefined && (type.ownerId === viewerId || type.hosts.some((h) => h.userId === viewerId));
    return { type, full };
  }

  async explain(meetingTypeId: string, start: Date, viewerId?: string): Promise<Explanation & { durationMinutes: number }> {
    const { type, full } = await this.type(meetingTypeId, viewerId);
    const at = start.getTime();
    const [explanation] = await this.explainMany(type, [at], full);
    return { ...explanation, durationMinutes: type.durationMinutes };
  }

  /** Several starts of one type on one load of its inputs (the admin's day view), with full or public detail. */
  async explainMany(type: MeetingTypeSnapshot, starts: number[], full: boolean): Promise<Explanation[]> {
    if (starts.length === 0) return [];
    await this.freshness.refresh(type.hosts.map((h) => h.userId));
    const lo = Math.min(...starts);
    const hi = Math.max(...starts);
    const input: EngineInput = await this.inputs.load(type, { start: lo, end: hi + 1 }, this.clock.now(), {
      exclude: { sources: true },
    });
    const names = new Map<string, Promise<string | null>>();
    const out: Explanation[] = [];
    for (const at of starts) {
      const e = explainStart(input.hosts, input.query, at);
      if (!full) {
        out.push({ bookable: e.bookable, reasons: publicReasons(e.reasons) });
        continue;
      }
      for (const r of e.reasons) {
        if (r.code !== 'busy_calendar' || !r.interval) continue;
        const hostId = r.hostId ?? (type.hosts.length > 0 ? type.hosts[0].userId : type.ownerId);
        const key = `${hostId}:${r.interval.start}:${r.interval.end}`;
        if (!names.has(key)) names.set(key, this.reads.calendarName(hostId, r.interval.start, r.interval.end));
        const name = await names.get(key);
        if (name) {
          r.detail = { ...r.detail, calendar: name };
          r.message = `the host's calendar "${name}" has a busy event then`;
          r.text = { name: 'busyCalendarNamed', values: { calendar: name } };
        }
      }
      out.push(e);
    }
    return out;
  }
}
