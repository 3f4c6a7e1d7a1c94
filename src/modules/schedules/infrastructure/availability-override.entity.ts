import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export interface StoredInterval {
  start_time: string; // HH:MM
  end_time: string; // HH:MM, may be 24:00
}

/** Replaces one local date's hours; no intervals = unavailable that day. */
@Entity('availability_overrides')
export class AvailabilityOverrideEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'schedule_id', type: 'uuid' }) scheduleId: string;
  /** YYYY-MM-DD (TypeORM keeps DATE columns as strings, never a server-local Date). */
  @Column({ type: 'date' }) date: string;
  @Column({ type: 'jsonb' }) intervals: StoredInterval[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
