import type { Router } from '../http/jira-route';
import type { ChangeSink } from '../issues/issue-change';
import type { SiteState } from '../site/site-state';

/** What every route module receives. */
export interface RouteDeps {
  router: Router;
  state: SiteState;
  /** Hands a change to the webhook publisher. */
  emit: ChangeSink;
}
