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
  /** The backlog's name and query, which come with the first page. */
  backlog: Promise<Backlog>;
  first: PageLink;
  /** Stops reading further pages (a newer load replaced this one). */
  cancel(): void;
}

/**
 * The backlog and every page of it from one request, each page read the moment it arrives, whether
 * or not anyone reads it yet: the panel loads all pages anyway, and the UI may still be starting up.
 * boot.ts sends it the moment Teams is ready, before the UI's first render.
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
  const first = link();
  // A bot older than the tab (a rolling deploy) sends the first page without the backlog.
  const backlog = first.page.then((page) => page.backlog ?? api.getBacklog(backlogId));
  backlog.catch(() => undefined);
  return { backlog, first, cancel: () => abort.abort() };
}
