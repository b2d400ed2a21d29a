import { clipText } from '../../cards/clip-text';
import type { IssueCardView, IssuePerson, IssueTransitionChoice } from '../../cards/issue-card';
import type { IssueListItem } from '../../cards/issue-list-card';
import type { StatusCategory } from '../../cards/status-badge';
import { adfToCardText } from '../adf/adf-to-card-text';
import { browseUrl } from '../site-url';
import { UNNAMED_PERSON } from './unnamed-person';

type Json = Record<string, unknown>;

export interface IssueCardViewOptions {
  /** Visible characters of the description excerpt; 400 unless told. */
  descriptionLength?: number;
}

/**
 * Fills the issue card from Jira's JSON: an issue from `GET /rest/api/3/issue/{key}` (or a
 * search result), optionally the body of `GET .../transitions` (or its `transitions` array),
 * and whether the viewer watches it when the issue's `watches` field does not say. Every field
 * may be missing or malformed; the view then leaves it out.
 */
export function toIssueCardView(issue: unknown, siteUrl: string, transitions?: unknown, watching?: boolean, options: IssueCardViewOptions = {}): IssueCardView {
  const root = record(issue);
  const fields = record(root.fields);
  const key = text(root.key) ?? '';
  const type = issueType(fields.issuetype);
  const watches = record(fields.watches ?? fields.watcher);
  const description = adfToCardText(fields.description, { maxLength: options.descriptionLength ?? 400 });
  return {
    key,
    url: browseUrl(siteUrl, key),
    summary: text(fields.summary) ?? '',
    ...(type ? { type } : {}),
    ...optional('status', status(fields.status)),
    ...optional('priority', named(fields.priority)),
    ...optional('assignee', person(fields.assignee)),
    ...optional('reporter', person(fields.reporter)),
    ...optional('updated', rfc3339(fields.updated)),
    labels: Array.isArray(fields.labels) ? fields.labels.filter((l): l is string => typeof l === 'string') : [],
    ...(description ? { descriptionMarkdown: description } : {}),
    transitions: transitionChoices(transitions ?? root.transitions),
    ...optional('watching', watching ?? (typeof watches.isWatching === 'boolean' ? watches.isWatching : undefined)),
  };
}

/** One row of the list card from an issue in a `search/jql` page. */
export function toIssueListItem(issue: unknown, siteUrl: string): IssueListItem {
  const root = record(issue);
  const fields = record(root.fields);
  const key = text(root.key) ?? '';
  const type = issueType(fields.issuetype);
  const assignee = person(fields.assignee);
  return {
    key,
    url: browseUrl(siteUrl, key),
    summary: text(fields.summary) ?? '',
    ...optional('status', status(fields.status)),
    ...(type ? { type } : {}),
    ...(assignee ? { assignee: { displayName: assignee.displayName } } : {}),
  };
}

function status(value: unknown): IssueCardView['status'] {
  const name = text(record(value).name);
  return name ? { name, category: statusCategory(record(value).statusCategory) } : undefined;
}

const CATEGORY_BY_KEY: Record<string, StatusCategory> = { new: 'new', indeterminate: 'indeterminate', done: 'done' };
// Jira's fixed colour per category, for payloads whose key is missing or unfamiliar.
const CATEGORY_BY_COLOR: Record<string, StatusCategory> = { 'blue-gray': 'new', yellow: 'indeterminate', green: 'done' };

function statusCategory(value: unknown): StatusCategory {
  const category = record(value);
  return CATEGORY_BY_KEY[String(category.key)] ?? CATEGORY_BY_COLOR[String(category.colorName)] ?? 'unknown';
}

function issueType(value: unknown): IssueCardView['type'] {
  const type = record(value);
  const name = text(type.name);
  if (!name) return undefined;
  const iconUrl = rasterUrl(type.iconUrl);
  return iconUrl ? { name, iconUrl } : { name };
}

/**
 * Teams shows PNG, JPEG and GIF only. Jira's issue-type icons are often SVG avatars, and some
 * need Jira credentials, so only URLs that name a raster format are used.
 */
function rasterUrl(value: unknown): string | undefined {
  const url = text(value);
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    const raster = /\.(png|gif|jpe?g)$/i.test(parsed.pathname) || /^(png|gif|jpe?g)$/i.test(parsed.searchParams.get('format') ?? '');
    return raster ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function person(value: unknown): IssuePerson | undefined {
  const user = record(value);
  const accountId = text(user.accountId);
  // A withheld name (null under profile visibility) still names an account: someone, not nobody.
  const displayName = text(user.displayName) ?? (accountId ? UNNAMED_PERSON : undefined);
  if (!displayName) return undefined;
  const avatarUrl = rasterUrl(record(user.avatarUrls)['48x48']) ?? avatarServiceUrl(record(user.avatarUrls)['48x48']);
  return { displayName, ...(accountId ? { accountId } : {}), ...(avatarUrl ? { avatarUrl } : {}) };
}

/** Atlassian's avatar service and Gravatar serve PNGs without a file extension in the path. */
function avatarServiceUrl(value: unknown): string | undefined {
  const url = text(value);
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && /(^|\.)gravatar\.com$|\.atl-paas\.net$/.test(parsed.hostname) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function named(value: unknown): { name: string } | undefined {
  const name = text(record(value).name);
  return name ? { name } : undefined;
}

function transitionChoices(value: unknown): IssueTransitionChoice[] {
  const list = Array.isArray(value) ? value : record(value).transitions;
  if (!Array.isArray(list)) return [];
  const choices: IssueTransitionChoice[] = [];
  for (const entry of list) {
    const transition = record(entry);
    const id = text(transition.id) ?? (typeof transition.id === 'number' ? String(transition.id) : undefined);
    const name = text(transition.name);
    // Unavailable transitions are listed only when Jira is asked to; they would fail anyway.
    if (!id || !name || transition.isAvailable === false) continue;
    const toStatus = text(record(transition.to).name);
    choices.push({ id, name: clipText(name, 100), ...(toStatus ? { toStatus: clipText(toStatus, 100) } : {}) });
  }
  return choices;
}

/** Jira writes `2021-01-17T12:34:00.000+0000`; card date functions want `2021-01-17T12:34:00Z`. */
function rfc3339(value: unknown): string | undefined {
  const raw = text(value);
  if (!raw) return undefined;
  const time = Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined;
}

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}
