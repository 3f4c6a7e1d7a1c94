import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A Google watch channel or a Graph subscription; the secret (channel token / clientState) is stored hashed. */
@Entity('calendar_push_channels')
export class CalendarPushChannelEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'integration_id', type: 'uuid' }) integrationId: string;
  @Column({ name: 'selection_id', type: 'uuid' }) selectionId: string;
  @Column({ type: 'varchar' }) provider: string;
  @Column({ name: 'channel_id', type: 'varchar' }) channelId: string;
  @Column({ name: 'resource_id', type: 'varchar', nullable: true }) resourceId: string | null;
  @Column({ name: 'secret_hash', type: 'char', length: 64 }) secretHash: string;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
