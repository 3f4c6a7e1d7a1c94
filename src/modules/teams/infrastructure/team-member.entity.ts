import { Column, Entity, PrimaryColumn } from 'typeorm';

export type TeamRole = 'admin' | 'member';

@Entity('team_members')
export class TeamMemberEntity {
  @PrimaryColumn({ name: 'team_id', type: 'uuid' }) teamId: string;
  @PrimaryColumn({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ type: 'varchar' }) role: TeamRole;
  @Column({ name: 'joined_at', type: 'timestamptz' }) joinedAt: Date;
}
