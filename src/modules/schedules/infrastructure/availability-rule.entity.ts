import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One weekly interval, wall-clock in the schedule's zone. TIME columns: "24:00:00" is a valid end. */
@Entity('availability_rules')
export class AvailabilityRuleEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'schedule_id', type: 'uuid' }) scheduleId: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  /** 0 = Sunday .. 6 = Saturday. */
  @Column({ name: 'day_of_week', type: 'smallint' }) dayOfWeek: number;
  /** "HH:MM:SS" as PostgreSQL returns TIME. */
  @Column({ name: 'start_time', type: 'time' }) startTime: string;
  @Column({ name: 'end_time', type: 'time' }) endTime: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
