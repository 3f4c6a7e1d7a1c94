import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('webhook_subscriptions')
export class WebhookSubscriptionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ type: 'varchar' }) url: string;
  @Column({ type: 'text', array: true }) events: string[];
  /** AES-256-GCM (SecretCipher): the secret must be usable to sign, so it is encrypted, not hashed. */
  @Column({ name: 'secret_enc', type: 'text', select: false }) secretEnc: string;
  /** Set while the host has paused the webhook: no new deliveries are planned and pending ones are withdrawn. */
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true }) disabledAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
