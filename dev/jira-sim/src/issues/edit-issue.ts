import { JiraError } from '../http/jira-error';
import type { ChangeItem, Issue } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import type { IssueChange } from './issue-change';
import { changeItem, recordChange, sameValue } from './record-change';
import { resolveFieldInput, type FieldInput } from './resolve-field-input';

/** Writes resolved values onto the issue and returns the changelog items for what really changed. */
export function applyValues(state: SiteState, issue: Issue, values: Record<string, unknown>): ChangeItem[] {
  const items: ChangeItem[] = [];
  for (const [fieldId, next] of Object.entries(values)) {
    const before = issue.values[fieldId];
    if (sameValue(before, next)) continue;
    // Jira logs a time tracking edit as the estimate fields it changed, not as `timetracking`.
    if (state.field(fieldId)?.kind !== 'timetracking') items.push(changeItem(state, fieldId, before, next));
    issue.values[fieldId] = next;
  }
  return items;
}

function eventTypeFor(items: ChangeItem[]): string {
  return items.length === 1 && items[0].fieldId === 'assignee' ? 'issue_assigned' : 'issue_updated';
}

/** PUT /rest/api/3/issue/{key}: `fields` and `update` operations, checked against the edit screen. */
export function editIssue(state: SiteState, actorAccountId: string, issue: Issue, input: FieldInput): IssueChange | null {
  const project = state.projectOf(issue);
  if (!state.can(actorAccountId, project, 'EDIT_ISSUES')) {
    throw new JiraError(403, ['You do not have permission to edit issues in this project.']);
  }
  const values = resolveFieldInput(state, project, issue.issueTypeId, input, issue.values);
  if ('assignee' in values && !sameValue(values.assignee, issue.values.assignee) && !state.can(actorAccountId, project, 'ASSIGN_ISSUES')) {
    throw JiraError.badRequest({ assignee: 'You do not have permission to assign issues.' });
  }
  const items = applyValues(state, issue, values);
  if (!items.length) return null;
  const changelog = recordChange(state, issue, actorAccountId, items);
  return { event: 'jira:issue_updated', eventTypeName: eventTypeFor(items), issue, actorAccountId, changelog };
}

/** PUT /rest/api/3/issue/{key}/assignee. */
export function assignIssue(state: SiteState, actorAccountId: string, issue: Issue, accountId: string | null): IssueChange | null {
  const project = state.projectOf(issue);
  if (!state.can(actorAccountId, project, 'ASSIGN_ISSUES')) {
    throw new JiraError(403, ['You do not have permission to assign issues.']);
  }
  if (accountId !== null && accountId !== '-1') {
    if (!state.user(accountId)) throw JiraError.badRequest({ accountId: `The accountId '${accountId}' is invalid` });
    if (!state.can(accountId, project, 'ASSIGNABLE_USER')) {
      throw JiraError.badRequest({ assignee: `User '${accountId}' cannot be assigned issues.` });
    }
  }
  const next = accountId === '-1' ? null : accountId;
  const items = applyValues(state, issue, { assignee: next });
  if (!items.length) return null;
  const changelog = recordChange(state, issue, actorAccountId, items);
  return { event: 'jira:issue_updated', eventTypeName: 'issue_assigned', issue, actorAccountId, changelog };
}
