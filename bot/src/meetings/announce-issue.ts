import { sameSite } from '../jira/site-url';
import type { BacklogParts } from './backlog-access';
import type { StoredBacklog } from './backlog-repository';
import type { TabUser } from './verify-tab-token';

/** One Jira search per viewer per new issue; past this many, the rest see it when they next reload. */
const MAX_VIEWERS_ASKED = 50;

/**
 * A new issue may belong in an open backlog: each of its panels' users who was not shown it yet
 * is asked about it as themselves (their own connection, in the background), and only those
 * whose Jira finds it in the backlog's JQL get `issue-created`. Nobody learns the key of an
 * issue they may not see.
 */
export async function announceIssue(
  parts: Pick<BacklogParts, 'connections' | 'hub' | 'reader'>,
  backlog: StoredBacklog,
  key: string,
  viewers: readonly TabUser[],
  by?: string,
): Promise<void> {
  const told: TabUser[] = [];
  for (const viewer of viewers.slice(0, MAX_VIEWERS_ASKED)) {
    if (parts.hub.hasShown(backlog.id, key, viewer)) continue;
    try {
      const { connection, jira } = await parts.connections.jiraFor(viewer.owner, { priority: 'background' });
      if (!sameSite(connection.siteUrl, backlog.siteUrl)) continue;
      const found = await parts.reader.matchIssue(jira, backlog, key);
      if (!found) continue;
      parts.hub.noteShown(backlog.id, backlog.siteUrl, [found.key], viewer);
      told.push(viewer);
    } catch {
      // That viewer lost their connection or access: they hear nothing of it.
    }
  }
  if (told.length > 0) parts.hub.publish(backlog.id, { event: 'issue-created', data: { key, ...(by ? { by } : {}) } }, { to: told });
}
