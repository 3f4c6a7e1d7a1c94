import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** The redaction marker that replaces erased personal data. */
export const ERASED = '[erased]';

/** Rows as PostgreSQL returns them: the export passes them through as they are. */
type Rows = Record<string, unknown>[];

/**
 * Data-subject requests read and erase across every context's tables, deliberately in one place: an export or an
 * erasure must see all of a person's data in one transaction, and each context adding a table adds it here (the
 * GDPR e2e test fails on personal data it cannot find). Secrets (password hash, token hashes, encrypted calendar
 * tokens, webhook secrets) are never exported.
 */
@Injectable()
export class PrivacyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Bookings a host may see: they host it, or they own its meeting type; archived ones too (ADR 0014). */
  private static readonly HOST_BOOKINGS = `
    SELECT b.id FROM bookings b WHERE b.host_user_id = $1
    UNION SELECT bh.booking_id FROM booking_hosts bh WHERE bh.user_id = $1 AND bh.booking_id IS NOT NULL
    UNION SELECT b.id FROM bookings b JOIN meeting_types mt ON mt.id = b.meeting_type_id WHERE mt.user_id = $1
    UNION SELECT a.id FROM bookings_archive a WHERE a.host_user_id = $1 OR a.host_ids @> ARRAY[$1::uuid]
    UNION SELECT a.id FROM bookings_archive a JOIN meeting_types mt ON mt.id = a.meeting_type_id WHERE mt.user_id = $1`;

  /** The columns bookings and bookings_archive share, named on both sides (a column added to bookings cannot shift them). */
  private static readonly ARCHIVE_COLUMNS = `id, meeting_type_id, host_user_id, start_time, end_time, time_zone, status, location,
    cancellation_reason, cancelled_by, rescheduled_from_id, rescheduled_to_id, assignment_reason, ical_uid, ical_sequence, created_at,
    updated_at`;

  async exportFor(userId: string): Promise<Record<string, unknown> | null> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const users = await m.query<Rows>(
        `SELECT id, email, name, username, time_zone, embed_origins, created_at, updated_at FROM users WHERE id = $1`,
        [userId],
      );
      const user = users.at(0);
      if (!user) return null;
      const q = (sql: string) => m.query<Rows>(sql, [userId]);
      const [apiKeys, teams, schedules, meetingTypes, integrations, selections, webhooks, bookings, audit, conferencing] =
        await Promise.all([
          q(`SELECT id, name, prefix, last_used_at, revoked_at, created_at FROM api_keys WHERE user_id = $1 ORDER BY created_at`),
          q(`SELECT t.id, t.name, tm.role, tm.joined_at FROM team_members tm JOIN teams t ON t.id = tm.team_id
            WHERE tm.user_id = $1 ORDER BY tm.joined_at`),
          q(`SELECT s.id, s.name, s.time_zone, s.is_default, s.created_at,
                  COALESCE((SELECT json_agg(json_build_object('day_of_week', r.day_of_week, 'start_time', to_char(r.start_time, 'HH24:MI'),
                     'end_time', to_char(r.end_time, 'HH24:MI')) ORDER BY r.day_of_week, r.start_time)
                     FROM availability_rules r WHERE r.schedule_id = s.id), '[]') AS rules,
                  COALESCE((SELECT json_agg(json_build_object('date', o.date, 'intervals', o.intervals) ORDER BY o.date)
                     FROM availability_overrides o WHERE o.schedule_id = s.id), '[]') AS overrides
             FROM schedules s WHERE s.user_id = $1 ORDER BY s.created_at`),
          q(`SELECT * FROM meeting_types WHERE user_id = $1 ORDER BY created_at`),
          q(`SELECT id, provider, account_email, calendar_id, is_active, created_at, updated_at
             FROM calendar_integrations WHERE user_id = $1 ORDER BY created_at`),
          q(`SELECT id, integration_id, calendar_id, name, time_zone, is_primary, is_busy_source, is_destination
             FROM calendar_selections WHERE user_id = $1`).catch((): Rows => []),
          q(`SELECT id, url, events, created_at FROM webhook_subscriptions WHERE user_id = $1 ORDER BY created_at`),
          // Hot and archived bookings alike (each archived one says so), with their invitees from either table.
          q(`SELECT b.id, b.meeting_type_id, b.host_user_id, b.start_time, b.end_time, b.time_zone, b.status, b.location,
                  b.cancellation_reason, b.cancelled_by, b.rescheduled_from_id, b.rescheduled_to_id, b.created_at, b.updated_at,
                  b.archived,
                  COALESCE((SELECT json_agg(json_build_object('id', i.id, 'name', i.name, 'email', i.email, 'phone', i.phone,
                     'time_zone', i.time_zone, 'answers', i.answers, 'guests', i.guests, 'utm', i.utm, 'status', i.status, 'created_at', i.created_at)
                     ORDER BY i.created_at)
                     FROM (SELECT * FROM booking_invitees UNION ALL SELECT * FROM booking_invitees_archive) i
                    WHERE i.booking_id = b.id), '[]') AS invitees,
                  (SELECT json_build_object('provider', c.provider, 'join_url', c.join_url, 'meeting_id', c.meeting_id)
                     FROM booking_conferences c WHERE c.booking_id = b.id) AS conference
             FROM (SELECT ${PrivacyRepository.ARCHIVE_COLUMNS}, false AS archived FROM bookings
                   UNION ALL SELECT ${PrivacyRepository.ARCHIVE_COLUMNS}, true FROM bookings_archive) b
            WHERE b.id IN (${PrivacyRepository.HOST_BOOKINGS}) ORDER BY b.start_time`),
          q(`SELECT id::text, occurred_at, actor_type, actor_id, action, booking_id, details FROM audit_log
            WHERE subject_user_ids @> ARRAY[$1]::uuid[] ORDER BY id`),
          // Zoom connections (no tokens), like calendar_integrations.
          q(`SELECT id, provider, account_email, status, created_at FROM conferencing_connections WHERE user_id = $1 ORDER BY created_at`),
        ]);
      // Availability's time off (its reason is the host's words) and holiday setting.
      const [timeOff, holidays] = await Promise.all([
        q(`SELECT id, start_time, end_time, reason, redirect_to_user_id, created_at FROM time_off WHERE user_id = $1 ORDER BY start_time`),
        q(`SELECT country, region, updated_at FROM holiday_settings WHERE user_id = $1`),
      ]);
      return {
        user,
        api_keys: apiKeys,
        teams,
        schedules,
        meeting_types: meetingTypes,
        calendar_integrations: integrations,
        calendar_selections: selections,
        conferencing_connections: conferencing,
        webhook_subscriptions: webhooks,
        bookings,
        audit_log: audit,
        time_off: timeOff,
        holiday_settings: holidays.at(0) ?? null,
      };
    });
  }

  /**
   * Deletes the account; foreign keys cascade to its keys, schedules, meeting types, bookings (with their invitees),
   * calendar connections and webhooks. Notification rows (no foreign key: they outlive bookings for idempotency)
   * about those bookings or addressed to the user go too. Returns the ids of hosts whose availability changed.
   */
  async deleteAccount(m: EntityManager, userId: string): Promise<{ bookings: number }> {
    const bookings = await m.query<{ id: string }[]>(`SELECT id FROM (${PrivacyRepository.HOST_BOOKINGS}) x`, [userId]);
    const bookingIds = bookings.map((r) => r.id);
    await m.query(`DELETE FROM notification_deliveries WHERE booking_id = ANY($2::uuid[]) OR recipient_id = $1`, [userId, bookingIds]);
    await m.query(`DELETE FROM notification_deliveries_archive WHERE booking_id = ANY($2::uuid[]) OR recipient_id = $1`, [
      userId,
      bookingIds,
    ]);
    // Archived bookings the user organised go with the account (foreign keys); on others they co-hosted, their id goes.
    await m.query(`UPDATE bookings_archive SET host_ids = array_remove(host_ids, $1) WHERE $1 = ANY(host_ids)`, [userId]);
    await m.query(`DELETE FROM users WHERE id = $1`, [userId]);
    return { bookings: bookingIds.length };
  }

  /**
   * Replaces an invitee's name, email, phone and answers with the redaction marker (and drops their guest list) on
   * every booking the host may see, and removes the address from other invitees' guest lists; the bookings and their
   * host rows stay, so availability does not change. Messages addressed to the person are redacted and pending ones
   * cancelled. Returns the erased invitee rows' ids.
   */
  async eraseInvitee(m: EntityManager, hostId: string, email: string): Promise<{ inviteeIds: string[]; bookingIds: string[] }> {
    // Hot and archived invitees alike; TypeORM answers an UPDATE ... RETURNING with [rows, affected].
    const rows: Array<{ id: string; booking_id: string }> = [];
    for (const table of ['booking_invitees', 'booking_invitees_archive']) {
      const result: unknown = await m.query(
        `UPDATE ${table} SET name = $3, email = $3, phone = NULL, answers = '{}'::jsonb, guests = '{}', utm = NULL
          WHERE lower(email) = lower($2) AND booking_id IN (${PrivacyRepository.HOST_BOOKINGS})
          RETURNING id, booking_id`,
        [hostId, email, ERASED],
      );
      rows.push(...((Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as Array<{ id: string; booking_id: string }>));
    }
    // The person may also be someone's guest: their address leaves those guest lists (the invitee's row stays).
    const asGuest: Array<{ booking_id: string }> = [];
    for (const table of ['booking_invitees', 'booking_invitees_archive']) {
      const result: unknown = await m.query(
        `UPDATE ${table} SET guests = ARRAY(SELECT g FROM unnest(guests) g WHERE lower(g) <> lower($2))
          WHERE EXISTS (SELECT 1 FROM unnest(guests) g WHERE lower(g) = lower($2))
            AND booking_id IN (${PrivacyRepository.HOST_BOOKINGS})
          RETURNING booking_id`,
        [hostId, email],
      );
      asGuest.push(...((Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as Array<{ booking_id: string }>));
    }
    const bookingIds = [...new Set([...rows, ...asGuest].map((r) => r.booking_id))];
    if (bookingIds.length === 0) return { inviteeIds: [], bookingIds };
    // A reason typed by the invitee may name them.
    for (const table of ['bookings', 'bookings_archive']) {
      await m.query(
        `UPDATE ${table} SET cancellation_reason = $2
          WHERE id = ANY($1::uuid[]) AND cancelled_by = 'invitee' AND cancellation_reason IS NOT NULL`,
        [bookingIds, ERASED],
      );
    }
    for (const table of ['notification_deliveries', 'notification_deliveries_archive']) {
      await m.query(
        `UPDATE ${table}
            SET recipient = $3, payload = '{}'::jsonb,
                status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END, updated_at = now()
          WHERE booking_id = ANY($1::uuid[]) AND lower(recipient) = lower($2)`,
        [bookingIds, email, ERASED],
      );
    }
    return { inviteeIds: rows.map((r) => r.id), bookingIds };
  }

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
