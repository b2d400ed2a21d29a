import { matchesJql, parseJql } from '../jql';
import type { IssueChange } from '../issues/issue-change';
import { reshapeWebhookPayload } from '../realism/reshape-webhook-payload';
import { renderComment } from '../render/render-comment';
import { renderIssue } from '../render/render-issue';
import { renderUserFor } from '../render/render-user';
import { jqlContext, jqlCustomFields, toJqlIssue } from '../search/to-jql-issue';
import type { ChangePublisher } from '../site-hooks';
import type { SiteState } from '../site/site-state';
import type { WebhookEventPayload } from '../webhook-event';

/**
 * The webhook body Jira sends for a change: the issue as REST renders it, the actor, the changelog,
 * reshaped as real Jira Cloud sends it when the realism switches ask for it.
 */
export function webhookPayload(state: SiteState, change: IssueChange): WebhookEventPayload {
  const actor = state.user(change.actorAccountId);
  const payload: WebhookEventPayload = {
    timestamp: state.now(),
    webhookEvent: change.event,
    ...(change.eventTypeName ? { issue_event_type_name: change.eventTypeName } : {}),
    ...(actor ? { user: renderUserFor(state, actor) } : {}),
    issue: renderIssue(state, change.issue, { defaultFields: '*all', expand: new Set(), viewerAccountId: null }),
  };
  if (change.changelog) {
    payload.changelog = { id: change.changelog.id, items: change.changelog.items.map((item) => ({ ...item })) };
  }
  if (change.comment) payload.comment = renderComment(state, change.issue, change.comment);
  return reshapeWebhookPayload(payload, state.realism);
}

/**
 * Publishes every change with a matcher for webhook JQL filters. The issue is adapted once per
 * change; a filter that does not parse matches nothing rather than failing the change.
 */
export function publishChange(state: SiteState, publisher: ChangePublisher) {
  return (change: IssueChange): void => {
    const payload = webhookPayload(state, change);
    const view = toJqlIssue(state, change.issue);
    publisher.publish(payload, (jql, asAccountId) => {
      if (asAccountId !== undefined && !state.canBrowse(asAccountId, change.issue)) return false;
      try {
        return matchesJql(parseJql(jql, { customFields: jqlCustomFields(state) }), view, jqlContext(state, asAccountId));
      } catch {
        return false;
      }
    });
  };
}
