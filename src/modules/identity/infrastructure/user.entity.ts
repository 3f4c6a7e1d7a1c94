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
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
