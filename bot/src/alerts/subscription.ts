import type { AlertTarget } from './alert-outbox';
import type { IssueEventKind } from './issue-event';

/** A conversation's standing order for Jira alerts. */
export interface Subscription {
  id: string;
  target: AlertTarget;
  /** The Jira site's base URL, as IssueEvents name it. */
  site: string;
  /** Project keys; at least one, or a JQL filter that names its own. */
  projects: string[];
  jql?: string;
  eventKinds: IssueEventKind[];
  /** For transitions: only into these statuses (names, any case); empty means any. */
  statuses: string[];
  /** For field changes: only these fields (names or ids); empty means any. */
  fields: string[];
  muted: boolean;
  /** Replies in an alert's thread become Jira comments, and new comments appear in the thread. */
  twoWayThreads: boolean;
  /** Teams user (AAD object id) who last changed it; no names or emails kept. */
  changedBy: string;
  createdAt: string;
  updatedAt: string;
}
