import type { WebhookEventPayload } from '../webhook-event';

/** The JQL filter's key in Jira's admin webhook representation. */
export const ISSUE_FILTER_KEY = 'issue-related-events-section';

/** A webhook a Jira admin set up (System > WebHooks, or /rest/webhooks/1.0/webhook). */
export interface AdminWebhook {
  id: number;
  name: string;
  url: string;
  events: string[];
  jqlFilter?: string;
  excludeBody: boolean;
  enabled: boolean;
  /** Signs deliveries (X-Hub-Signature); never shown back. */
  secret?: string;
  lastUpdatedUser: string;
  lastUpdated: number;
}

export type AdminWebhookInput = Omit<AdminWebhook, 'id' | 'lastUpdated'>;

export type AdminWebhookRegistry = ReturnType<typeof createAdminWebhookRegistry>;

export function createAdminWebhookRegistry(options: { now: () => number }) {
  const webhooks = new Map<number, AdminWebhook>();
  let nextId = 1;

  return {
    create(input: AdminWebhookInput): AdminWebhook {
      const webhook = { ...input, id: nextId++, lastUpdated: options.now() };
      webhooks.set(webhook.id, webhook);
      return webhook;
    },
    update(id: number, input: AdminWebhookInput): AdminWebhook | undefined {
      if (!webhooks.has(id)) return undefined;
      const webhook = { ...input, id, lastUpdated: options.now() };
      webhooks.set(id, webhook);
      return webhook;
    },
    get: (id: number): AdminWebhook | undefined => webhooks.get(id),
    list: (): AdminWebhook[] => [...webhooks.values()],
    remove: (id: number): boolean => webhooks.delete(id),

    matching(payload: WebhookEventPayload, matches: (jql: string) => boolean): AdminWebhook[] {
      return [...webhooks.values()].filter((webhook) => {
        if (!webhook.enabled || !webhook.events.includes(payload.webhookEvent)) return false;
        if (!webhook.jqlFilter?.trim()) return true;
        try {
          return matches(webhook.jqlFilter);
        } catch {
          return false;
        }
      });
    },
  };
}
