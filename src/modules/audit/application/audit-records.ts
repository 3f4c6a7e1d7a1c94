/** A recorded audit entry as the application hands it out (the `audit_log` columns it reads). */
export interface AuditRecord {
  id: string;
  occurred_at: Date;
  recorded_at: Date;
  actor_type: string;
  actor_id: string | null;
  action: string;
  booking_id: string | null;
  details: Record<string, unknown>;
}
