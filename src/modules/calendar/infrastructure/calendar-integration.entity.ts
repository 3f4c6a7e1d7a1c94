import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type CalendarProvider = 'google' | 'microsoft' | 'caldav' | 'ics';
export type IntegrationStatus = 'active' | 'broken';

/** One connected account (or feed). Secrets are stored encrypted (`*_enc`) and never selected by default. */
@Entity('calendar_integrations')
export class CalendarIntegrationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ type: 'varchar' }) provider: CalendarProvider;
  @Column({ name: 'account_email', type: 'varchar', nullable: true }) accountEmail: string | null;
  @Column({ name: 'external_account_id', type: 'varchar', nullable: true }) externalAccountId: string | null;
  @Column({ name: 'access_token_enc', type: 'text', nullable: true, select: false }) accessTokenEnc: string | null;
  @Column({ name: 'refresh_token_enc', type: 'text', nullable: true, select: false }) refreshTokenEnc: string | null;
  @Column({ name: 'password_enc', type: 'text', nullable: true, select: false }) passwordEnc: string | null;
  @Column({ name: 'token_expires_at', type: 'timestamptz', nullable: true }) tokenExpiresAt: Date | null;
  @Column({ name: 'server_url', type: 'text', nullable: true }) serverUrl: string | null;
  @Column({ type: 'varchar', nullable: true }) username: string | null;
  @Column({ type: 'text', nullable: true }) scopes: string | null;
  @Column({ name: 'calendar_id', type: 'varchar', nullable: true }) calendarId: string | null;
  @Column({ name: 'is_active', type: 'boolean', default: true }) isActive: boolean;
  @Column({ type: 'varchar', default: 'active' }) status: IntegrationStatus;
  @Column({ name: 'last_synced_at', type: 'timestamptz', nullable: true }) lastSyncedAt: Date | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ name: 'last_error_at', type: 'timestamptz', nullable: true }) lastErrorAt: Date | null;
  @Column({ name: 'next_sync_at', type: 'timestamptz', nullable: true }) nextSyncAt: Date | null;
  @Column({ name: 'cancel_booking_on_delete', type: 'boolean', default: false }) cancelBookingOnDelete: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
