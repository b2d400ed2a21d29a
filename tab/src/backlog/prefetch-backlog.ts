import type { TabApi } from '../api/create-tab-api';
import type { Backlog, IssuePage } from '../api/types';

export const PAGE_SIZE = 100;

/**
 * The first requests of a panel, sent the moment Teams is ready rather than after the first React
 * render. The options (priorities, projects) wait until the list is in: only editing needs them,
 * and they cost the bot several Jira calls that would compete with the first pages.
 */
export interface BacklogPrefetch {
  backlog: Promise<Backlog>;
  firstPage: Promise<IssuePage>;
}

export function prefetchBacklog(api: TabApi, backlogId: string): BacklogPrefetch {
  const prefetch = {
    backlog: api.getBacklog(backlogId),
    firstPage: api.listIssues(backlogId, { pageSize: PAGE_SIZE }),
  };
  // Whoever awaits them sees the failure; until then it is not an unhandled rejection.
  for (const promise of Object.values(prefetch)) promise.catch(() => undefined);
  return prefetch;
}
