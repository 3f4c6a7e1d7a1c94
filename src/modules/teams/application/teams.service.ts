import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../../shared/clock/clock.js';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { DomainError, conflict, invalid, invalidField, notFound } from '../../../shared/http/domain-error.js';
import { newSecret, sha256 } from '../../../shared/security/tokens.js';
import { UsersService } from '../../identity/application/users.service.js';
import {
  type InvitationRecord,
  type MembershipRecord,
  type TeamRecord,
  type TeamRole,
  TeamsRepository,
} from '../infrastructure/teams.repository.js';

export type { InvitationRecord, TeamRecord, TeamRole } from '../infrastructure/teams.repository.js';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const INVITATION_PREFIX = 'inv_';

export interface TeamMemberView {
  userId: string;
  name: string;
  username: string;
  role: TeamRole;
  joinedAt: Date;
}

export interface TeamView {
  team: TeamRecord;
  /** The caller's role in the team. */
  role: TeamRole;
  members?: TeamMemberView[];
}

/** An invitation as its link's opener sees it before accepting. */
export type InvitationPreview = { state: 'open'; teamName: string } | { state: 'unknown' | 'other-user' | 'used' | 'expired' };

/**
 * What else ends when a member leaves a team, run inside the removal's transaction (on `manager`). Contexts that
 * build on teams (meeting types' hosts) register one, so teams never depend on them.
 */
export type MemberLeavingHandler = (teamId: string, userId: string, manager: EntityManager) => Promise<void>;

/** Teams for round robin and collective meeting types: members are users who accepted an invitation. */
@Injectable()
export class TeamsService {
  private readonly leavingHandlers: MemberLeavingHandler[] = [];

  constructor(
    private readonly teams: TeamsRepository,
    private readonly users: UsersService,
    private readonly clock: Clock,
    private readonly versions: AvailabilityVersions,
  ) {}

  /** Registers work that must happen atomically with a member's removal (call from onModuleInit). */
  onMemberLeaving(handler: MemberLeavingHandler): void {
    this.leavingHandlers.push(handler);
  }

  async create(callerId: string, name: string): Promise<TeamView> {
    const trimmed = name.trim();
    if (!trimmed) throw invalidField('name', 'empty', 'name must not be empty');
    const team = await this.teams.createWithAdmin(trimmed, callerId, this.clock.now());
    return this.getForMember(callerId, team.id);
  }

  /** The caller's teams, with the caller's role, oldest first. */
  async listForUser(userId: string): Promise<TeamView[]> {
    const memberships = await this.teams.membershipsOf(userId);
    if (memberships.length === 0) return [];
    const teams = await this.teams.findTeams(memberships.map((m) => m.teamId));
    const roles = new Map(memberships.map((m) => [m.teamId, m.role]));
    return teams.flatMap((team) => {
      const role = roles.get(team.id);
      return role ? [{ team, role }] : [];
    });
  }

  /** A team with its members; 404 for anyone who is not a member. */
  async getForMember(callerId: string, teamId: string): Promise<TeamView> {
    const membership = await this.requireMembership(callerId, teamId);
    const team = await this.teams.findTeam(teamId);
    if (!team) throw notFound('team');
    const rows = await this.teams.membersOf(teamId);
    const users = new Map((await this.users.findByIds(rows.map((r) => r.userId))).map((u) => [u.id, u]));
    const members = rows.map((r) => ({
      userId: r.userId,
      name: users.get(r.userId)?.name ?? '',
      username: users.get(r.userId)?.username ?? '',
      role: r.role,
      joinedAt: r.joinedAt,
    }));
    return { team, role: membership.role, members };
  }

  /** Invites an email address (admins only). The token is returned once and stored as SHA-256. */
  async invite(callerId: string, teamId: string, email: string): Promise<{ invitation: InvitationRecord; token: string }> {
    const membership = await this.requireMembership(callerId, teamId);
    if (membership.role !== 'admin') throw new DomainError('forbidden', 'only team admins can invite members');
    const normalized = email.trim().toLowerCase();
    const existing = await this.users.findByEmail(normalized);
    if (existing && (await this.isMember(teamId, existing.id))) {
      throw conflict(`${normalized} is already a member of this team`);
    }
    const token = newSecret(INVITATION_PREFIX, 32);
    const invitation = await this.teams.insertInvitation({
      teamId,
      email: normalized,
      tokenHash: sha256(token),
      invitedBy: callerId,
      expiresAt: new Date(this.clock.now().getTime() + INVITATION_TTL_MS),
    });
    return { invitation, token };
  }

  /**
   * What the invited host sees before accepting: read-only, so opening the link never claims it. The team name is
   * given only to the invited user. accept() makes the same checks and stays the authority.
   */
  async previewInvitation(callerId: string, token: string): Promise<InvitationPreview> {
    const invitation = token ? await this.teams.findInvitationByTokenHash(sha256(token)) : null;
    if (!invitation) return { state: 'unknown' };
    const state = await this.invitationState(invitation, callerId);
    if (state !== 'open') return { state };
    const team = await this.teams.findTeam(invitation.teamId);
    return team ? { state: 'open', teamName: team.name } : { state: 'unknown' };
  }

  /**
   * Accepts an invitation as the authenticated caller, whose email must be the invited one. Single use: two
   * concurrent accepts cannot both succeed.
   */
  async accept(callerId: string, token: string): Promise<TeamView> {
    const invitation = await this.teams.findInvitationByTokenHash(sha256(token));
    if (!invitation) throw notFound('invitation');
    switch (await this.invitationState(invitation, callerId)) {
      case 'other-user':
        throw new DomainError(
          'forbidden',
          'this invitation was sent to a different email address; sign in as the invited user to accept it',
        );
      case 'used':
        throw new DomainError('gone', 'this invitation has already been used');
      case 'expired':
        throw new DomainError('gone', 'this invitation has expired; ask a team admin for a new one');
      case 'open':
        break;
    }
    if (!(await this.teams.claimInvitation(invitation, callerId, this.clock.now()))) {
      throw new DomainError('gone', 'this invitation has already been used');
    }
    return this.getForMember(callerId, invitation.teamId);
  }

  private async invitationState(invitation: InvitationRecord, callerId: string): Promise<Exclude<InvitationPreview['state'], 'unknown'>> {
    const caller = await this.users.getById(callerId);
    if (caller.email.trim().toLowerCase() !== invitation.email.toLowerCase()) return 'other-user';
    if (invitation.acceptedAt) return 'used';
    if (invitation.expiresAt.getTime() <= this.clock.now().getTime()) return 'expired';
    return 'open';
  }

  /**
   * Removes a member (admins; any member may remove themself). A team keeps at least one admin. The member stops
   * hosting the team's meeting types (existing bookings stay theirs), and their version bump invalidates the cached
   * slots that counted on them.
   */
  async removeMember(callerId: string, teamId: string, userId: string): Promise<void> {
    const membership = await this.requireMembership(callerId, teamId);
    if (membership.role !== 'admin' && callerId !== userId) {
      throw new DomainError('forbidden', 'only team admins can remove other members');
    }
    await this.teams.inTransaction(async (tx) => {
      const rows = await tx.lockMembers(teamId);
      const target = rows.find((r) => r.userId === userId);
      if (!target) throw notFound('team member');
      if (target.role === 'admin' && rows.filter((r) => r.role === 'admin').length === 1) {
        throw invalid('a team needs at least one admin: make another member an admin before removing the last one');
      }
      await tx.deleteMember(teamId, userId);
      // Hosts of team meeting types are members who agreed: someone who left is offered and assigned no more.
      for (const handler of this.leavingHandlers) await handler(teamId, userId, tx.manager);
    });
    await this.versions.bump([userId]);
  }

  async isMember(teamId: string, userId: string): Promise<boolean> {
    return this.teams.isMember(teamId, userId);
  }

  /** True when every user is a member of the team (one query). */
  async areMembers(teamId: string, userIds: string[]): Promise<boolean> {
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return true;
    return (await this.teams.countMembersAmong(teamId, unique)) === unique.length;
  }

  /** Which of the users are not members of the team (one query), to name them in error messages. */
  async nonMembers(teamId: string, userIds: string[]): Promise<string[]> {
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return [];
    const members = new Set(await this.teams.membersAmong(teamId, unique));
    return unique.filter((id) => !members.has(id));
  }

  private async requireMembership(userId: string, teamId: string): Promise<MembershipRecord> {
    const membership = await this.teams.findMembership(teamId, userId);
    if (!membership) throw notFound('team');
    return membership;
  }
}
