import { Injectable } from '@nestjs/common';
import { RawStatements } from '../../../shared/database/raw-statements.js';

/**
 * What the explain path reads beyond the engine's inputs: the names of the calendars whose busy events block a
 * time (the selection's name, else the account), never an event's title (the cache does not keep titles at all).
 */
@Injectable()
export class ExplainReadsRepository {
  constructor(private readonly statements: RawStatements) {}

  /** The calendar a host's busy event over exactly [start, end) comes from, or null when none is cached. */
  async calendarName(userId: string, start: number, end: number): Promise<string | null> {
    const rows = await this.statements.rows<{ name: string }>(
      {
        text: `SELECT COALESCE(NULLIF(s.name, ''), NULLIF(i.account_email, ''), i.provider) AS name
                 FROM calendar_events_cache c
                 JOIN calendar_integrations i ON i.id = c.calendar_integration_id
                 LEFT JOIN calendar_selections s ON s.integration_id = c.calendar_integration_id AND s.calendar_id = c.calendar_id
                WHERE c.user_id = $1 AND c.is_busy AND c.status <> 'cancelled' AND c.start_time = $2 AND c.end_time = $3
                ORDER BY 1 LIMIT 1`,
      },
      [userId, new Date(start), new Date(end)],
    );
    return rows[0]?.name ?? null;
  }
}
