import type { Connection } from '../connections/connection';
import type { ConnectionServices } from '../connections/create-connection-services';
import type { JiraClient } from '../jira/create-jira-client';
import { sameSite } from '../jira/site-url';
import type { BacklogIssueReader } from './backlog-issue-reader';
import type { ConversationMembership } from './conversation-membership';
import type { BacklogRepository, StoredBacklog } from './backlog-repository';
import type { MeetingHub } from './meeting-hub';
import type { SiteFieldsOf } from './site-fields-cache';
import { TabError, toTabError } from './tab-error';
import type { TabUser } from './verify-tab-token';

/** What every part of the backlog service shares. */
export interface BacklogParts {
  repository: BacklogRepository;
  connections: Pick<ConnectionServices, 'jiraFor'>;
  hub: MeetingHub;
  now: () => Date;
  fieldsOf: SiteFieldsOf;
  reader: BacklogIssueReader;
  /** Teams' roster: a backlog is used only by members of its conversation. */
  membership: ConversationMembership;
}

export const BACKLOG_GONE = 'This backlog no longer exists. Set up the tab again to pick a new query.';

/** Runs `work`, turning every failure the tab can explain into its TabError. */
export async function guardTab<T>(work: () => Promise<T>, context: { jql?: boolean } = {}): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toTabError(error, context) ?? error;
  }
}

/** The caller's own connection and Jira client. */
export function jiraOfUser(parts: BacklogParts, user: TabUser): Promise<{ connection: Connection; jira: JiraClient }> {
  return guardTab(() => parts.connections.jiraFor(user.owner));
}

export const NOT_A_MEMBER = 'This backlog belongs to a meeting, chat or team you are not a member of. Ask someone in it to add you, then reload the tab.';
export const NOT_THE_CREATOR =
  'This backlog was set up outside a meeting, chat or team, so only the person who set it up can use it. Add the tab to your meeting or chat to groom together.';

/**
 * Throws TabError notMember unless `user` is a member of `conversationId` (Teams' roster, cached
 * briefly), teamsUnavailable when Teams could not tell.
 */
export async function requireMember(parts: Pick<BacklogParts, 'membership'>, user: TabUser, conversationId: string): Promise<void> {
  let member: boolean;
  try {
    member = await parts.membership.isMember(user.owner.tenantId, conversationId, user.owner.userId);
  } catch {
    throw new TabError('teamsUnavailable', 'Microsoft Teams could not confirm right now who is in this meeting or chat. Try again in a minute.', 30);
  }
  if (!member) throw new TabError('notMember', NOT_A_MEMBER);
}

/**
 * The backlog, in the caller's tenant, used by a member of its conversation (or its creator, for
 * one bound to none), on the site the caller is connected to. Membership is checked before the
 * caller's Jira is asked anything, so a non-member learns nothing of the backlog.
 */
export async function openBacklog(parts: BacklogParts, user: TabUser, backlogId: string): Promise<{ backlog: StoredBacklog; jira: JiraClient; connection: Connection }> {
  const backlog = await parts.repository.get(user.owner.tenantId, backlogId);
  if (!backlog) throw new TabError('notFound', BACKLOG_GONE);
  if (backlog.conversationId) await requireMember(parts, user, backlog.conversationId);
  else if (backlog.createdByUserId.toLowerCase() !== user.owner.userId.toLowerCase()) throw new TabError('notMember', NOT_THE_CREATOR);
  const { connection, jira } = await jiraOfUser(parts, user);
  if (!sameSite(connection.siteUrl, backlog.siteUrl)) {
    throw new TabError(
      'otherSite',
      `This backlog is on the Jira site ${hostOf(backlog.siteUrl)}, but your Jira account is connected to ${hostOf(connection.siteUrl)}. ` +
        'To use it, open the Jira app\'s personal chat in Teams, send "disconnect", then "connect" to that site.',
    );
  }
  return { backlog, jira, connection };
}

function hostOf(siteUrl: string): string {
  try {
    return new URL(siteUrl).host;
  } catch {
    return siteUrl;
  }
}
