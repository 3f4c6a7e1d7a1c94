import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A calendar of a connection: whether it blocks availability, whether it receives bookings, and its sync state. */
@Entity('calendar_selections')
export class CalendarSelectionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'integration_id', type: 'uuid' }) integrationId: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ name: 'calendar_id', type: 'varchar' }) calendarId: string;
  @Column({ type: 'varchar', default: '' }) name: string;
  @Column({ name: 'time_zone', type: 'varchar', nullable: true }) timeZone: string | null;
  @Column({ name: 'is_primary', type: 'boolean', default: false }) isPrimary: boolean;
  @Column({ name: 'read_only', type: 'boolean', default: false }) readOnly: boolean;
  @Column({ name: 'is_busy_source', type: 'boolean', default: false }) isBusySource: boolean;
  @Column({ name: 'is_destination', type: 'boolean', default: false }) isDestination: boolean;
  /** Google nextSyncToken, Graph @odata.deltaLink, or CalDAV sync state. */
  @Column({ name: 'sync_token', type: 'text', nullable: true }) syncToken: string | null;
  @Column({ type: 'text', nullable: true }) ctag: string | null;
  @Column({ type: 'text', nullable: true }) etag: string | null;
  @Column({ name: 'last_modified', type: 'text', nullable: true }) lastModified: string | null;
  /** CalDAV: object URL → ETag of what is cached. */
  @Column({ name: 'object_etags', type: 'jsonb', nullable: true }) objectEtags: Record<string, string> | null;
  @Column({ name: 'full_synced_at', type: 'timestamptz', nullable: true }) fullSyncedAt: Date | null;
  @Column({ name: 'last_synced_at', type: 'timestamptz', nullable: true }) lastSyncedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
