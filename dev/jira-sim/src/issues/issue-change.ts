import type { WebhookEventName } from '../webhook-event';
import type { ChangelogEntry, Comment, Issue } from '../site/site-model';

/** A change made through the API, as the webhook publisher and tests see it. */
export interface IssueChange {
  event: WebhookEventName;
  /** Jira's issue_event_type_name: issue_created, issue_updated, issue_generic, issue_assigned, issue_commented, ... */
  eventTypeName?: string;
  issue: Issue;
  actorAccountId: string;
  changelog?: ChangelogEntry;
  comment?: Comment;
}

export type ChangeSink = (change: IssueChange) => void;
