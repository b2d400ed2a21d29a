import { ALERT_EVENT_KINDS, type AlertEventKind } from '../cards/alert-card';

/**
 * One change to one Jira issue, in the shape every later stage (dedupe, matching, outbox,
 * cards) reads. Webhooks and the poller both produce it, so the rest of the pipeline does not
 * care where a change came from.
 *
 * The kinds are one union, defined with the alert card (cards import nothing of the service);
 * each table that names kinds is checked with `satisfies Record<IssueEventKind, ...>`, so a new
 * kind is a compile error everywhere it needs a word: CONTRIBUTING, "Add an alert event kind".
 */
export type IssueEventKind = AlertEventKind;

/** Names for the kinds in code: `IssueEventKind.Commented`. */
export const IssueEventKind = {
  Created: 'created',
  Transitioned: 'transitioned',
  Assigned: 'assigned',
  Commented: 'commented',
  PriorityChanged: 'priorityChanged',
  Resolved: 'resolved',
  FieldChanged: 'fieldChanged',
  Deleted: 'deleted',
} as const satisfies Record<string, IssueEventKind>;

export const ALL_EVENT_KINDS: readonly IssueEventKind[] = ALERT_EVENT_KINDS;

/** What a new subscription offers ticked: everything but "chosen fields changed", which needs fields named. */
const SUBSCRIBED_BY_DEFAULT = {
  created: true,
  transitioned: true,
  assigned: true,
  commented: true,
  priorityChanged: true,
  resolved: true,
  fieldChanged: false,
  deleted: true,
} satisfies Record<IssueEventKind, boolean>;

export const DEFAULT_EVENT_KINDS: readonly IssueEventKind[] = ALL_EVENT_KINDS.filter((kind) => SUBSCRIBED_BY_DEFAULT[kind]);

export interface EventPerson {
  accountId?: string;
  displayName: string;
}

/** A changelog item: Jira's display strings, since ids mean nothing to a reader. */
export interface FieldChange {
  /** Jira's field name as the changelog names it (`status`, `assignee`, `Story Points`). */
  field: string;
  fieldId?: string;
  from: string | null;
  to: string | null;
}

export interface IssueSnapshot {
  id: string;
  key: string;
  summary: string;
  /** `https://site/browse/KEY`. */
  url: string;
  projectKey: string;
  status?: { name: string; category: 'new' | 'indeterminate' | 'done' | 'unknown' };
  priority?: string;
  issueType?: string;
  assignee?: EventPerson;
  reporter?: EventPerson;
  labels: string[];
  updated?: string;
}

export interface IssueEvent {
  /**
   * Stable across webhook retries and across webhook and poll: the issue id plus the changelog
   * id (or the comment id, or the update timestamp when Jira gives neither).
   */
  id: string;
  /** The Jira site's base URL (`https://acme.atlassian.net`). */
  site: string;
  kinds: IssueEventKind[];
  changes: FieldChange[];
  issue: IssueSnapshot;
  actor?: EventPerson;
  /** Account ids mentioned in the new comment or the changed description (personal notifications). */
  mentions?: string[];
  /** Plain text excerpt of a new comment; shown in cards, never logged. */
  comment?: { id: string; excerpt: string };
  /** ISO time of the change in Jira. */
  occurredAt: string;
  source: 'webhook' | 'poll';
  /**
   * The webhook carried only some of the issue's fields: Jira's `comment_*` events have no
   * reporter and no labels. Matching reads them from Jira before it relies on them.
   */
  thin?: true;
  /** Made up by "Send a test alert": no Jira issue is behind it, so its card offers no actions. */
  test?: true;
}
