import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DeliveryChannel, DeliveryKind, MessagePayload, RecipientRole } from '../domain/plan-deliveries.js';

export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'cancelled';

@Entity('notification_deliveries')
export class NotificationDeliveryEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'booking_id', type: 'uuid', nullable: true }) bookingId: string | null;
  @Column({ name: 'ical_uid', type: 'varchar', nullable: true }) icalUid: string | null;
  @Column({ type: 'varchar' }) kind: DeliveryKind;
  @Column({ type: 'varchar' }) channel: DeliveryChannel;
  @Column({ type: 'varchar' }) recipient: string;
  @Column({ name: 'recipient_role', type: 'varchar' }) recipientRole: RecipientRole;
  @Column({ name: 'recipient_id', type: 'uuid', nullable: true }) recipientId: string | null;
  @Column({ type: 'int' }) revision: number;
  @Column({ name: 'event_type', type: 'varchar' }) eventType: string;
  @Column({ name: 'outbox_event_id', type: 'bigint', nullable: true }) outboxEventId: string | null;
  @Column({ name: 'visible_to', type: 'uuid', array: true }) visibleTo: string[];
  @Column({ type: 'jsonb' }) payload: MessagePayload;
  @Column({ type: 'varchar' }) status: DeliveryStatus;
  @Column({ name: 'due_at', type: 'timestamptz' }) dueAt: Date;
  @Column({ type: 'int' }) attempts: number;
  @Column({ name: 'max_attempts', type: 'int' }) maxAttempts: number;
  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true }) claimedUntil: Date | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
