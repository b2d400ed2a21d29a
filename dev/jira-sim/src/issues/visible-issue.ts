import { ISSUE_NOT_FOUND, JiraError } from '../http/jira-error';
import type { Issue } from '../site/site-model';
import type { SiteState } from '../site/site-state';

/** The issue if the caller may browse it; otherwise Jira's 404, which never reveals that it exists. */
export function visibleIssue(state: SiteState, accountId: string, idOrKey: string): Issue {
  const issue = state.issue(idOrKey);
  if (!issue || !state.canBrowse(accountId, issue)) throw new JiraError(404, [ISSUE_NOT_FOUND]);
  return issue;
}
