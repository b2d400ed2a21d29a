import type { JqlCatalog, JqlContext, JqlIssue, JqlUser } from '../jql';
import type { JqlCustomField } from '../jql/find-jql-field';
import { adfToText } from '../site/adf';
import { FieldId } from '../site/field-ids';
import type { FieldDef, Issue } from '../site/site-model';
import type { SiteState } from '../site/site-state';

function jqlUser(state: SiteState, accountId: unknown): JqlUser | null {
  const user = state.user(typeof accountId === 'string' ? accountId : null);
  return user ? { accountId: user.accountId, displayName: user.displayName, emailAddress: user.email } : null;
}

/** Views cached per issue object and revision (every change bumps it; see touchIssue). */
const views = new WeakMap<Issue, { revision: number; view: JqlIssue }>();

/** The flat view of a stored issue that the JQL evaluator reads; searches reuse it until the issue changes. */
export function toJqlIssue(state: SiteState, issue: Issue): JqlIssue {
  const revision = issue.revision ?? 0;
  const cached = views.get(issue);
  if (cached && cached.revision === revision) return cached.view;
  const view = buildJqlIssue(state, issue);
  views.set(issue, { revision, view });
  return view;
}

function buildJqlIssue(state: SiteState, issue: Issue): JqlIssue {
  const project = state.projectOf(issue);
  const status = state.status(issue.statusId);
  const category = state.statusCategory(status.categoryId);
  const sprintIds = (issue.values[FieldId.Sprint] as number[] | undefined) ?? [];
  const points = issue.values[FieldId.StoryPoints];
  return {
    id: issue.id,
    key: issue.key,
    projectKey: project.key,
    projectName: project.name,
    summary: String(issue.values.summary ?? ''),
    descriptionText: adfToText(issue.values.description as never),
    commentTexts: issue.comments.map((c) => adfToText(c.body)),
    statusName: status.name,
    statusCategoryKey: category.key === 'undefined' ? 'new' : category.key,
    statusCategoryName: category.key === 'done' ? 'Done' : category.key === 'indeterminate' ? 'In Progress' : 'To Do',
    priorityName: state.priority(issue.values.priority as string)?.name ?? null,
    issueTypeName: state.issueType(issue.issueTypeId)?.name ?? '',
    assignee: jqlUser(state, issue.values.assignee),
    reporter: jqlUser(state, issue.values.reporter),
    labels: [...((issue.values.labels as string[] | undefined) ?? [])],
    created: new Date(issue.created),
    updated: new Date(issue.updated),
    resolved: issue.resolutionDate === null ? null : new Date(issue.resolutionDate),
    rank: issue.rank,
    storyPoints: typeof points === 'number' ? points : null,
    sprint: sprintIds
      .map((id) => state.site.sprints.find((s) => s.id === id))
      .filter((s) => !!s)
      .map((s) => ({ id: s.id, name: s.name, state: s.state })),
    watchers: issue.watchers.map((id) => jqlUser(state, id) ?? id),
    projectId: project.id,
    statusId: status.id,
    priorityId: (issue.values.priority as string | undefined) ?? null,
    issueTypeId: issue.issueTypeId,
    parentKey: issue.values.parent ? (state.issue(String(issue.values.parent))?.key ?? null) : null,
    resolutionName: state.site.resolutions.find((r) => r.id === issue.values.resolution)?.name ?? null,
    dueDate: typeof issue.values.duedate === 'string' ? new Date(`${issue.values.duedate}T00:00:00Z`) : null,
    history: issue.changelog.map((entry) => ({
      at: new Date(entry.created),
      author: jqlUser(state, entry.authorAccountId),
      items: entry.items.map((item) => ({
        field: item.field,
        from: item.from ?? null,
        fromString: item.fromString ?? null,
        to: item.to ?? null,
        toString: item.toString ?? null,
      })),
    })),
    comments: issue.comments.map((c) => ({ author: jqlUser(state, c.authorAccountId), at: new Date(c.created) })),
    custom: Object.fromEntries(customFieldsOf(state).map(({ def }) => [def.id, customValue(state, def, issue.values[def.id])])),
  };
}

const FAMILIES: Partial<Record<FieldDef['kind'], JqlCustomField['family']>> = {
  date: 'date',
  datetime: 'date',
  number: 'number',
  select: 'option',
  multiselect: 'option',
  cascading: 'option',
  user: 'user',
  labels: 'labels',
};
// These have a built-in meaning in the engine (Story Points, Sprint, Rank), so they stay out of `custom`.
const BUILT_IN: ReadonlySet<string> = new Set([FieldId.StoryPoints, FieldId.Sprint, FieldId.Rank]);

function customFieldsOf(state: SiteState): Array<{ def: FieldDef; family: JqlCustomField['family'] }> {
  return state.site.fields.filter((def) => def.custom && !BUILT_IN.has(def.id) && FAMILIES[def.kind]).map((def) => ({ def, family: FAMILIES[def.kind]! }));
}

/** The site's custom fields as JQL clause names (name and cf[N]) resolve them. */
export function jqlCustomFields(state: SiteState): JqlCustomField[] {
  return customFieldsOf(state).map(({ def, family }) => ({ id: def.id, name: def.name, family }));
}

function customValue(state: SiteState, def: FieldDef, value: unknown): Date | number | string[] | JqlUser | null {
  if (value === undefined || value === null) return def.kind === 'labels' || def.kind === 'multiselect' ? [] : null;
  const optionName = (id: unknown) => def.options?.find((o) => o.id === id)?.value;
  switch (def.kind) {
    case 'date':
      return new Date(`${String(value)}T00:00:00Z`);
    case 'datetime':
      return new Date(value as number);
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'select':
      return [optionName(value)].filter((v): v is string => !!v);
    case 'multiselect':
      return (value as unknown[]).map(optionName).filter((v): v is string => !!v);
    case 'cascading': {
      const { parentId, childId } = value as { parentId?: string; childId?: string };
      const parent = def.options?.find((o) => o.id === parentId);
      const child = parent?.children?.find((c) => c.id === childId);
      return [parent?.value, child?.value].filter((v): v is string => !!v);
    }
    case 'user':
      return jqlUser(state, value);
    case 'labels':
      return [...(value as string[])];
    default:
      return null;
  }
}

export function jqlCatalog(state: SiteState): JqlCatalog {
  const site = state.site;
  return {
    projects: site.projects.map((p) => ({ key: p.key, name: p.name, id: p.id })),
    statuses: site.statuses.map((s) => ({ id: s.id, name: s.name })),
    priorities: site.priorities.map((p) => ({ id: p.id, name: p.name })),
    issueTypes: site.issueTypes.map((t) => ({ id: t.id, name: t.name })),
    users: site.users.map((u) => ({ accountId: u.accountId, displayName: u.displayName, emailAddress: u.email })),
    sprints: site.sprints.map((s) => ({ id: s.id, name: s.name })),
    resolutions: site.resolutions.map((r) => r.name),
  };
}

export function jqlContext(state: SiteState, accountId: string | undefined): JqlContext {
  return {
    currentAccountId: accountId,
    now: new Date(state.now()),
    priorityOrder: state.site.priorities.map((p) => p.name),
  };
}
