import type { JiraClient } from '../jira/create-jira-client';
import type { Backlog, BacklogIssue } from './backlog';
import { announceIssue } from './announce-issue';
import { guardTab, openBacklog, type BacklogParts } from './backlog-access';
import { publicBacklog, type StoredBacklog } from './backlog-repository';
import { orderBacklogJql } from './order-backlog-jql';
import { TabError } from './tab-error';
import type { TabUser } from './verify-tab-token';

interface PageRequest {
  pageSize: number;
  pageToken?: string;
}

interface IssuePage {
  issues: BacklogIssue[];
  nextPageToken?: string;
}

/** The issues of a backlog, as the caller may see them, and the announcement of new ones. */
export function backlogReads(parts: BacklogParts) {
  const { repository, hub, reader } = parts;
  /** One page of the backlog's JQL as `user`'s Jira answers it, noted as shown to them (live events). */
  const readPage = async (user: TabUser, backlog: StoredBacklog, jira: JiraClient, page: PageRequest): Promise<IssuePage> => {
    const result = await guardTab(() => reader.search(jira, orderBacklogJql(backlog.jql), { maxResults: page.pageSize, nextPageToken: page.pageToken }), { jql: true });
    hub.noteShown(
      backlog.id,
      backlog.siteUrl,
      result.issues.map((i) => i.key),
      user,
    );
    return result.nextPageToken ? result : { issues: result.issues };
  };

  return {
    async listIssues(user: TabUser, backlogId: string, page: PageRequest): Promise<IssuePage> {
      const { backlog, jira } = await openBacklog(parts, user, backlogId);
      return readPage(user, backlog, jira, page);
    },

    /**
     * The backlog and a reader of its pages, for one request that sends them all (GET /pages): the
     * access checks run once, here, before the first page; every page is then read with the same
     * connection.
     */
    async openPages(user: TabUser, backlogId: string): Promise<{ backlog: Backlog; page(page: PageRequest): Promise<IssuePage> }> {
      const { backlog, jira } = await openBacklog(parts, user, backlogId);
      return { backlog: publicBacklog(backlog), page: (page) => readPage(user, backlog, jira, page) };
    },

    /** One issue of the backlog: 404 when it no longer matches the JQL or the caller may not see it. */
    async getIssue(user: TabUser, backlogId: string, key: string): Promise<BacklogIssue> {
      const { backlog, jira } = await openBacklog(parts, user, backlogId);
      const found = await guardTab(() => reader.matchIssue(jira, backlog, key), { jql: true });
      if (!found) throw new TabError('notFound', `${key} is not in this backlog, or you do not have access to it.`);
      hub.noteShown(backlogId, backlog.siteUrl, [found.key], user);
      return found;
    },

    /**
     * An issue was created in Jira (alert intake): the users of open backlogs on that site whose
     * own Jira finds it in the backlog get `issue-created` (announceIssue); those already shown it
     * (the tab created it) are not asked again.
     */
    async announceCreated(siteUrl: string, key: string): Promise<void> {
      for (const open of hub.openBacklogs(siteUrl)) {
        const backlog = await repository.get(open.users[0].owner.tenantId, open.backlogId).catch(() => undefined);
        if (backlog) await announceIssue(parts, backlog, key, open.users);
      }
    },
  };
}
