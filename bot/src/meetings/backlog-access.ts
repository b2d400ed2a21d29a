import type { Connection } from '../connections/connection';
import type { ConnectionServices } from '../connections/create-connection-services';
import type { JiraClient } from '../jira/create-jira-client';
import { sameSite } from '../jira/site-url';
import type { BacklogIssueReader } from './backlog-issue-reader';
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

/** The backlog, in the caller's tenant, on the site the caller is connected to. */
export async function openBacklog(parts: BacklogParts, user: TabUser, backlogId: string): Promise<{ backlog: StoredBacklog; jira: JiraClient; connection: Connection }> {
  const backlog = await parts.repository.get(user.owner.tenantId, backlogId);
  if (!backlog) throw new TabError('notFound', BACKLOG_GONE);
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
