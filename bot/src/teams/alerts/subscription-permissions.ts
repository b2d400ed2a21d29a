import { TeamsInfo } from 'botbuilder';
import type { ConnectionServices } from '../../connections/create-connection-services';
import { isConnectionError } from '../../connections/connection-error';
import type { ConversationReferences } from '../../conversations/conversation-references';
import { GraphErrorCode, isGraphError, type GraphError } from '../../graph/graph-error';
import type { ConversationRoles, GraphMember } from '../../graph/conversation-roles';
import { isJiraError } from '../../jira/jira-error';
import { jiraErrorMessage } from '../../jira/jira-error-message';
import { hasPermission } from '../../jira/operations/permissions';
import { sameSite } from '../../jira/site-url';
import type { Logger } from '../../log/create-logger';
import type { ProactiveAdapter } from '../proactive-adapter';
import type { PermissionAnswer, SubscriptionActor, SubscriptionPermissions } from '../../alerts/subscription-service';
import { actorOwner } from './actor-owner';

const sameId = (a: string | undefined, b: string | undefined) => Boolean(a && b && a.toLowerCase() === b.toLowerCase());
const NOTHING_CHANGED = 'Nothing was changed.';

export const TEAM_OWNERS_ONLY = 'Only an owner of this team can set up or change its alerts.';
export const GUESTS_REFUSED = 'Guests cannot set up or change alerts here.';
export const MEETING_ORGANIZER_ONLY = 'In a meeting chat, only the meeting organizer can set up or change alerts.';
export const OWN_ORGANIZATION_ONLY = "Only people from this chat's own organization can set up or change its alerts.";

export interface SubscriptionPermissionsDeps {
  connections: Pick<ConnectionServices, 'jiraFor'>;
  conversations: Pick<ConversationReferences, 'get'>;
  /** Microsoft Graph's view of who owns the team or chat. */
  roles: ConversationRoles;
  /** The Teams adapter: a team's group id is asked of the Bot Connector when the activity lacks it. */
  adapter: ProactiveAdapter;
  botAppId?: string;
  logger?: Logger;
}

/**
 * The server-side check every subscription change passes.
 *
 * Teams half, from Microsoft Graph (the Bot Connector roster cannot tell an owner from a member):
 * - channel: the actor's conversationMember in the team (`GET /teams/{group-id}/members`) must carry
 *   the `owner` role. Plain members and guests are refused, and so are owners of a private or
 *   shared channel who do not own the team.
 * - meeting chat: only the meeting's organizer (`GET /chats/{id}` -> `onlineMeetingInfo.organizer`),
 *   the person who created the meeting and with it its chat.
 * - group chat: Graph records no creator, and Teams gives a group chat's members equal rights;
 *   Graph lists each of them with the `owner` role. So any member from the chat's own tenant
 *   passes, as "the chat's creator" cannot be told apart from the others; guests and members
 *   from other organizations (Graph gives those `owner` too) are refused.
 * Every Graph failure refuses, naming the missing consent on a 403: nothing changes unless Graph
 * said yes. The Jira half: the actor's own connection must hold ADMINISTER, or
 * ADMINISTER_PROJECTS in every chosen project.
 */
export function subscriptionPermissions(deps: SubscriptionPermissionsDeps): SubscriptionPermissions {
  // A team's group id never changes; remember what the Bot Connector said.
  const groupIds = new Map<string, string>();

  async function teamGroupId(actor: SubscriptionActor): Promise<string | undefined> {
    if (actor.teamAadGroupId) return actor.teamAadGroupId;
    const record = await deps.conversations.get(actor.tenantId, actor.conversationId);
    const teamId = actor.teamId ?? record?.teamId;
    if (!teamId || !record) return undefined;
    const known = groupIds.get(teamId);
    if (known) return known;
    let groupId: string | undefined;
    await deps.adapter.continueConversationAsync(deps.botAppId ?? '', record.reference, async (context) => {
      try {
        groupId = (await TeamsInfo.getTeamDetails(context, teamId)).aadGroupId ?? undefined;
      } catch (error) {
        deps.logger?.warn({ conversationId: actor.conversationId, status: (error as { statusCode?: number }).statusCode }, 'team details lookup failed');
      }
    });
    if (groupId) {
      if (groupIds.size > 10_000) groupIds.clear();
      groupIds.set(teamId, groupId);
    }
    return groupId;
  }

  function graphRefusal(error: GraphError, actor: SubscriptionActor, where: 'team' | 'chat'): PermissionAnswer {
    deps.logger?.warn(
      { conversationId: actor.conversationId, code: error.code, status: error.status, graphCode: error.graphCode },
      'Graph could not confirm who owns the conversation',
    );
    const here = where === 'team' ? 'this team' : 'this chat';
    switch (error.code) {
      case GraphErrorCode.Forbidden:
        return {
          allowed: false,
          reason:
            `I cannot check who owns ${here}: Microsoft Graph refused because the app lacks the "${error.permission ?? 'resource-specific'}" permission here. ` +
            `${where === 'team' ? 'A team owner' : 'A member of the chat'} can grant it by updating the app (or removing and adding it again) in ${here}. ${NOTHING_CHANGED}`,
        };
      case GraphErrorCode.NotFound:
        return { allowed: false, reason: `Microsoft Graph does not know ${here}, so I cannot check who owns it. ${NOTHING_CHANGED}` };
      case GraphErrorCode.Unauthenticated:
        return {
          allowed: false,
          reason: `I could not sign in to Microsoft Graph to check who owns ${here}; an administrator should check the app's registration. ${NOTHING_CHANGED}`,
        };
      default:
        return { allowed: false, reason: `Microsoft Teams could not tell me right now who owns ${here}. ${NOTHING_CHANGED} Please try again in a minute.` };
    }
  }

  const notFound = (here: string): PermissionAnswer => ({ allowed: false, reason: `I could not find you among the members of ${here}, so you cannot change its alerts.` });
  const isGuest = (member: GraphMember) => member.roles.includes('guest');

  async function teamAnswer(actor: SubscriptionActor, userId: string): Promise<PermissionAnswer> {
    const groupId = await teamGroupId(actor);
    if (!groupId) return { allowed: false, reason: `Teams did not tell me which team this channel belongs to, so I cannot check who owns it. ${NOTHING_CHANGED}` };
    const member = await deps.roles.teamMember(actor.tenantId, groupId, userId);
    if (!member) return notFound('this team');
    if (isGuest(member)) return { allowed: false, reason: GUESTS_REFUSED };
    return member.roles.includes('owner') ? { allowed: true } : { allowed: false, reason: TEAM_OWNERS_ONLY };
  }

  async function chatAnswer(actor: SubscriptionActor, userId: string): Promise<PermissionAnswer> {
    const chat = await deps.roles.chat(actor.tenantId, actor.conversationId);
    if (chat.chatType === 'meeting') {
      return sameId(chat.organizerId, userId) ? { allowed: true } : { allowed: false, reason: MEETING_ORGANIZER_ONLY };
    }
    if (chat.chatType !== 'group') return { allowed: false, reason: 'Channel alerts are set up in a channel or group chat.' };
    const member = await deps.roles.chatMember(actor.tenantId, actor.conversationId, userId);
    if (!member) return notFound('this chat');
    if (isGuest(member)) return { allowed: false, reason: GUESTS_REFUSED };
    const home = chat.tenantId ?? actor.tenantId;
    if (member.tenantId && !sameId(member.tenantId, home)) return { allowed: false, reason: OWN_ORGANIZATION_ONLY };
    return member.roles.includes('owner') ? { allowed: true } : { allowed: false, reason: OWN_ORGANIZATION_ONLY };
  }

  return {
    async canManageConversation(actor): Promise<PermissionAnswer> {
      if (actor.conversationType === 'personal') return { allowed: false, reason: 'Channel alerts are set up in a channel or group chat.' };
      // Graph knows people by their Entra object id; Teams puts it on every activity from a signed-in user.
      if (!actor.aadObjectId)
        return { allowed: false, reason: `Teams did not tell me who you are in Microsoft Entra, so I cannot check who owns this conversation. ${NOTHING_CHANGED}` };
      const where = actor.conversationType === 'channel' ? 'team' : 'chat';
      try {
        return where === 'team' ? await teamAnswer(actor, actor.aadObjectId) : await chatAnswer(actor, actor.aadObjectId);
      } catch (error) {
        if (isGraphError(error)) return graphRefusal(error, actor, where);
        throw error;
      }
    },

    async canAdministerJira(actor, site, projects): Promise<PermissionAnswer> {
      let connection;
      let jira;
      try {
        ({ connection, jira } = await deps.connections.jiraFor(actorOwner(actor)));
      } catch (error) {
        if (isConnectionError(error)) return { allowed: false, reason: 'Connect your Jira account first: type **connect** in your chat with me.' };
        if (isJiraError(error)) return { allowed: false, reason: jiraErrorMessage(error) };
        throw error;
      }
      if (!sameSite(connection.siteUrl, site)) {
        return { allowed: false, reason: `Your Jira connection is to ${connection.siteUrl}, not ${site}. Connect to that site to set up its alerts.` };
      }
      const has = (permission: string, projectKey?: string) => hasPermission(jira, permission, projectKey);
      try {
        if (await has('ADMINISTER')) return { allowed: true };
        if (projects.length === 0) {
          return { allowed: false, reason: 'Alerts without projects need the "Administer Jira" global permission. Name projects you administer, or ask a Jira admin.' };
        }
        const missing: string[] = [];
        for (const key of projects) if (!(await has('ADMINISTER_PROJECTS', key))) missing.push(key);
        return missing.length === 0
          ? { allowed: true }
          : { allowed: false, reason: `You need the "Administer Projects" permission in ${missing.join(', ')} (or "Administer Jira") to set up these alerts.` };
      } catch (error) {
        // An unknown project key is a 404 from mypermissions; say which permission is needed rather than failing.
        if (isJiraError(error)) return { allowed: false, reason: `Jira could not confirm the "Administer Projects" permission: ${jiraErrorMessage(error)}` };
        throw error;
      }
    },
  };
}
