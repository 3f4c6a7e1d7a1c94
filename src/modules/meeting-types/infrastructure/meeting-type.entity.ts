import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { BookingQuestion, MeetingKind, MeetingTypeLimits, RecurrenceSetting, ReminderSetting } from '../domain/meeting-type.js';

/** Period caps and invitee policies (issue #17 item 3), embedded in meeting_types. */
export class MeetingTypeLimitColumns implements MeetingTypeLimits {
  @Column({ name: 'max_bookings_per_week', type: 'integer', nullable: true }) maxBookingsPerWeek: number | null;
  @Column({ name: 'max_bookings_per_month', type: 'integer', nullable: true }) maxBookingsPerMonth: number | null;
  @Column({ name: 'max_bookings_per_year', type: 'integer', nullable: true }) maxBookingsPerYear: number | null;
  @Column({ name: 'max_booked_minutes_per_day', type: 'integer', nullable: true }) maxBookedMinutesPerDay: number | null;
  @Column({ name: 'max_booked_minutes_per_week', type: 'integer', nullable: true }) maxBookedMinutesPerWeek: number | null;
  @Column({ name: 'max_active_bookings_per_invitee', type: 'integer', nullable: true }) maxActiveBookingsPerInvitee: number | null;
  @Column({ name: 'cancellation_cutoff_minutes', type: 'integer', nullable: true }) cancellationCutoffMinutes: number | null;
  @Column({ name: 'reschedule_cutoff_minutes', type: 'integer', nullable: true }) rescheduleCutoffMinutes: number | null;
  @Column({ name: 'booking_window_type', type: 'varchar' }) bookingWindowType: MeetingTypeLimits['bookingWindowType'];
}

@Entity('meeting_types')
export class MeetingTypeEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** The owner. */
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ name: 'team_id', type: 'uuid', nullable: true }) teamId: string | null;
  @Column({ name: 'schedule_id', type: 'uuid', nullable: true }) scheduleId: string | null;
  @Column({ type: 'varchar' }) name: string;
  @Column({ type: 'varchar' }) slug: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'jsonb', nullable: true }) location: Record<string, unknown> | null;
  @Column({ type: 'varchar' }) kind: MeetingKind;
  @Column({ type: 'integer', nullable: true }) seats: number | null;
  @Column({ name: 'duration_minutes', type: 'integer' }) durationMinutes: number;
  /** Ascending, containing duration_minutes; null = only that length (migration 1764000009400). */
  @Column({ name: 'duration_options', type: 'integer', array: true, nullable: true }) durationOptions: number[] | null;
  /** {frequency, maxOccurrences} as the snapshot holds it; null = not recurring. */
  @Column({ type: 'jsonb', nullable: true }) recurrence: RecurrenceSetting | null;
  @Column({ name: 'buffer_before_minutes', type: 'integer' }) bufferBeforeMinutes: number;
  @Column({ name: 'buffer_after_minutes', type: 'integer' }) bufferAfterMinutes: number;
  @Column({ name: 'slot_interval_minutes', type: 'integer', nullable: true }) slotIntervalMinutes: number | null;
  @Column({ name: 'minimum_notice_minutes', type: 'integer' }) minimumNoticeMinutes: number;
  @Column({ name: 'booking_window_days', type: 'integer', nullable: true }) bookingWindowDays: number | null;
  @Column({ name: 'max_bookings_per_day', type: 'integer', nullable: true }) maxBookingsPerDay: number | null;
  /** Flat columns (migration 1764000009200), one object in the snapshot. */
  @Column(() => MeetingTypeLimitColumns, { prefix: false }) limits: MeetingTypeLimitColumns;
  @Column({ type: 'jsonb' }) questions: BookingQuestion[];
  @Column({ type: 'jsonb' }) reminders: ReminderSetting[];
  @Column({ name: 'is_active', type: 'boolean' }) isActive: boolean;
  @Column({ name: 'is_secret', type: 'boolean' }) isSecret: boolean;
  @Column({ name: 'requires_confirmation', type: 'boolean' }) requiresConfirmation: boolean;
  @Column({ name: 'confirmation_expiry_minutes', type: 'integer' }) confirmationExpiryMinutes: number;
  @Column({ name: 'round_robin_period', type: 'varchar' }) roundRobinPeriod: 'calendar_month' | 'rolling_30_days';
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
