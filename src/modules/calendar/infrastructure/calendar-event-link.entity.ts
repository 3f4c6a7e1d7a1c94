import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type EventLinkStatus = 'pending' | 'synced' | 'failed' | 'deleted' | 'superseded' | 'host_deleted' | 'host_moved';

/** The event we wrote (or must write) in a host's calendar for a booking; failures stay visible and are retried. */
@Entity('calendar_event_links')
export class CalendarEventLinkEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'booking_id', type: 'uuid' }) bookingId: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ name: 'integration_id', type: 'uuid', nullable: true }) integrationId: string | null;
  @Column({ name: 'calendar_id', type: 'varchar', nullable: true }) calendarId: string | null;
  @Column({ name: 'external_event_id', type: 'varchar', nullable: true }) externalEventId: string | null;
  /** Times of the event as we last wrote it (to notice when the host moves it). */
  @Column({ name: 'event_start', type: 'timestamptz', nullable: true }) eventStart: Date | null;
  @Column({ name: 'event_end', type: 'timestamptz', nullable: true }) eventEnd: Date | null;
  @Column({ type: 'varchar', default: 'pending' }) status: EventLinkStatus;
  /** The outbox event still to apply (kept until it succeeds, so a retry needs nothing else). */
  @Column({ name: 'pending_event', type: 'jsonb', nullable: true }) pendingEvent: { type: string; payload: unknown } | null;
  @Column({ name: 'host_action', type: 'varchar', nullable: true }) hostAction: 'cancel_requested' | 'cancelled' | 'flagged' | null;
  @Column({ type: 'integer', default: 0 }) attempts: number;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ name: 'next_retry_at', type: 'timestamptz', nullable: true }) nextRetryAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
