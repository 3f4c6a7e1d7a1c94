import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The hosts a meeting type books: the owner for one_on_one/group, the chosen team members otherwise. */
@Entity('meeting_type_hosts')
export class MeetingTypeHostEntity {
  @PrimaryColumn({ name: 'meeting_type_id', type: 'uuid' }) meetingTypeId: string;
  @PrimaryColumn({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ type: 'integer' }) priority: number;
  @Column({ type: 'integer' }) weight: number;
  @Column({ name: 'is_fallback', type: 'boolean' }) fallback: boolean;
  @Column({ name: 'max_bookings_per_period', type: 'integer', nullable: true }) maxBookingsPerPeriod: number | null;
}
