import { JiraError } from '../http/jira-error';
import { FieldId } from '../site/field-ids';
import type { Issue, Sprint } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import { applyValues } from './edit-issue';
import type { IssueChange } from './issue-change';
import { recordChange } from './record-change';

/**
 * Moves issues into a sprint, or to the backlog when `sprint` is null (Agile
 * POST /sprint/{id}/issue and POST /backlog/issue). Closed sprints stay in the issue's history.
 */
export function moveToSprint(state: SiteState, actorAccountId: string, issueRefs: unknown, sprint: Sprint | null): IssueChange[] {
  if (!Array.isArray(issueRefs) || issueRefs.length === 0) throw JiraError.badRequest({}, ['At least one issue must be provided.']);
  if (issueRefs.length > 50) throw JiraError.badRequest({}, ['Only 50 issues can be moved at once.']);
  if (sprint?.state === 'closed') throw JiraError.badRequest({}, ['Issues can be moved only to active or future sprints.']);
  const issues: Issue[] = issueRefs.map((ref) => {
    const issue = typeof ref === 'string' ? state.issue(ref) : undefined;
    if (!issue || !state.canBrowse(actorAccountId, issue)) {
      throw JiraError.badRequest({}, [`Issue ${String(ref)} does not exist or you do not have permission to see it.`]);
    }
    if (!state.can(actorAccountId, state.projectOf(issue), 'SCHEDULE_ISSUES')) {
      throw new JiraError(403, ['You do not have permission to schedule issues.']);
    }
    return issue;
  });
  const changes: IssueChange[] = [];
  for (const issue of issues) {
    const current = (issue.values[FieldId.Sprint] as number[] | undefined) ?? [];
    const closed = current.filter((id) => state.site.sprints.find((s) => s.id === id)?.state === 'closed');
    const next = sprint ? [...new Set([...closed, sprint.id])] : closed;
    const items = applyValues(state, issue, { [FieldId.Sprint]: next });
    if (!items.length) continue;
    const changelog = recordChange(state, issue, actorAccountId, items);
    changes.push({ event: 'jira:issue_updated', eventTypeName: 'issue_updated', issue, actorAccountId, changelog });
  }
  return changes;
}
