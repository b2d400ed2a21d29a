import { JiraError } from '../http/jira-error';
import { FieldId } from '../site/field-ids';
import { rankBetween } from '../site/lexo-rank';
import { DEFAULT_PRIORITY_ID } from '../site/site-catalog';
import type { Issue } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import type { IssueChange } from './issue-change';
import { readFieldInput, type FieldInput } from './resolve-field-input';

function refOf(value: unknown): { id?: unknown; key?: unknown; name?: unknown } | null {
  return value && typeof value === 'object' ? value : null;
}

/** POST /rest/api/3/issue: validates like Jira (errors per field), then files the issue at the bottom of the rank. */
export function createIssue(state: SiteState, actorAccountId: string, input: FieldInput): IssueChange {
  const fields = (input.fields && typeof input.fields === 'object' ? input.fields : {}) as Record<string, unknown>;
  const projectRef = refOf(fields.project);
  const projectKey = projectRef ? (projectRef.key ?? projectRef.id) : undefined;
  const project = typeof projectKey === 'string' ? state.project(projectKey) : undefined;
  if (!project || !state.can(actorAccountId, project, 'BROWSE_PROJECTS')) {
    throw JiraError.badRequest({ project: 'Specify a valid project ID or key' });
  }
  if (!state.can(actorAccountId, project, 'CREATE_ISSUES')) {
    throw new JiraError(403, ['You do not have permission to create issues in this project.']);
  }
  const typeRef = refOf(fields.issuetype);
  const issueType = typeRef
    ? state.site.issueTypes.find((t) => project.issueTypeIds.includes(t.id) && (typeRef.id !== undefined ? t.id === String(typeRef.id) : t.name === typeRef.name))
    : undefined;
  if (!issueType) {
    throw JiraError.badRequest({ issuetype: typeRef ? 'Specify a valid issue type' : 'Specify an issue type' });
  }
  const { values, errors } = readFieldInput(state, project, issueType.id, input, {}, new Set(['project', 'issuetype']));
  if (values.reporter === undefined || values.reporter === null) values.reporter = actorAccountId;
  if (values.priority === undefined) values.priority = DEFAULT_PRIORITY_ID;
  if (values.assignee !== undefined && values.assignee !== null && !state.can(actorAccountId, project, 'ASSIGN_ISSUES')) {
    errors.assignee ??= 'You do not have permission to assign issues.';
  }
  // Every problem is answered at once: bad values and missing required fields together.
  for (const screenField of project.screens[issueType.id] ?? []) {
    const value = values[screenField.fieldId];
    const empty = value === undefined || value === null || (Array.isArray(value) && value.length === 0);
    if (!screenField.required || screenField.fieldId === 'project' || screenField.fieldId === 'issuetype' || !empty) continue;
    errors[screenField.fieldId] ??= screenField.fieldId === 'summary' ? 'You must specify a summary of the issue.' : `${state.field(screenField.fieldId)!.name} is required.`;
  }
  if (Object.keys(errors).length) throw JiraError.badRequest(errors);
  if (issueType.subtask && values.parent && state.issue(String(values.parent))?.issueTypeId === issueType.id) {
    throw JiraError.badRequest({ parent: 'Given parent work item does not belong to appropriate hierarchy.' });
  }

  const now = state.now();
  const workflow = state.workflowOf(project);
  const lastRank = state.site.issues.reduce<string | null>((max, i) => (max === null || i.rank > max ? i.rank : max), null);
  const issue: Issue = {
    id: String(++state.site.counters.issue),
    key: `${project.key}-${project.nextIssueNumber++}`,
    projectId: project.id,
    issueTypeId: issueType.id,
    statusId: workflow.initialStatusId,
    created: now,
    updated: now,
    statusCategoryChanged: now,
    resolutionDate: null,
    creatorAccountId: actorAccountId,
    values,
    comments: [],
    changelog: [],
    watchers: [actorAccountId],
    remoteLinks: [],
    rank: rankBetween(lastRank, null),
  };
  delete issue.values[FieldId.Rank];
  state.site.issues.push(issue);
  state.index(issue);
  return { event: 'jira:issue_created', eventTypeName: 'issue_created', issue, actorAccountId };
}
