import type { TabApi } from '../api/create-tab-api';
import type { Backlog, IssuePage } from '../api/types';

export const PAGE_SIZE = 100;

/** One page and, once it is in, the request for the next (undefined after the last page). */
export interface PageLink {
  page: Promise<IssuePage>;
  next: Promise<PageLink | undefined>;
}

export interface PageChain {
  first: PageLink;
  /** Stops asking for further pages (a newer load replaced this one). */
  cancel(): void;
}

/**
 * Every page of the backlog, each asked for the moment the one before it arrives, whether or not
 * anyone reads it yet: the panel loads all pages anyway, and the UI may still be starting up.
 */
export function fetchPageChain(api: TabApi, backlogId: string): PageChain {
  let cancelled = false;
  const link = (page: Promise<IssuePage>): PageLink => {
    const next = page.then((p) => (p.nextPageToken && !cancelled ? link(api.listIssues(backlogId, { pageToken: p.nextPageToken, pageSize: PAGE_SIZE })) : undefined));
    // Whoever awaits them sees the failure; until then it is not an unhandled rejection.
    page.catch(() => undefined);
    next.catch(() => undefined);
    return { page, next };
  };
  return {
    first: link(api.listIssues(backlogId, { pageSize: PAGE_SIZE })),
    cancel: () => {
      cancelled = true;
    },
  };
}

/**
 * The first requests of a panel, sent the moment Teams is ready rather than after the first React
 * render. The options (priorities, projects) wait until the list is in: only editing needs them,
 * and they cost the bot several Jira calls that would compete with the pages.
 */
export interface BacklogPrefetch {
  backlog: Promise<Backlog>;
  pages: PageChain;
}

export function prefetchBacklog(api: TabApi, backlogId: string): BacklogPrefetch {
  const backlog = api.getBacklog(backlogId);
  backlog.catch(() => undefined);
  return { backlog, pages: fetchPageChain(api, backlogId) };
}
