import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { RecurrenceFrequency } from '../../meeting-types/domain/meeting-type.js';
import type { BookingStatus } from '../domain/booking-policy.js';
import type { SeriesFacts } from '../domain/recurrence.js';

export interface SeriesRow {
  id: string;
  meeting_type_id: string;
  frequency: RecurrenceFrequency;
  occurrences: number;
  duration_minutes: number;
  first_start: Date;
  time_zone: string;
  ical_uid: string;
}

/** One booking of a series: its place in the rule and the booking as it is now. */
export interface SeriesMemberRow {
  booking_id: string;
  position: number;
  start_time: Date;
  end_time: Date;
  status: BookingStatus;
  ical_sequence: number;
  rescheduled_to_id: string | null;
}

const SERIES_COLUMNS = 'id, meeting_type_id, frequency, occurrences, duration_minutes, first_start, time_zone, ical_uid';

/**
 * Recurring series (migration 1764000009400): a narrow row per series and one membership row per booking, keyed by
 * booking_keys, so the members of a series are found with one index read and each booking is then read by id and
 * start (its month partition only) rather than by probing every partition.
 */
@Injectable()
export class BookingSeriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(manager?: EntityManager) {
    return manager ?? this.dataSource.manager;
  }

  async insertSeries(
    manager: EntityManager,
    s: {
      meetingTypeId: string;
      frequency: RecurrenceFrequency;
      occurrences: number;
      durationMinutes: number;
      firstStart: Date;
      timeZone: string;
    },
  ): Promise<SeriesRow> {
    const [row] = await manager.query<[SeriesRow]>(
      `INSERT INTO booking_series (meeting_type_id, frequency, occurrences, duration_minutes, first_start, time_zone, ical_uid)
       VALUES ($1, $2, $3, $4, $5, $6, gen_random_uuid()::text || '@kairos') RETURNING ${SERIES_COLUMNS}`,
      [s.meetingTypeId, s.frequency, s.occurrences, s.durationMinutes, s.firstStart, s.timeZone],
    );
    return row;
  }

  async insertMembers(
    manager: EntityManager,
    seriesId: string,
    members: Array<{ bookingId: string; position: number; start: Date }>,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO booking_series_members (booking_id, series_id, position, start_time)
       SELECT unnest($2::uuid[]), $1, unnest($3::int[]), unnest($4::timestamptz[])`,
      [seriesId, members.map((m) => m.bookingId), members.map((m) => m.position), members.map((m) => m.start.toISOString())],
    );
  }

  /** A reschedule's new booking takes the old one's place in its series (nothing when the old one has none). */
  async follow(manager: EntityManager, fromBookingId: string, toBookingId: string, start: Date): Promise<void> {
    await manager.query(
      `INSERT INTO booking_series_members (booking_id, series_id, position, start_time)
       SELECT $2, series_id, position, $3 FROM booking_series_members WHERE booking_id = $1`,
      [fromBookingId, toBookingId, start],
    );
  }

  /** The series of each of these bookings that has one (booking id -> series id). */
  async seriesIdsOf(bookingIds: string[], manager?: EntityManager): Promise<Map<string, string>> {
    if (bookingIds.length === 0) return new Map();
    const rows = await this.m(manager).query<{ booking_id: string; series_id: string }[]>(
      `SELECT booking_id, series_id FROM booking_series_members WHERE booking_id = ANY($1::uuid[])`,
      [bookingIds],
    );
    return new Map(rows.map((r) => [r.booking_id, r.series_id]));
  }

  async findSeries(seriesIds: string[], manager?: EntityManager): Promise<SeriesRow[]> {
    if (seriesIds.length === 0) return [];
    return this.m(manager).query<SeriesRow[]>(`SELECT ${SERIES_COLUMNS} FROM booking_series WHERE id = ANY($1::uuid[])`, [seriesIds]);
  }

  /** Every booking of the series (rescheduled ones too: the chain of a moved occurrence), by position then start. */
  async findMembers(seriesId: string, manager?: EntityManager): Promise<SeriesMemberRow[]> {
    return (await this.findMembersOf([seriesId], manager)).get(seriesId) ?? [];
  }

  /**
   * The members of several series in two statements whatever their number (views of many bookings: feeds, mails).
   * The members' starts are given as values, so each booking is read from its own month partition.
   */
  async findMembersOf(seriesIds: string[], manager?: EntityManager): Promise<Map<string, SeriesMemberRow[]>> {
    const out = new Map<string, SeriesMemberRow[]>(seriesIds.map((id) => [id, []]));
    if (seriesIds.length === 0) return out;
    const m = this.m(manager);
    const members = await m.query<{ booking_id: string; series_id: string; position: number; start_time: string }[]>(
      `SELECT booking_id, series_id, position, start_time::text AS start_time FROM booking_series_members
        WHERE series_id = ANY($1::uuid[])`,
      [seriesIds],
    );
    if (members.length === 0) return out;
    const rows = await m.query<Omit<SeriesMemberRow, 'position'>[]>(
      `SELECT b.id AS booking_id, b.start_time, b.end_time, b.status, b.ical_sequence, b.rescheduled_to_id
         FROM bookings b WHERE b.id = ANY($1::uuid[]) AND b.start_time = ANY($2::timestamptz[])
       UNION ALL
       SELECT a.id, a.start_time, a.end_time, a.status, a.ical_sequence, a.rescheduled_to_id
         FROM bookings_archive a WHERE a.id = ANY($1::uuid[])`,
      [members.map((r) => r.booking_id), members.map((r) => r.start_time)],
    );
    const member = new Map(members.map((r) => [r.booking_id, r]));
    for (const r of rows) {
      const of = member.get(r.booking_id);
      if (of) out.get(of.series_id)?.push({ ...r, position: of.position });
    }
    for (const list of out.values()) {
      list.sort((a, b) => a.position - b.position || new Date(a.start_time).getTime() - new Date(b.start_time).getTime());
    }
    return out;
  }
}

/** The stored rows in the domain's terms (recurrence.ts). */
export function seriesFacts(row: SeriesRow, members: SeriesMemberRow[]): SeriesFacts {
  return {
    id: row.id,
    icalUid: row.ical_uid,
    frequency: row.frequency,
    count: row.occurrences,
    timeZone: row.time_zone,
    durationMinutes: row.duration_minutes,
    firstStart: new Date(row.first_start),
    members: members.map((m) => ({
      bookingId: m.booking_id,
      position: m.position,
      status: m.status,
      start: new Date(m.start_time),
      end: new Date(m.end_time),
      sequence: m.ical_sequence,
    })),
  };
}
