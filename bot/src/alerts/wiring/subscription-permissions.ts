import { TeamsInfo, type ConversationReference, type TeamsChannelAccount } from 'botbuilder';
import type { ConnectionServices } from '../../connections/create-connection-services';
import { isConnectionError } from '../../connections/connection-error';
import type { ConversationReferences } from '../../conversations/conversation-references';
import { isJiraError } from '../../jira/jira-error';
import { jiraErrorMessage } from '../../jira/jira-error-message';
import type { ProactiveAdapter } from '../../conversations/proactive-adapter';
import type { PermissionAnswer, SubscriptionActor, SubscriptionPermissions } from '../subscription-service';
import { actorOwner } from './actor-owner';

const sameSite = (a: string, b: string) => a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
const NOT_MEMBER = 'Only a member of this team (or chat) who is not a guest can set up alerts here.';

export interface SubscriptionPermissionsDeps {
  connections: Pick<ConnectionServices, 'jiraFor'>;
  conversations: Pick<ConversationReferences, 'get'>;
  /** The Teams adapter, once it exists: roster lookups run in a proactive turn of the actor's conversation. */
  adapter(): ProactiveAdapter;
  botAppId?: string;
}

/**
 * The server-side check every subscription change passes.
 *
 * Teams half: the Bot Connector's roster (TeamsInfo) says who is in a team or chat and whether
 * they are a guest, but not who owns the team or created the chat (only Microsoft Graph knows,
 * with permissions this app does not ask for). So a roster role of `owner` passes, and so does
 * any full member; guests, anonymous users and non-members are refused. The Jira half is the
 * strict one: the actor's own connection must hold ADMINISTER, or ADMINISTER_PROJECTS in every
 * chosen project.
 */
export function subscriptionPermissions(deps: SubscriptionPermissionsDeps): SubscriptionPermissions {
  async function rosterMember(actor: SubscriptionActor): Promise<TeamsChannelAccount | undefined> {
    const record = await deps.conversations.get(actor.tenantId, actor.conversationId);
    if (!record) return undefined;
    let member: TeamsChannelAccount | undefined;
    let failure: unknown;
    await deps.adapter().continueConversationAsync(deps.botAppId ?? '', record.reference as Partial<ConversationReference>, async (context) => {
      try {
        member =
          actor.conversationType === 'channel' && (actor.teamId ?? record.teamId)
            ? await TeamsInfo.getTeamMember(context, actor.teamId ?? record.teamId, actor.userId)
            : await TeamsInfo.getMember(context, actor.userId);
      } catch (error) {
        failure = error;
      }
    });
    // The Bot Connector answers 404 for someone not in the conversation.
    if (failure && (failure as { statusCode?: number }).statusCode !== 404) throw failure;
    return member;
  }

  return {
    async canManageConversation(actor): Promise<PermissionAnswer> {
      if (actor.conversationType === 'personal') return { allowed: false, reason: 'Channel alerts are set up in a channel or group chat.' };
      const member = await rosterMember(actor);
      if (!member) return { allowed: false, reason: `${NOT_MEMBER} (I could not find you in this conversation's members.)` };
      const role = String((member as { userRole?: string }).userRole ?? 'user').toLowerCase();
      return role === 'owner' || role === 'user' ? { allowed: true } : { allowed: false, reason: NOT_MEMBER };
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
      const has = async (permission: string, projectKey?: string) => {
        const answer = (await jira.v3.permissions.getMyPermissions({ permissions: permission, ...(projectKey ? { projectKey } : {}) })) as {
          permissions?: Record<string, { havePermission?: boolean }>;
        };
        return answer.permissions?.[permission]?.havePermission === true;
      };
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
