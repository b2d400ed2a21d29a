import { JiraError } from '../http/jira-error';
import type { Issue } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import type { IssueChange } from './issue-change';
import { touchIssue } from './record-change';

/** DELETE /rest/api/3/issue/{key}; returns one change per removed issue (subtasks first). */
export function deleteIssue(state: SiteState, actorAccountId: string, issue: Issue, deleteSubtasks: boolean): IssueChange[] {
  if (!state.can(actorAccountId, state.projectOf(issue), 'DELETE_ISSUES')) {
    throw new JiraError(403, ['You do not have permission to delete issues in this project.']);
  }
  const subtasks = state.site.issues.filter((i) => i.values.parent === issue.id && state.issueType(i.issueTypeId)?.subtask);
  if (subtasks.length && !deleteSubtasks) {
    throw JiraError.badRequest({}, [`The issue '${issue.key}' has subtasks.  You must specify the 'deleteSubtasks' parameter to delete this issue and all its subtasks.`]);
  }
  const removed = [...subtasks, issue];
  const gone = new Set(removed.map((i) => i.id));
  state.site.issues = state.site.issues.filter((i) => !gone.has(i.id));
  for (const i of state.site.issues) {
    if (i.values.parent && gone.has(String(i.values.parent))) {
      i.values.parent = null;
      touchIssue(state, i);
    }
  }
  removed.forEach((i) => state.unindex(i));
  return removed.map((i) => ({ event: 'jira:issue_deleted', eventTypeName: 'issue_deleted', issue: i, actorAccountId }));
}
