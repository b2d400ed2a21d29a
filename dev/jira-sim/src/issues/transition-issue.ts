import { JiraError } from '../http/jira-error';
import { availableTransitions } from '../render/render-transitions';
import { DONE_RESOLUTION_ID } from '../site/site-catalog';
import type { ChangeItem, Issue } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import { applyValues } from './edit-issue';
import type { IssueChange } from './issue-change';
import { recordChange } from './record-change';
import { resolveFieldInput, type FieldInput } from './resolve-field-input';

function statusItem(state: SiteState, from: string, to: string): ChangeItem {
  return {
    field: 'status',
    fieldtype: 'jira',
    fieldId: 'status',
    from,
    fromString: state.status(from).name,
    to,
    toString: state.status(to).name,
  };
}

function resolutionItem(state: SiteState, from: unknown, to: unknown): ChangeItem {
  const name = (id: unknown) => state.site.resolutions.find((r) => r.id === id)?.name ?? null;
  return {
    field: 'resolution',
    fieldtype: 'jira',
    fieldId: 'resolution',
    from: (from as string | null) ?? null,
    fromString: name(from),
    to: (to as string | null) ?? null,
    toString: name(to),
  };
}

/**
 * POST /rest/api/3/issue/{key}/transitions. Moving into a Done-category status sets the
 * resolution; moving out clears it, as Jira's default workflows do.
 */
export function transitionIssue(state: SiteState, actorAccountId: string, issue: Issue, input: FieldInput & { transition?: unknown }): IssueChange {
  const ref = input.transition as { id?: unknown } | undefined;
  if (!ref || typeof ref !== 'object' || ref.id === undefined) {
    throw JiraError.badRequest({}, ["Missing 'transition' identifier"]);
  }
  if (!state.can(actorAccountId, state.projectOf(issue), 'TRANSITION_ISSUES')) {
    throw JiraError.badRequest({}, ['You do not have permission to transition this issue.']);
  }
  const transition = availableTransitions(state, issue).find((t) => t.id === String(ref.id));
  if (!transition) {
    throw JiraError.badRequest({}, [`Transition id '${String(ref.id)}' is not valid for this issue.`]);
  }
  const fields = { ...((input.fields ?? {}) as Record<string, unknown>) };
  const resolutionInput = fields.resolution as { id?: unknown; name?: unknown } | undefined;
  delete fields.resolution;
  const values = resolveFieldInput(state, state.projectOf(issue), issue.issueTypeId, { fields, update: input.update }, issue.values);

  const fromStatus = state.status(issue.statusId);
  const toStatus = state.status(transition.toStatusId);
  const items: ChangeItem[] = [];
  const now = state.now();
  const wasDone = fromStatus.categoryId === 3;
  const isDone = toStatus.categoryId === 3;
  if (isDone && !wasDone) {
    const chosen = resolutionInput
      ? state.site.resolutions.find((r) => (resolutionInput.id !== undefined ? r.id === String(resolutionInput.id) : r.name === resolutionInput.name))
      : undefined;
    if (resolutionInput && !chosen) throw JiraError.badRequest({ resolution: 'The resolution selected is invalid.' });
    const resolutionId = chosen?.id ?? DONE_RESOLUTION_ID;
    items.push(resolutionItem(state, issue.values.resolution ?? null, resolutionId));
    issue.values.resolution = resolutionId;
    issue.resolutionDate = now;
  } else if (!isDone && wasDone) {
    items.push(resolutionItem(state, issue.values.resolution ?? null, null));
    issue.values.resolution = null;
    issue.resolutionDate = null;
  }
  items.push(statusItem(state, issue.statusId, toStatus.id));
  if (fromStatus.categoryId !== toStatus.categoryId) issue.statusCategoryChanged = now;
  issue.statusId = toStatus.id;
  items.push(...applyValues(state, issue, values));
  const changelog = recordChange(state, issue, actorAccountId, items);
  return { event: 'jira:issue_updated', eventTypeName: 'issue_generic', issue, actorAccountId, changelog };
}
