import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A named set of weekly hours in one IANA zone; each host has at most one default. */
@Entity('schedules')
export class ScheduleEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ type: 'varchar' }) name: string;
  @Column({ name: 'time_zone', type: 'varchar' }) timeZone: string;
  @Column({ name: 'is_default', type: 'boolean' }) isDefault: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
