import type { Router } from '../http/jira-route';
import type { ChangeSink } from '../issues/issue-change';
import type { SearchIndex } from '../realism/search-index';
import type { SiteState } from '../site/site-state';

/** What every route module receives. */
export interface RouteDeps {
  router: Router;
  state: SiteState;
  /** Hands a change to the webhook publisher. */
  emit: ChangeSink;
  /** The lagging search index (realism.searchLagMs); search reads the live site without it. */
  searchIndex?: SearchIndex;
}
