import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar' }) email: string;
  @Column({ type: 'varchar' }) name: string;
  @Column({ type: 'varchar' }) username: string;
  @Column({ name: 'time_zone', type: 'varchar' }) timeZone: string;
  /** The language of the host's emails (and admin): one of SUPPORTED_LOCALES, default en (issue #18). */
  @Column({ type: 'text', default: 'en' }) locale: string;
  @Column({ name: 'password_hash', type: 'text', select: false }) passwordHash: string;
  /** Generation of every access token and admin session: bumped to revoke them all (see the migration). */
  @Column({ name: 'session_version', type: 'integer', default: 0, select: false }) sessionVersion: number;
  /** The linked Google account's `sub` (Sign in with Google), or null. */
  @Column({ name: 'google_subject', type: 'text', nullable: true, select: false }) googleSubject: string | null;
  /** When the host finished or skipped the welcome after sign-up; null shows it. */
  @Column({ name: 'onboarded_at', type: 'timestamptz', nullable: true }) onboardedAt: Date | null;
  /** When the host proved the email address (a verification link, or Google); null shows the admin's banner. */
  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true }) emailVerifiedAt: Date | null;
  /** Origins allowed to frame the host's booking pages (`?embed=1`): canonical, at most 20 (domain/embed-origins.ts). */
  @Column({ name: 'embed_origins', type: 'text', array: true, default: () => "'{}'" }) embedOrigins: string[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
