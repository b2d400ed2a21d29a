/**
 * The issue as REST v3 returns it (IssueBean), with Jira's `fields` selection and `expand`
 * options. Webhooks render the same object so a client sees one shape everywhere.
 */
import { renderFieldValue } from '../fields/field-codec';
import { FieldId } from '../site/field-ids';
import type { FieldDef, Issue } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import { adfToHtml } from './adf-to-html';
import { jiraDateTime } from './jira-time';
import { renderChangelogEntry } from './render-changelog';
import { renderComment } from './render-comment';
import { renderIssueType, renderPriority, renderProjectRef, renderResolution, renderStatus } from './render-catalog';
import { renderUserFor } from './render-user';
import { renderTransitions } from './render-transitions';

export interface IssueView {
  /** The `fields` request parameter, split; undefined means the route's default. */
  fields?: string[];
  defaultFields: '*all' | '*navigable' | 'id';
  expand: Set<string>;
  /** The caller; decides `watches.isWatching` and which transitions are listed. */
  viewerAccountId: string | null;
}

const NOT_NAVIGABLE = new Set(['comment']);

/** Field ids an issue carries: its screen plus fields every issue has. */
export function issueFieldIds(state: SiteState, issue: Issue): string[] {
  const project = state.projectOf(issue);
  const screen = project.screens[issue.issueTypeId] ?? [];
  const ids = new Set<string>([
    'summary',
    'description',
    'issuetype',
    'project',
    'priority',
    'assignee',
    'reporter',
    'creator',
    'labels',
    'duedate',
    'status',
    'resolution',
    'resolutiondate',
    'created',
    'updated',
    'statuscategorychangedate',
    'comment',
    'watches',
    'subtasks',
    FieldId.Rank,
    ...screen.map((f) => f.fieldId),
  ]);
  if (state.issueType(issue.issueTypeId)?.subtask || issue.values.parent) ids.add('parent');
  return [...ids];
}

function resolveFieldToken(state: SiteState, token: string): string | undefined {
  if (state.field(token)) return token;
  const lower = token.toLowerCase();
  return state.site.fields.find((f) => f.name.toLowerCase() === lower)?.id;
}

export function selectFieldIds(state: SiteState, issue: Issue, view: Pick<IssueView, 'fields' | 'defaultFields'>): string[] {
  const tokens = view.fields && view.fields.length ? view.fields : [view.defaultFields];
  const all = issueFieldIds(state, issue);
  const chosen = new Set<string>();
  const excluded = new Set<string>();
  for (const raw of tokens) {
    const token = raw.trim();
    if (!token || token === 'id' || token === 'key') continue;
    if (token === '*all') all.forEach((f) => chosen.add(f));
    else if (token === '*navigable') all.filter((f) => !NOT_NAVIGABLE.has(f)).forEach((f) => chosen.add(f));
    else if (token.startsWith('-')) {
      const id = resolveFieldToken(state, token.slice(1));
      if (id) excluded.add(id);
    } else {
      const id = resolveFieldToken(state, token);
      if (id && all.includes(id)) chosen.add(id);
    }
  }
  return [...chosen].filter((f) => !excluded.has(f));
}

function issueRef(state: SiteState, issue: Issue): Record<string, unknown> {
  const siteUrl = state.site.url;
  const priority = state.priority(issue.values.priority as string);
  return {
    id: issue.id,
    key: issue.key,
    self: `${siteUrl}/rest/api/3/issue/${issue.id}`,
    fields: {
      summary: issue.values.summary,
      status: renderStatus(state, state.status(issue.statusId)),
      ...(priority ? { priority: renderPriority(siteUrl, priority) } : {}),
      issuetype: renderIssueType(siteUrl, state.issueType(issue.issueTypeId)!),
    },
  };
}

export function renderFieldOf(state: SiteState, issue: Issue, fieldId: string, viewerAccountId: string | null): unknown {
  const siteUrl = state.site.url;
  switch (fieldId) {
    case 'project':
      return renderProjectRef(siteUrl, state.projectOf(issue));
    case 'issuetype':
      return renderIssueType(siteUrl, state.issueType(issue.issueTypeId)!);
    case 'status':
      return renderStatus(state, state.status(issue.statusId));
    case 'resolution': {
      const resolution = state.site.resolutions.find((r) => r.id === issue.values.resolution);
      return resolution ? renderResolution(siteUrl, resolution) : null;
    }
    case 'resolutiondate':
      return issue.resolutionDate === null ? null : jiraDateTime(issue.resolutionDate);
    case 'created':
      return jiraDateTime(issue.created);
    case 'updated':
      return jiraDateTime(issue.updated);
    case 'statuscategorychangedate':
      return jiraDateTime(issue.statusCategoryChanged);
    case 'creator': {
      const creator = state.user(issue.creatorAccountId);
      return creator ? renderUserFor(state, creator) : null;
    }
    case 'watches':
      return {
        self: `${siteUrl}/rest/api/3/issue/${issue.key}/watchers`,
        watchCount: issue.watchers.length,
        isWatching: viewerAccountId !== null && issue.watchers.includes(viewerAccountId),
      };
    case 'comment':
      return {
        comments: issue.comments.map((c) => renderComment(state, issue, c)),
        self: `${siteUrl}/rest/api/3/issue/${issue.id}/comment`,
        maxResults: issue.comments.length,
        total: issue.comments.length,
        startAt: 0,
      };
    case 'subtasks':
      return state.site.issues.filter((i) => i.values.parent === issue.id && state.issueType(i.issueTypeId)?.subtask).map((i) => issueRef(state, i));
    case 'parent': {
      const parent = state.issue(String(issue.values.parent ?? ''));
      return parent ? issueRef(state, parent) : null;
    }
    case FieldId.Rank:
      return issue.rank;
    default: {
      const def = state.field(fieldId);
      return def ? renderFieldValue(state, def, issue.values[fieldId]) : null;
    }
  }
}

export function renderIssue(state: SiteState, issue: Issue, view: IssueView): Record<string, unknown> {
  const siteUrl = state.site.url;
  const fieldIds = selectFieldIds(state, issue, view);
  const fields: Record<string, unknown> = {};
  for (const id of fieldIds) fields[id] = renderFieldOf(state, issue, id, view.viewerAccountId);
  const out: Record<string, unknown> = {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: `${siteUrl}/rest/api/3/issue/${issue.id}`,
    key: issue.key,
    fields,
  };
  if (view.expand.has('renderedFields')) {
    const rendered: Record<string, unknown> = {};
    for (const id of fieldIds) {
      if (id === 'description') rendered[id] = adfToHtml(issue.values.description as never);
      else if (id === 'created' || id === 'updated') rendered[id] = fields[id];
      else rendered[id] = null;
    }
    out.renderedFields = rendered;
  }
  if (view.expand.has('names')) {
    out.names = Object.fromEntries(fieldIds.map((id) => [id, state.field(id)?.name ?? id]));
  }
  if (view.expand.has('schema')) {
    out.schema = Object.fromEntries(fieldIds.filter((id) => state.field(id)).map((id) => [id, { ...(state.field(id) as FieldDef).schema }]));
  }
  if (view.expand.has('transitions')) {
    out.transitions = renderTransitions(state, issue, view.viewerAccountId);
  }
  if (view.expand.has('changelog')) {
    out.changelog = {
      startAt: 0,
      maxResults: issue.changelog.length,
      total: issue.changelog.length,
      histories: [...issue.changelog].reverse().map((e) => renderChangelogEntry(state, e)),
    };
  }
  return out;
}
