import { createHash } from 'node:crypto';
import type { TeamsMember } from './teams-member';

export interface TeamChannel {
  id: string;
  name?: string;
}

export interface TeamSeed {
  id: string;
  name: string;
  /** The team's Microsoft 365 group id, its id in Graph; derived from `id` (teamAadGroupId) when absent. */
  aadGroupId?: string;
  type?: 'standard' | 'sharedChannel' | 'privateChannel';
  channels?: TeamChannel[];
  members?: TeamsMember[];
  /** Members (by Entra object id or Teams id) whose Graph `roles` say `owner`. */
  owners?: string[];
  /** False: Graph answers 403 as for an app without the team's resource-specific consent. Default true. */
  consented?: boolean;
}

/** A group or meeting chat as Graph knows it; its members also answer the Bot Connector's lookups. */
export interface ChatSeed {
  /** The chat id, the same as the Bot Connector conversation id (`19:...@thread.v2`). */
  id: string;
  chatType?: 'group' | 'meeting';
  topic?: string;
  /** The chat's home tenant; members of other tenants are external. */
  tenantId?: string;
  members: TeamsMember[];
  /** A meeting chat's organizer (Entra object id): `onlineMeetingInfo.organizer` in Graph. */
  organizer?: string;
  createdDateTime?: string;
  /** False: Graph answers 403 as for an app without the chat's resource-specific consent. Default true. */
  consented?: boolean;
}

/** Members per conversation and teams, as the Bot Connector would know them. */
export class MemberDirectory {
  private readonly members = new Map<string, TeamsMember[]>();
  private readonly teams = new Map<string, TeamSeed>();
  private readonly chats = new Map<string, ChatSeed>();

  seedMembers(conversationId: string, members: readonly TeamsMember[]): void {
    const known = this.members.get(conversationId) ?? [];
    for (const member of members) {
      const at = known.findIndex((m) => m.id === member.id);
      if (at >= 0) known[at] = member;
      else known.push(member);
    }
    this.members.set(conversationId, known);
  }

  /** A team's members answer for the team id too, as TeamsInfo.getTeamMember asks by team id. */
  seedTeam(team: TeamSeed): void {
    this.teams.set(team.id, { ...team, aadGroupId: team.aadGroupId ?? teamAadGroupId(team.id) });
    if (team.members) this.seedMembers(team.id, team.members);
  }

  seedChat(chat: ChatSeed): void {
    this.chats.set(chat.id, chat);
    this.seedMembers(chat.id, chat.members);
  }

  list(conversationId: string): TeamsMember[] {
    return this.members.get(baseConversationId(conversationId)) ?? [];
  }

  find(conversationId: string, memberId: string): TeamsMember | undefined {
    return this.list(conversationId).find((m) => m.id === memberId || m.aadObjectId === memberId);
  }

  team(teamId: string): TeamSeed | undefined {
    return this.teams.get(teamId);
  }

  /** The team whose Graph id (its group id) this is. */
  teamByGroupId(aadGroupId: string): TeamSeed | undefined {
    return [...this.teams.values()].find((t) => t.aadGroupId?.toLowerCase() === aadGroupId.toLowerCase());
  }

  chat(chatId: string): ChatSeed | undefined {
    return this.chats.get(chatId);
  }

  clear(): void {
    this.members.clear();
    this.teams.clear();
    this.chats.clear();
  }
}

/** A channel thread id (`19:...@thread.tacv2;messageid=...`) names the same members as its channel. */
export function baseConversationId(conversationId: string): string {
  return conversationId.split(';')[0];
}

/**
 * A stable GUID-shaped group id for a team id, so activities (channelData.team.aadGroupId) and
 * seeded teams agree without every test naming one.
 */
export function teamAadGroupId(teamId: string): string {
  const hex = createHash('sha256').update(`team-group:${teamId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
