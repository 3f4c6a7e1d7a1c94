import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Occurrence } from '../domain/occurrence.js';

/** calendar_events_cache: busy ranges only (never titles). Read by availability; written only here. */
@Injectable()
export class EventsCacheRepository {
  constructor(private readonly dataSource: DataSource) {}

  async replaceCalendar(
    m: EntityManager,
    integrationId: string,
    userId: string,
    calendarId: string,
    occurrences: Occurrence[],
  ): Promise<number> {
    // A DELETE answers [rows, affected count]; the count may be missing (PGlite).
    const deleted = await m.query<[unknown[], number | undefined]>(
      `DELETE FROM calendar_events_cache WHERE calendar_integration_id = $1 AND calendar_id = $2`,
      [integrationId, calendarId],
    );
    await this.insert(m, integrationId, userId, calendarId, occurrences);
    return (deleted[1] ?? 0) + occurrences.length;
  }

  async replaceKeys(
    m: EntityManager,
    integrationId: string,
    userId: string,
    calendarId: string,
    keys: string[],
    occurrences: Occurrence[],
  ): Promise<void> {
    if (keys.length > 0) {
      await m.query(
        `DELETE FROM calendar_events_cache
          WHERE calendar_integration_id = $1 AND calendar_id = $2 AND external_event_id = ANY($3::varchar[])`,
        [integrationId, calendarId, keys],
      );
    }
    await this.insert(m, integrationId, userId, calendarId, occurrences);
  }

  async deleteCalendar(m: EntityManager, integrationId: string, calendarId: string): Promise<void> {
    await m.query(`DELETE FROM calendar_events_cache WHERE calendar_integration_id = $1 AND calendar_id = $2`, [integrationId, calendarId]);
  }

  private async insert(m: EntityManager, integrationId: string, userId: string, calendarId: string, occurrences: Occurrence[]) {
    // Deduplicate on the table's unique key (a provider may list one instance twice across pages).
    const unique = new Map<string, Occurrence>();
    for (const o of occurrences) unique.set(`${o.externalEventId}|${o.start.toISOString()}`, o);
    const rows = [...unique.values()];
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await m.query(
        `INSERT INTO calendar_events_cache
           (calendar_integration_id, user_id, calendar_id, external_event_id, start_time, end_time, is_all_day, is_busy, status)
         SELECT $1, $2, $3, e.id, e.s, e.e, e.a, e.b, e.st
           FROM unnest($4::varchar[], $5::timestamptz[], $6::timestamptz[], $7::boolean[], $8::boolean[], $9::varchar[])
                AS e(id, s, e, a, b, st)
         ON CONFLICT (calendar_integration_id, calendar_id, external_event_id, start_time)
         DO UPDATE SET end_time = EXCLUDED.end_time, is_all_day = EXCLUDED.is_all_day, is_busy = EXCLUDED.is_busy,
                       status = EXCLUDED.status, cached_at = now()`,
        [
          integrationId,
          userId,
          calendarId,
          chunk.map((o) => o.externalEventId),
          chunk.map((o) => o.start.toISOString()),
          chunk.map((o) => o.end.toISOString()),
          chunk.map((o) => o.allDay),
          chunk.map((o) => o.busy),
          chunk.map((o) => o.status),
        ],
      );
    }
  }

  /** For tests and diagnostics: the cached rows of a host. */
  list(userId: string) {
    return this.dataSource.query(
      `SELECT calendar_id, external_event_id, start_time, end_time, is_all_day, is_busy, status
         FROM calendar_events_cache WHERE user_id = $1 ORDER BY start_time`,
      [userId],
    );
  }
}
