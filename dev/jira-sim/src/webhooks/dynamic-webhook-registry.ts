import type { WebhookEventPayload } from '../webhook-event';
import { unsupportedJqlClauses } from './unsupported-jql-clauses';

/** Who registered a dynamic webhook: an OAuth 2.0 app acting for one user. */
export interface WebhookOwner {
  clientId: string;
  accountId: string;
}

export interface DynamicWebhook extends WebhookOwner {
  id: number;
  url: string;
  events: string[];
  jqlFilter: string;
  fieldIdsFilter?: string[];
  issuePropertyKeysFilter?: string[];
  expiresAt: number;
}

export interface WebhookDetails {
  events?: unknown;
  jqlFilter?: unknown;
  fieldIdsFilter?: unknown;
  issuePropertyKeysFilter?: unknown;
}

export type RegisteredWebhook = { createdWebhookId: number } | { errors: string[] };

/** Events a dynamic webhook may subscribe to (WebhookDetails.events in the platform spec). */
export const DYNAMIC_WEBHOOK_EVENTS = new Set([
  'jira:issue_created',
  'jira:issue_updated',
  'jira:issue_deleted',
  'comment_created',
  'comment_updated',
  'comment_deleted',
  'issue_property_set',
  'issue_property_deleted',
  'sprint_created',
  'sprint_updated',
  'sprint_closed',
  'sprint_deleted',
  'sprint_started',
  'jira:version_released',
  'jira:version_unreleased',
  'jira:version_created',
  'jira:version_moved',
  'jira:version_updated',
  'jira:version_merged',
  'jira:version_deleted',
]);

export const WEBHOOK_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** Jira lets an OAuth 2.0 app hold 5 webhooks per user on a site. */
export const WEBHOOKS_PER_APP_USER = 5;

export type DynamicWebhookRegistry = ReturnType<typeof createDynamicWebhookRegistry>;

/** Webhooks registered through /rest/api/3/webhook; each expires 30 days after registration or refresh. */
export function createDynamicWebhookRegistry(options: {
  now: () => number;
  limitPerUser?: number;
  /** Errors for a jqlFilter Jira would refuse; none when it is acceptable. */
  checkJql?: (jql: string) => string[];
}) {
  const webhooks = new Map<number, DynamicWebhook>();
  const limit = options.limitPerUser ?? WEBHOOKS_PER_APP_USER;
  const checkJql = options.checkJql ?? unsupportedJqlClauses;
  let nextId = 10000;

  const owns = (owner: WebhookOwner, webhook: DynamicWebhook) => webhook.clientId === owner.clientId && webhook.accountId === owner.accountId;
  const isLive = (webhook: DynamicWebhook) => options.now() < webhook.expiresAt;

  function problemsWith(details: WebhookDetails): string[] {
    const problems: string[] = [];
    if (!Array.isArray(details.events) || details.events.length === 0) problems.push('At least one event is required');
    else {
      for (const event of details.events) {
        if (typeof event !== 'string' || !DYNAMIC_WEBHOOK_EVENTS.has(event)) problems.push(`The event ${String(event)} is unsupported`);
      }
    }
    if (typeof details.jqlFilter !== 'string') problems.push('The JQL filter is required');
    else problems.push(...checkJql(details.jqlFilter));
    return problems;
  }

  return {
    register(owner: WebhookOwner, url: string, requested: WebhookDetails[]): RegisteredWebhook[] {
      return requested.map((details) => {
        const problems = problemsWith(details);
        if (problems.length > 0) return { errors: problems };
        const held = [...webhooks.values()].filter((webhook) => owns(owner, webhook) && isLive(webhook)).length;
        if (held >= limit) {
          return { errors: [`The limit of ${limit} webhooks per app and user on this site has been reached`] };
        }
        const webhook: DynamicWebhook = {
          ...owner,
          id: nextId++,
          url,
          events: details.events as string[],
          jqlFilter: details.jqlFilter as string,
          fieldIdsFilter: stringList(details.fieldIdsFilter),
          issuePropertyKeysFilter: stringList(details.issuePropertyKeysFilter),
          expiresAt: options.now() + WEBHOOK_LIFETIME_MS,
        };
        webhooks.set(webhook.id, webhook);
        return { createdWebhookId: webhook.id };
      });
    },

    /** The owner's webhooks, expired ones included until deleted (their expirationDate shows it). */
    list(owner: WebhookOwner): DynamicWebhook[] {
      return [...webhooks.values()].filter((webhook) => owns(owner, webhook));
    },

    /** Ids that are unknown or someone else's are ignored, as Jira does. */
    remove(owner: WebhookOwner, ids: number[]): void {
      for (const id of ids) {
        const webhook = webhooks.get(id);
        if (webhook && owns(owner, webhook)) webhooks.delete(id);
      }
    },

    refresh(owner: WebhookOwner, ids: number[]): number {
      const expiresAt = options.now() + WEBHOOK_LIFETIME_MS;
      for (const id of ids) {
        const webhook = webhooks.get(id);
        if (webhook && owns(owner, webhook)) webhook.expiresAt = expiresAt;
      }
      return expiresAt;
    },

    /** Live webhooks whose event, field and JQL filters select this change. */
    matching(payload: WebhookEventPayload, matches: (jql: string, asAccountId?: string) => boolean): DynamicWebhook[] {
      return [...webhooks.values()].filter(
        (webhook) =>
          isLive(webhook) && webhook.events.includes(payload.webhookEvent) && fieldsSelect(webhook, payload) && safeMatch(() => matches(webhook.jqlFilter, webhook.accountId)),
      );
    },
  };
}

/** fieldIdsFilter narrows jira:issue_updated to changelogs that touch one of the fields. */
function fieldsSelect(webhook: DynamicWebhook, payload: WebhookEventPayload): boolean {
  if (payload.webhookEvent !== 'jira:issue_updated' || !webhook.fieldIdsFilter?.length) return true;
  const changed = (payload.changelog?.items ?? []).flatMap((item) => [item.fieldId, item.field].filter((name) => typeof name === 'string'));
  return webhook.fieldIdsFilter.some((field) => changed.includes(field));
}

/** A filter the evaluator cannot run selects nothing, rather than failing the whole publish. */
function safeMatch(match: () => boolean): boolean {
  try {
    return match();
  } catch {
    return false;
  }
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}
