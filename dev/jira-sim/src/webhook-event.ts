/**
 * A webhook callback body as Jira Cloud sends it (see ../shared/ref/jira/samples/webhook.*.json).
 * The core builds it from a change made through the API; the webhook hub signs and delivers it.
 */
export type WebhookEventName = 'jira:issue_created' | 'jira:issue_updated' | 'jira:issue_deleted' | 'comment_created' | 'comment_updated';

export interface WebhookEventPayload {
  timestamp: number;
  webhookEvent: WebhookEventName;
  issue_event_type_name?: string;
  user?: Record<string, unknown>;
  issue: Record<string, unknown>;
  changelog?: { id: string; items: Array<Record<string, unknown>> };
  comment?: Record<string, unknown>;
  /** Added per delivery for dynamic (app) webhooks only, as Jira does. */
  matchedWebhookIds?: number[];
}

/** True when the changed issue matches a webhook's JQL filter; supplied by the core (JQL evaluator). */
export type JqlMatcher = (jql: string) => boolean;
