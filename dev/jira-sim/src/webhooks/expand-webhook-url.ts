import type { WebhookEventPayload } from '../webhook-event';

/**
 * Jira substitutes variables such as `${issue.key}` in an admin webhook's URL from the event. The simulator
 * knows the issue, project and acting-user ones; any other variable is left as written.
 */
export function expandWebhookUrl(url: string, payload: WebhookEventPayload): string {
  const fields = (payload.issue.fields ?? {}) as { project?: { id?: unknown; key?: unknown } };
  const values: Record<string, unknown> = {
    'issue.id': payload.issue.id,
    'issue.key': payload.issue.key,
    'project.id': fields.project?.id,
    'project.key': fields.project?.key,
    'modifiedUser.accountId': payload.user?.accountId,
  };
  return url.replace(/\$\{([\w.]+)\}/g, (variable, name: string) => {
    const value = values[name];
    return typeof value === 'string' || typeof value === 'number' ? encodeURIComponent(String(value)) : variable;
  });
}
