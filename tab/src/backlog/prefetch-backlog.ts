import type { TabApi } from '../api/create-tab-api';
import { TabApiError } from '../api/tab-api-error';
import type { Backlog, IssuePage } from '../api/types';

export const PAGE_SIZE = 100;

/** One page and, once it is in, the request for the next (undefined after the last page). */
export interface PageLink {
  page: Promise<IssuePage>;
  next: Promise<PageLink | undefined>;
}

export interface PageChain {
  first: PageLink;
  /** Stops reading further pages (a newer load replaced this one). */
  cancel(): void;
}

/**
 * Every page of the backlog from one request, each read the moment it arrives, whether or not
 * anyone reads it yet: the panel loads all pages anyway, and the UI may still be starting up.
 */
export function fetchPageChain(api: TabApi, backlogId: string): PageChain {
  const abort = new AbortController();
  const pages = api.issuePages(backlogId, PAGE_SIZE, abort.signal);
  const link = (): PageLink => {
    // Once cancelled, the page being read ends empty and last: its reader has been replaced and stops.
    const page = pages.next().then(
      (read): IssuePage => {
        if (!read.done) return read.value;
        if (abort.signal.aborted) return { issues: [] };
        throw new TabApiError(0, 'network', 'The connection to the service was cut. Reload the tab.');
      },
      (error: unknown): IssuePage => {
        if (abort.signal.aborted) return { issues: [] };
        throw error;
      },
    );
    // After the last page the response is over: let the reader go.
    const next = page.then((p) => (p.nextPageToken ? link() : void pages.return(undefined)));
    // Whoever awaits them sees the failure; until then it is not an unhandled rejection.
    page.catch(() => undefined);
    next.catch(() => undefined);
    return { page, next };
  };
  return { first: link(), cancel: () => abort.abort() };
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
