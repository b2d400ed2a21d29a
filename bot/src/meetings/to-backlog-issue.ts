import { browseUrl } from '../jira/site-url';
import { UNNAMED_PERSON } from '../jira/views/unnamed-person';
import type { BacklogIssue, StatusCategory } from './backlog';
import { ORIGINAL_ESTIMATE, TIME_TRACKING } from './estimation/estimate-field-cache';

/** The parts of a Jira REST v3 issue the tab shows; anything may be missing, as in Jira's answers. */
export interface JiraIssueLike {
  id?: string;
  key?: string;
  fields?: Record<string, unknown>;
}

export interface IssueFieldIds {
  /** The issue's estimate field; Jira's original time estimate (seconds) is given in hours. */
  estimate?: string | null;
  rank?: string | null;
}

interface Named {
  id?: unknown;
  name?: unknown;
  iconUrl?: unknown;
}

/** Maps a Jira issue to the tab's row; `siteUrl` makes the browse link the user opens. */
export function toBacklogIssue(issue: JiraIssueLike, siteUrl: string, ids: IssueFieldIds = {}): BacklogIssue {
  const fields = issue.fields ?? {};
  const key = String(issue.key ?? '');
  const type = (fields.issuetype ?? {}) as Named;
  const status = (fields.status ?? {}) as Named & { statusCategory?: { key?: unknown } };
  const priority = fields.priority as Named | null | undefined;
  const assignee = fields.assignee as { accountId?: unknown; displayName?: unknown; avatarUrls?: Record<string, unknown> } | null | undefined;
  const estimate = ids.estimate ? estimateOf(fields, ids.estimate) : null;
  const rank = ids.rank ? fields[ids.rank] : null;
  const avatar = assignee?.avatarUrls?.['48x48'] ?? assignee?.avatarUrls?.['32x32'];
  return {
    key,
    id: String(issue.id ?? ''),
    url: browseUrl(siteUrl, key),
    summary: typeof fields.summary === 'string' ? fields.summary : '',
    issueType: { name: text(type.name, 'Issue'), ...optionalUrl('iconUrl', type.iconUrl) },
    status: { name: text(status.name, 'Unknown'), category: statusCategory(status.statusCategory?.key) },
    priority:
      priority && priority.id !== undefined ? { id: String(priority.id), name: text(priority.name, String(priority.id)), ...optionalUrl('iconUrl', priority.iconUrl) } : null,
    assignee:
      assignee && typeof assignee.accountId === 'string'
        ? { accountId: assignee.accountId, displayName: text(assignee.displayName, UNNAMED_PERSON), ...optionalUrl('avatarUrl', avatar) }
        : null,
    estimate: typeof estimate === 'number' && Number.isFinite(estimate) ? estimate : null,
    ...(ids.estimate === ORIGINAL_ESTIMATE ? { estimateUnit: 'hours' as const } : {}),
    rank: typeof rank === 'string' && rank ? rank : null,
    updated: isoTime(fields.updated),
  };
}

const SECONDS_PER_HOUR = 3600;

/** A time estimate in hours, the unit rounds accept it in (5400 s is 1.5), to two decimals since Jira keeps minutes. */
function estimateOf(fields: Record<string, unknown>, fieldId: string): unknown {
  if (fieldId !== ORIGINAL_ESTIMATE) return fields[fieldId];
  const seconds = fields[ORIGINAL_ESTIMATE] ?? (fields[TIME_TRACKING] as { originalEstimateSeconds?: unknown } | undefined)?.originalEstimateSeconds;
  return typeof seconds === 'number' ? Math.round((seconds / SECONDS_PER_HOUR) * 100) / 100 : null;
}

function statusCategory(key: unknown): StatusCategory {
  return key === 'indeterminate' || key === 'done' ? key : 'new';
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value ? value : fallback;
}

function optionalUrl<K extends string>(name: K, value: unknown): { [P in K]?: string } {
  return (typeof value === 'string' && /^https?:\/\//i.test(value) ? { [name]: value } : {}) as { [P in K]?: string };
}

/** Jira writes `2024-05-01T10:00:00.000+0000`; the tab gets ISO 8601 with a Z. */
function isoTime(value: unknown): string {
  if (typeof value !== 'string') return new Date(0).toISOString();
  const parsed = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(parsed.getTime()) ? value : parsed.toISOString();
}
