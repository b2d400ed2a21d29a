import { sameSite } from '../jira/site-url';
import type { BacklogIssue } from './backlog';
import { guardTab, openBacklog, type BacklogParts } from './backlog-access';
import { orderBacklogJql } from './order-backlog-jql';
import { TabError } from './tab-error';
import type { TabUser } from './verify-tab-token';

/** The issues of a backlog, as the caller may see them, and the announcement of new ones. */
export function backlogReads(parts: BacklogParts) {
  const { repository, connections, hub, reader } = parts;
  return {
    async listIssues(user: TabUser, backlogId: string, page: { pageSize: number; pageToken?: string }) {
      const { backlog, jira } = await openBacklog(parts, user, backlogId);
      const result = await guardTab(() => reader.search(jira, orderBacklogJql(backlog.jql), { maxResults: page.pageSize, nextPageToken: page.pageToken }), { jql: true });
      hub.noteShown(backlogId, backlog.siteUrl, result.issues.map((i) => i.key));
      return result.nextPageToken ? result : { issues: result.issues };
    },

    /** One issue of the backlog: 404 when it no longer matches the JQL or the caller may not see it. */
    async getIssue(user: TabUser, backlogId: string, key: string): Promise<BacklogIssue> {
      const { backlog, jira } = await openBacklog(parts, user, backlogId);
      const found = await guardTab(() => reader.matchIssue(jira, backlog, key), { jql: true });
      if (!found) throw new TabError('notFound', `${key} is not in this backlog, or you do not have access to it.`);
      hub.noteShown(backlogId, backlog.siteUrl, [found.key]);
      return found;
    },

    /**
     * An issue was created in Jira (alert intake): open backlogs on that site that it matches get
     * `issue-created`. Each is asked once, as one of its panels' users, in the background; a
     * backlog that already showed the key (the tab created it) is not asked.
     */
    async announceCreated(siteUrl: string, key: string): Promise<void> {
      for (const open of hub.openBacklogs(siteUrl, key)) {
        if (open.showed) continue;
        try {
          const backlog = await repository.get(open.user.owner.tenantId, open.backlogId);
          if (!backlog) continue;
          const { connection, jira } = await connections.jiraFor(open.user.owner, { priority: 'background' });
          if (!sameSite(connection.siteUrl, backlog.siteUrl)) continue;
          const found = await reader.matchIssue(jira, backlog, key);
          if (!found) continue;
          hub.noteShown(backlog.id, backlog.siteUrl, [found.key]);
          hub.publish(backlog.id, { event: 'issue-created', data: { key: found.key } });
        } catch {
          // That panel's user lost their connection or access; the panels still reload on their next event.
        }
      }
    },
  };
}
