import type { TeamsMember } from './teams-member';

export interface TeamChannel {
  id: string;
  name?: string;
}

export interface TeamSeed {
  id: string;
  name: string;
  aadGroupId?: string;
  type?: 'standard' | 'sharedChannel' | 'privateChannel';
  channels?: TeamChannel[];
  members?: TeamsMember[];
}

/** Members per conversation and teams, as the Bot Connector would know them. */
export class MemberDirectory {
  private readonly members = new Map<string, TeamsMember[]>();
  private readonly teams = new Map<string, TeamSeed>();

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
    this.teams.set(team.id, team);
    if (team.members) this.seedMembers(team.id, team.members);
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

  clear(): void {
    this.members.clear();
    this.teams.clear();
  }
}

/** A channel thread id (`19:...@thread.tacv2;messageid=...`) names the same members as its channel. */
export function baseConversationId(conversationId: string): string {
  return conversationId.split(';')[0];
}
