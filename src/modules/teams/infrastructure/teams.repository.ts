import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { TeamInvitationEntity } from './team-invitation.entity.js';
import { TeamMemberEntity, type TeamRole } from './team-member.entity.js';
import { TeamEntity } from './team.entity.js';

export type { TeamRole } from './team-member.entity.js';

export interface TeamRecord {
  id: string;
  name: string;
  createdBy: string;
  createdAt: Date;
}

export interface MembershipRecord {
  teamId: string;
  userId: string;
  role: TeamRole;
  joinedAt: Date;
}

/** An invitation without its token hash. */
export interface InvitationRecord {
  id: string;
  teamId: string;
  email: string;
  invitedBy: string;
  acceptedBy: string | null;
  acceptedAt: Date | null;
  expiresAt: Date;
  createdAt: Date;
}

const toTeam = (t: TeamEntity): TeamRecord => ({ id: t.id, name: t.name, createdBy: t.createdBy, createdAt: t.createdAt });
const toMembership = (m: TeamMemberEntity): MembershipRecord => ({
  teamId: m.teamId,
  userId: m.userId,
  role: m.role,
  joinedAt: m.joinedAt,
});
const toInvitation = (i: TeamInvitationEntity): InvitationRecord => ({
  id: i.id,
  teamId: i.teamId,
  email: i.email,
  invitedBy: i.invitedBy,
  acceptedBy: i.acceptedBy,
  acceptedAt: i.acceptedAt,
  expiresAt: i.expiresAt,
  createdAt: i.createdAt,
});

/** Teams, their members and their invitations. */
@Injectable()
export class TeamsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get m(): EntityManager {
    return this.dataSource.manager;
  }

  /** The team and its creator as its first admin, in one transaction. */
  createWithAdmin(name: string, createdBy: string, joinedAt: Date): Promise<TeamRecord> {
    return this.dataSource.transaction(async (m) => {
      const saved = await m.save(m.create(TeamEntity, { name, createdBy }));
      await m.insert(TeamMemberEntity, { teamId: saved.id, userId: createdBy, role: 'admin', joinedAt });
      return toTeam(saved);
    });
  }

  async findTeam(id: string): Promise<TeamRecord | null> {
    const found = await this.m.findOneBy(TeamEntity, { id });
    return found ? toTeam(found) : null;
  }

  /** Oldest first. */
  async findTeams(ids: string[]): Promise<TeamRecord[]> {
    const found = await this.m.find(TeamEntity, { where: { id: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } });
    return found.map(toTeam);
  }

  async membershipsOf(userId: string): Promise<MembershipRecord[]> {
    return (await this.m.find(TeamMemberEntity, { where: { userId } })).map(toMembership);
  }

  async findMembership(teamId: string, userId: string): Promise<MembershipRecord | null> {
    const found = await this.m.findOneBy(TeamMemberEntity, { teamId, userId });
    return found ? toMembership(found) : null;
  }

  /** In the order they joined (admins first on a tie). */
  async membersOf(teamId: string): Promise<MembershipRecord[]> {
    const found = await this.m.find(TeamMemberEntity, { where: { teamId }, order: { joinedAt: 'ASC', role: 'ASC', userId: 'ASC' } });
    return found.map(toMembership);
  }

  async isMember(teamId: string, userId: string): Promise<boolean> {
    return (await this.m.countBy(TeamMemberEntity, { teamId, userId })) > 0;
  }

  /** How many of the (distinct) users are members of the team. */
  countMembersAmong(teamId: string, userIds: string[]): Promise<number> {
    return this.m.countBy(TeamMemberEntity, { teamId, userId: In(userIds) });
  }

  /** Which of the users are members of the team. */
  async membersAmong(teamId: string, userIds: string[]): Promise<string[]> {
    const found = await this.m.find(TeamMemberEntity, { select: { userId: true }, where: { teamId, userId: In(userIds) } });
    return found.map((f) => f.userId);
  }

  async insertInvitation(invitation: {
    teamId: string;
    email: string;
    tokenHash: string;
    invitedBy: string;
    expiresAt: Date;
  }): Promise<InvitationRecord> {
    const repo = this.m.getRepository(TeamInvitationEntity);
    const saved = await repo.save(repo.create({ ...invitation, acceptedBy: null, acceptedAt: null }));
    return toInvitation(saved);
  }

  async findInvitationByTokenHash(tokenHash: string): Promise<InvitationRecord | null> {
    const found = await this.m.findOneBy(TeamInvitationEntity, { tokenHash });
    return found ? toInvitation(found) : null;
  }

  /**
   * Claims the invitation (a conditional update, so two concurrent accepts cannot both succeed) and makes the user a
   * member, in one transaction. False when it was claimed already.
   */
  claimInvitation(invitation: { id: string; teamId: string }, userId: string, now: Date): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const claimed = await m
        .createQueryBuilder()
        .update(TeamInvitationEntity)
        .set({ acceptedAt: now, acceptedBy: userId })
        .where('id = :id AND accepted_at IS NULL', { id: invitation.id })
        .execute();
      if (!claimed.affected) return false;
      await m
        .createQueryBuilder()
        .insert()
        .into(TeamMemberEntity)
        .values({ teamId: invitation.teamId, userId, role: 'member', joinedAt: now })
        .orIgnore()
        .execute();
      return true;
    });
  }

  inTransaction<T>(work: (tx: TeamWrites) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((m) => work(new TeamWrites(m)));
  }
}

/** The writes of one teams transaction; `manager` lets other contexts take part in it. */
export class TeamWrites {
  constructor(readonly manager: EntityManager) {}

  /** The team's member rows, locked so two admins cannot remove each other at once. */
  async lockMembers(teamId: string): Promise<MembershipRecord[]> {
    const rows = await this.manager
      .createQueryBuilder(TeamMemberEntity, 'tm')
      .setLock('pessimistic_write')
      .where('tm.team_id = :teamId', { teamId })
      .getMany();
    return rows.map(toMembership);
  }

  async deleteMember(teamId: string, userId: string): Promise<void> {
    await this.manager.delete(TeamMemberEntity, { teamId, userId });
  }
}
