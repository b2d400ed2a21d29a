import { adfPlainText } from './adf-plain-text';
import { mentionedAccounts } from './mentioned-accounts';
import { IssueEventKind, type EventPerson, type FieldChange, type IssueEvent, type IssueSnapshot } from './issue-event';
import { browseUrl } from '../jira/site-url';
import { UNNAMED_PERSON } from '../jira/views/unnamed-person';

type Json = Record<string, unknown>;

const EXCERPT_CHARS = 600;

/**
 * Turns a Jira webhook body (admin or dynamic; `jira:issue_*` and `comment_*`) into an
 * IssueEvent, or undefined for bodies that are not about an issue (worklogs, projects...).
 * Event ids are built so the same change seen twice, by a retry or by the poller, has one id.
 */
export function normalizeJiraWebhook(payload: unknown, siteUrl: string): IssueEvent | undefined {
  if (!isObject(payload) || !isObject(payload.issue)) return undefined;
  const name = typeof payload.webhookEvent === 'string' ? payload.webhookEvent : '';
  const issue = issueSnapshot(payload.issue, siteUrl);
  if (!issue) return undefined;
  const fields = isObject(payload.issue.fields) ? payload.issue.fields : {};
  // Absent, not null: the webhook left them out (comment events), so nothing is known about them.
  const thin = !('reporter' in fields) || !('labels' in fields);
  const occurredAt = new Date(typeof payload.timestamp === 'number' ? payload.timestamp : Date.parse(issue.updated ?? '') || 0).toISOString();
  const changelog = isObject(payload.changelog) ? payload.changelog : undefined;
  const comment = isObject(payload.comment) ? payload.comment : undefined;
  const actor = person(payload.user) ?? person(comment?.updateAuthor) ?? person(comment?.author);
  // Built by assignment, not by spreading optional parts: this runs before every webhook's answer,
  // and spreads of varying shapes are several times slower.
  const event = (id: string, kinds: IssueEvent['kinds'], changes: FieldChange[]): IssueEvent => {
    const built: IssueEvent = { site: siteUrl, issue, occurredAt, source: 'webhook', id, kinds, changes };
    if (actor) built.actor = actor;
    if (thin) built.thin = true;
    return built;
  };

  if (name === 'jira:issue_created') return event(createdEventId(issue.id), [IssueEventKind.Created], []);
  if (name === 'jira:issue_deleted') return event(`${issue.id}:deleted`, [IssueEventKind.Deleted], []);
  if (comment && (name === 'comment_created' || name === 'comment_updated' || payload.issue_event_type_name === 'issue_commented')) {
    const commentId = String(comment.id ?? '');
    const edited = name === 'comment_updated' ? `:${String(comment.updated ?? '')}` : '';
    const mentions = mentionedAccounts(comment.body);
    const built = event(`${commentEventId(issue.id, commentId)}${edited}`, [IssueEventKind.Commented], []);
    if (mentions.length > 0) built.mentions = mentions;
    built.comment = { id: commentId, excerpt: adfPlainText(comment.body).slice(0, EXCERPT_CHARS) };
    return built;
  }
  if (name === 'jira:issue_updated') {
    const changes = changelogChanges(changelog?.items);
    if (changes.length === 0 && payload.issue_event_type_name === 'issue_assigned') {
      // Jira Cloud often sends an assignment with an empty changelog: the issue's fields still
      // name the new assignee, which is all the alert and the "assigned to you" notice need.
      // The changelog id, when present, keeps the poller's copy of the change a duplicate.
      const id = changelog?.id !== undefined ? changelogEventId(issue.id, String(changelog.id)) : `${issue.id}:assigned:${issue.updated ?? occurredAt}`;
      return event(id, [IssueEventKind.Assigned], []);
    }
    if (changes.length === 0) return undefined;
    const id = changelog?.id !== undefined ? changelogEventId(issue.id, String(changelog.id)) : `${issue.id}:updated:${issue.updated ?? occurredAt}`;
    const mentions = descriptionMentions(changes);
    const built = event(id, kindsOf(changes), changes);
    if (mentions.length > 0) built.mentions = mentions;
    return built;
  }
  return undefined;
}

/** People newly mentioned by a description change (in the new text, not in the old). */
export function descriptionMentions(changes: readonly FieldChange[]): string[] {
  const description = changes.find((c) => (c.fieldId ?? c.field).toLowerCase() === 'description');
  if (!description) return [];
  const before = new Set(mentionedAccounts(description.from ?? ''));
  return mentionedAccounts(description.to ?? '').filter((id) => !before.has(id));
}

/** Shared with the poller so that both sources name a change alike. */
export const createdEventId = (issueId: string) => `${issueId}:created`;
export const changelogEventId = (issueId: string, changelogId: string) => `${issueId}:changelog:${changelogId}`;
export const commentEventId = (issueId: string, commentId: string) => `${issueId}:comment:${commentId}`;

/** What kinds of change a changelog holds, most telling first (a card's headline uses the first). */
export function kindsOf(changes: readonly FieldChange[]): IssueEventKind[] {
  const fields = new Set(changes.map((c) => (c.fieldId ?? c.field).toLowerCase()));
  const kinds: IssueEventKind[] = [];
  if (changes.some((c) => (c.fieldId ?? c.field).toLowerCase() === 'resolution' && c.to)) kinds.push(IssueEventKind.Resolved);
  if (fields.has('status')) kinds.push(IssueEventKind.Transitioned);
  if (fields.has('assignee')) kinds.push(IssueEventKind.Assigned);
  if (fields.has('priority')) kinds.push(IssueEventKind.PriorityChanged);
  if ([...fields].some((f) => !['status', 'assignee', 'priority', 'resolution'].includes(f))) kinds.push(IssueEventKind.FieldChanged);
  return kinds.length > 0 ? kinds : [IssueEventKind.FieldChanged];
}

/** Changelog fields whose ids are account ids: a raw id means nothing to a reader. */
const PERSON_FIELDS = new Set(['assignee', 'reporter']);

export function changelogChanges(items: unknown): FieldChange[] {
  if (!Array.isArray(items)) return [];
  return items.filter(isObject).map((item) => {
    const field = String(item.field ?? item.fieldId ?? '');
    const isPerson = PERSON_FIELDS.has((typeof item.fieldId === 'string' ? item.fieldId : field).toLowerCase());
    // A person whose name Jira withholds has a null display string but an account id: someone, not nobody.
    const shown = (text: unknown, id: unknown) => (isPerson && text == null && id != null ? UNNAMED_PERSON : stringOrNull(text ?? id));
    return {
      field,
      ...(typeof item.fieldId === 'string' ? { fieldId: item.fieldId } : {}),
      from: shown(item.fromString, item.from),
      to: shown(item.toString, item.to),
    };
  });
}

/** The issue as a REST or webhook body renders it (`{id, key, fields}`). */
export function issueSnapshot(raw: Json, siteUrl: string): IssueSnapshot | undefined {
  const fields = isObject(raw.fields) ? raw.fields : {};
  if (raw.id === undefined || typeof raw.key !== 'string') return undefined;
  const status = isObject(fields.status) ? fields.status : undefined;
  const project = isObject(fields.project) ? fields.project : {};
  const snapshot: IssueSnapshot = {
    id: String(raw.id),
    key: raw.key,
    summary: typeof fields.summary === 'string' ? fields.summary : '',
    url: browseUrl(siteUrl, raw.key),
    projectKey: typeof project.key === 'string' ? project.key : raw.key.split('-')[0],
    labels: Array.isArray(fields.labels) ? fields.labels.filter((l): l is string => typeof l === 'string') : [],
  };
  if (status && typeof status.name === 'string') {
    const category = isObject(status.statusCategory) ? String(status.statusCategory.key ?? '') : '';
    snapshot.status = { name: status.name, category: category === 'new' || category === 'indeterminate' || category === 'done' ? category : 'unknown' };
  }
  if (isObject(fields.priority) && typeof fields.priority.name === 'string') snapshot.priority = fields.priority.name;
  if (isObject(fields.issuetype) && typeof fields.issuetype.name === 'string') snapshot.issueType = fields.issuetype.name;
  const assignee = person(fields.assignee);
  if (assignee) snapshot.assignee = assignee;
  const reporter = person(fields.reporter);
  if (reporter) snapshot.reporter = reporter;
  if (typeof fields.updated === 'string') snapshot.updated = fields.updated;
  return snapshot;
}

function person(raw: unknown): EventPerson | undefined {
  if (!isObject(raw)) return undefined;
  // A null name still names an account: the assignee is someone, never "unassigned".
  if (typeof raw.displayName !== 'string') return typeof raw.accountId === 'string' ? { accountId: raw.accountId, displayName: UNNAMED_PERSON } : undefined;
  // Only the id and the name: emails in payloads are never kept.
  return typeof raw.accountId === 'string' ? { accountId: raw.accountId, displayName: raw.displayName } : { displayName: raw.displayName };
}

const stringOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
