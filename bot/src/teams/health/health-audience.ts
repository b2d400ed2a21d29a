import type { TurnContext } from 'botbuilder';
import type { SubscriptionPermissions } from '../../alerts/subscription-service';
import type { SubscriptionRepository } from '../../alerts/subscription-repository';
import type { ConnectionServices } from '../../connections/create-connection-services';
import { isConnectionError } from '../../connections/connection-error';
import type { ConversationReferences } from '../../conversations/conversation-references';
import { isJiraError } from '../../jira/jira-error';
import { jiraErrorMessage } from '../../jira/jira-error-message';
import { hasPermission } from '../../jira/operations/permissions';
import { siteKey } from '../../jira/site-url';
import { actorOwner } from '../alerts/actor-owner';
import { subscriptionActor } from '../alerts/subscription-actor';

export const HEALTH_WHO_MAY =
  "The **health** view is for a team owner, in one of the team's channels, and for a Jira administrator, in their personal chat with me once connected to the site.";

/** Who asked and what they may see: a team's sites and channels, a whole site, or nothing. */
export type HealthAudience = { kind: 'team'; sites: string[]; conversationIds: Set<string> } | { kind: 'site-admin'; site: string } | { kind: 'refused'; reason: string };

export interface HealthAudienceDeps {
  /** The Graph owner check every subscription change passes. */
  permissions: Pick<SubscriptionPermissions, 'canManageConversation'>;
  subscriptions: Pick<SubscriptionRepository, 'all'>;
  conversations: Pick<ConversationReferences, 'get'>;
  connections: Pick<ConnectionServices, 'jiraFor'>;
}

const refused = (why: string): HealthAudience => ({ kind: 'refused', reason: `${why}\n\n${HEALTH_WHO_MAY}` });

/**
 * A team owner sees the sites the team's subscriptions use, with outbox figures for the team's
 * channels only; a Jira administrator (asked of Jira through their own connection) sees their
 * site whole. Everyone else, and every other conversation, is refused.
 */
export async function healthAudience(context: TurnContext, deps: HealthAudienceDeps): Promise<HealthAudience> {
  const actor = subscriptionActor(context);
  if (actor.conversationType === 'groupChat') return refused('Alerts health is not shown in group or meeting chats.');

  if (actor.conversationType === 'personal') {
    let answer;
    try {
      answer = await deps.connections.jiraFor(actorOwner(actor));
    } catch (error) {
      if (isConnectionError(error)) return refused('You are not connected to Jira: type **connect** first.');
      if (isJiraError(error)) return refused(jiraErrorMessage(error));
      throw error;
    }
    try {
      if (await hasPermission(answer.jira, 'ADMINISTER')) return { kind: 'site-admin', site: answer.connection.siteUrl };
    } catch (error) {
      if (isJiraError(error)) return refused(`Jira could not confirm that you administer it: ${jiraErrorMessage(error)}`);
      throw error;
    }
    return refused(`Your Jira account does not hold the "Administer Jira" permission on ${answer.connection.siteUrl}.`);
  }

  const allowed = await deps.permissions.canManageConversation(actor);
  if (!allowed.allowed) return refused(allowed.reason);
  const team = actor.teamId ?? (await deps.conversations.get(actor.tenantId, actor.conversationId))?.teamId;
  const conversationIds = new Set<string>([actor.conversationId]);
  const sites = new Map<string, string>();
  for (const subscription of await deps.subscriptions.all()) {
    const { tenantId, conversationId } = subscription.target;
    if (tenantId !== actor.tenantId) continue;
    const inTeam = conversationIds.has(conversationId) || (team !== undefined && (await deps.conversations.get(tenantId, conversationId))?.teamId === team);
    if (!inTeam) continue;
    conversationIds.add(conversationId);
    if (!sites.has(siteKey(subscription.site))) sites.set(siteKey(subscription.site), subscription.site);
  }
  return { kind: 'team', sites: [...sites.values()], conversationIds };
}
