/**
 * One place that knows each field kind: how Jira renders its value, which input it accepts on
 * create/edit (with Jira's error text), and how the change reads in a changelog.
 */
import { isAdfDoc, adfToText } from '../site/adf';
import type { FieldDef, FieldOption, Project } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import { isJiraDate, jiraDateTime, parseJiraDateTime } from '../render/jira-time';
import { renderUserFor } from '../render/render-user';
import { renderIssueType, renderPriority } from '../render/render-catalog';
import { parseTimeTrackingInput, renderTimeTracking, type TimeTracking } from './time-tracking';

export interface CascadingValue {
  parentId: string;
  childId?: string;
}

export type ParseResult = { value: unknown } | { error: string };

function renderOption(siteUrl: string, option: FieldOption): Record<string, unknown> {
  return { self: `${siteUrl}/rest/api/3/customFieldOption/${option.id}`, value: option.value, id: option.id };
}

function findOption(options: FieldOption[] | undefined, input: unknown): FieldOption | string {
  const ref = input as { id?: unknown; value?: unknown } | null;
  if (!ref || typeof ref !== 'object') return 'Specify a valid value for the option (id or value).';
  const option = (options ?? []).find((o) => (ref.id !== undefined ? o.id === String(ref.id) : o.value === ref.value));
  if (option) return option;
  return ref.id !== undefined ? `Option id '${String(ref.id)}' is not valid` : `Option value '${String(ref.value)}' is not valid`;
}

export function sprintRefs(state: SiteState, ids: number[]): Array<Record<string, unknown>> {
  return ids
    .map((id) => state.site.sprints.find((s) => s.id === id))
    .filter((s) => !!s)
    .map((s) => ({
      id: s.id,
      name: s.name,
      state: s.state,
      boardId: s.boardId,
      goal: s.goal,
      ...(s.startDate !== undefined ? { startDate: jiraDateTime(s.startDate) } : {}),
      ...(s.endDate !== undefined ? { endDate: jiraDateTime(s.endDate) } : {}),
      ...(s.completeDate !== undefined ? { completeDate: jiraDateTime(s.completeDate) } : {}),
    }));
}

/** The JSON Jira returns for a stored value; null when unset. */
export function renderFieldValue(state: SiteState, def: FieldDef, value: unknown): unknown {
  const siteUrl = state.site.url;
  if (def.kind === 'timetracking') return renderTimeTracking(value as TimeTracking | undefined);
  if (value === undefined || value === null) return def.kind === 'labels' ? [] : null;
  switch (def.kind) {
    case 'string':
    case 'number':
    case 'date':
    case 'rank':
      return value;
    case 'adf':
      return value;
    case 'datetime':
      return jiraDateTime(value as number);
    case 'labels':
      return [...(value as string[])];
    case 'select': {
      const option = def.options?.find((o) => o.id === value);
      return option ? renderOption(siteUrl, option) : null;
    }
    case 'multiselect':
      return (value as string[])
        .map((id) => def.options?.find((o) => o.id === id))
        .filter((o) => !!o)
        .map((o) => renderOption(siteUrl, o));
    case 'cascading': {
      const { parentId, childId } = value as CascadingValue;
      const parent = def.options?.find((o) => o.id === parentId);
      if (!parent) return null;
      const child = parent.children?.find((c) => c.id === childId);
      return { ...renderOption(siteUrl, parent), ...(child ? { child: renderOption(siteUrl, child) } : {}) };
    }
    case 'user': {
      const user = state.user(value as string);
      return user ? renderUserFor(state, user) : null;
    }
    case 'priority': {
      const priority = state.priority(value as string);
      return priority ? renderPriority(siteUrl, priority) : null;
    }
    case 'issuetype': {
      const type = state.issueType(value as string);
      return type ? renderIssueType(siteUrl, type) : null;
    }
    case 'sprint':
      return sprintRefs(state, value as number[]);
    default:
      return value;
  }
}

/** How a stored value reads in a changelog item: the raw id and the display string. */
export function changeStrings(state: SiteState, def: FieldDef, value: unknown): { raw: string | null; text: string | null } {
  if (value === undefined || value === null) return { raw: null, text: null };
  switch (def.kind) {
    case 'adf':
      return { raw: null, text: adfToText(value as never) };
    case 'string':
      return { raw: null, text: String(value) };
    case 'number':
    case 'date':
      return { raw: String(value), text: String(value) };
    case 'datetime':
      return { raw: jiraDateTime(value as number), text: jiraDateTime(value as number) };
    case 'labels':
      return { raw: null, text: (value as string[]).join(' ') || null };
    case 'select': {
      const option = def.options?.find((o) => o.id === value);
      return { raw: String(value), text: option?.value ?? null };
    }
    case 'multiselect': {
      const ids = value as string[];
      return {
        raw: ids.join(',') || null,
        text: ids.map((id) => def.options?.find((o) => o.id === id)?.value ?? id).join(',') || null,
      };
    }
    case 'cascading': {
      const { parentId, childId } = value as CascadingValue;
      const parent = def.options?.find((o) => o.id === parentId);
      const child = parent?.children?.find((c) => c.id === childId);
      return {
        raw: [parentId, childId].filter(Boolean).join(','),
        text: `Parent values: ${parent?.value ?? parentId}${child ? `Level 1 values: ${child.value}` : ''}`,
      };
    }
    case 'user':
      return { raw: String(value), text: state.user(value as string)?.displayName ?? null };
    case 'priority':
      return { raw: String(value), text: state.priority(value as string)?.name ?? null };
    case 'issuetype':
      return { raw: String(value), text: state.issueType(value as string)?.name ?? null };
    case 'parent':
      return { raw: String(value), text: state.issue(value as string)?.key ?? null };
    case 'sprint': {
      const ids = value as number[];
      return {
        raw: ids.join(', ') || null,
        text: ids.map((id) => state.site.sprints.find((s) => s.id === id)?.name ?? String(id)).join(', ') || null,
      };
    }
    default:
      return { raw: String(value), text: String(value) };
  }
}

function parseUser(state: SiteState, def: FieldDef, input: unknown, project: Project): ParseResult {
  if (input === null) return { value: null };
  const ref = input as { accountId?: unknown; id?: unknown } | null;
  const accountId = ref && typeof ref === 'object' ? (ref.accountId ?? ref.id) : undefined;
  if (typeof accountId !== 'string') return { error: `Specify a valid value for ${def.id}` };
  if (accountId === '-1' && def.id === 'assignee') return { value: null };
  const user = state.user(accountId);
  if (!user) return { error: `The accountId '${accountId}' is invalid` };
  if (def.id === 'assignee' && !state.can(accountId, project, 'ASSIGNABLE_USER')) {
    return { error: `User '${accountId}' cannot be assigned issues.` };
  }
  return { value: accountId };
}

/** Turns request input for one field into its stored value, or Jira's error text for that field. */
export function parseFieldValue(state: SiteState, def: FieldDef, input: unknown, project: Project): ParseResult {
  switch (def.kind) {
    case 'string': {
      if (input === null && def.id !== 'summary') return { value: null };
      if (typeof input !== 'string') return { error: `Operation value must be a string` };
      if (def.id === 'summary') {
        if (input.trim() === '') return { error: 'You must specify a summary of the issue.' };
        if (input.length > 255) return { error: 'Summary must be less than 255 characters.' };
        if (/[\r\n]/.test(input)) return { error: 'The summary is invalid because it contains newline characters.' };
      }
      return { value: input };
    }
    case 'adf':
      if (input === null) return { value: null };
      if (!isAdfDoc(input)) return { error: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' };
      return { value: input };
    case 'number':
      if (input === null) return { value: null };
      if (typeof input !== 'number' || !Number.isFinite(input)) return { error: 'Operation value must be a number' };
      return { value: input };
    case 'date':
      if (input === null) return { value: null };
      if (!isJiraDate(input)) return { error: `Error parsing date string: ${String(input)}` };
      return { value: input };
    case 'datetime': {
      if (input === null) return { value: null };
      const ms = typeof input === 'string' ? parseJiraDateTime(input) : null;
      if (ms === null) return { error: `Error parsing datetime string: ${String(input)}` };
      return { value: ms };
    }
    case 'labels': {
      if (input === null) return { value: [] };
      if (!Array.isArray(input) || input.some((l) => typeof l !== 'string')) return { error: 'Operation value must be an array of strings' };
      const bad = (input as string[]).find((l) => /\s/.test(l));
      if (bad !== undefined) return { error: `The label '${bad}' contains spaces which is invalid.` };
      const tooLong = (input as string[]).find((l) => l.length > 255);
      if (tooLong !== undefined) return { error: 'The label must not exceed 255 characters.' };
      return { value: [...new Set(input as string[])] };
    }
    case 'select': {
      if (input === null) return { value: null };
      const option = findOption(def.options, input);
      return typeof option === 'string' ? { error: option } : { value: option.id };
    }
    case 'multiselect': {
      if (input === null) return { value: [] };
      if (!Array.isArray(input)) return { error: 'Operation value must be an array of options' };
      const ids: string[] = [];
      for (const item of input) {
        const option = findOption(def.options, item);
        if (typeof option === 'string') return { error: option };
        ids.push(option.id);
      }
      return { value: [...new Set(ids)] };
    }
    case 'cascading': {
      if (input === null) return { value: null };
      const parent = findOption(def.options, input);
      if (typeof parent === 'string') return { error: parent };
      const childInput = (input as { child?: unknown }).child;
      if (childInput === undefined || childInput === null) return { value: { parentId: parent.id } };
      const child = findOption(parent.children, childInput);
      if (typeof child === 'string') return { error: child };
      return { value: { parentId: parent.id, childId: child.id } };
    }
    case 'user':
      return parseUser(state, def, input, project);
    case 'priority': {
      const ref = input as { id?: unknown; name?: unknown } | null;
      if (!ref || typeof ref !== 'object' || (ref.id === undefined && ref.name === undefined)) {
        return { error: 'Specify the Priority (id or name) in the string format' };
      }
      const priority = state.site.priorities.find((p) => (ref.id !== undefined ? p.id === String(ref.id) : p.name === ref.name));
      return priority ? { value: priority.id } : { error: 'The priority selected is invalid.' };
    }
    case 'issuetype': {
      const ref = input as { id?: unknown; name?: unknown } | null;
      if (!ref || typeof ref !== 'object') return { error: 'Specify an issue type' };
      const type = state.site.issueTypes.find((t) => project.issueTypeIds.includes(t.id) && (ref.id !== undefined ? t.id === String(ref.id) : t.name === ref.name));
      return type ? { value: type.id } : { error: 'Specify a valid issue type' };
    }
    case 'parent': {
      if (input === null) return { value: null };
      const ref = input as { id?: unknown; key?: unknown } | null;
      const idOrKey = ref && typeof ref === 'object' ? (ref.key ?? ref.id) : undefined;
      const parent = typeof idOrKey === 'string' ? state.issue(idOrKey) : undefined;
      if (!parent || parent.projectId !== project.id) return { error: 'Could not find issue by id or key.' };
      return { value: parent.id };
    }
    case 'timetracking':
      return parseTimeTrackingInput(input);
    case 'sprint': {
      if (input === null) return { value: [] };
      if (typeof input !== 'number') return { error: 'Number value expected as the Sprint id.' };
      const sprint = state.site.sprints.find((s) => s.id === input);
      if (!sprint) return { error: `Sprint with id ${input} does not exist or you do not have permission to see it.` };
      if (sprint.state === 'closed') return { error: 'Issue can be assigned only active or future sprints.' };
      return { value: [input] };
    }
    default:
      return { error: `Field '${def.id}' cannot be set. It is not on the appropriate screen, or unknown.` };
  }
}
