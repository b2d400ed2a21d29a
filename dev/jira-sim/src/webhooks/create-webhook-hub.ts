import type { Server } from 'restify';
import type { WebhookEventPayload } from '../webhook-event';
import { createAdminWebhookRegistry } from './admin-webhook-registry';
import { createDynamicWebhookRegistry, type DynamicWebhook } from './dynamic-webhook-registry';
import { expandWebhookUrl } from './expand-webhook-url';
import { hubSignature } from './hub-signature';
import { mountAdminWebhookRoutes } from './mount-admin-webhook-routes';
import { mountDynamicWebhookRoutes } from './mount-dynamic-webhook-routes';
import { signWebhookJwt } from './sign-webhook-jwt';
import { createWebhookDispatcher, JIRA_RETRY_POLICY, type Delivery, type RetryPolicy } from './webhook-dispatcher';

export type { Delivery, RetryPolicy } from './webhook-dispatcher';

export interface WebhookHubDeps {
  now: () => number;
  /** Defaults to Jira's: 6 attempts (5 retries) over about 30 minutes, 10 s timeout. Tests shorten it. */
  retry?: Partial<RetryPolicy>;
  /** The OAuth app's client secret, which signs the JWT on its dynamic webhook deliveries. */
  clientSecretOf?: (clientId: string) => string | undefined;
  /** `iss` of that JWT; the site's base URL or cloud id. */
  issuer?: string;
  /**
   * Errors for a dynamic webhook's jqlFilter, shown in its registration result. The default is a lexical
   * check of the subset Jira accepts; the core can pass its parser (syntax errors included).
   */
  checkJql?: (jql: string) => string[];
  /** How many finished deliveries deliveries() keeps (default 1000); pending ones are always kept. */
  retainDeliveries?: number;
  /** Who may manage admin webhooks (Jira: global ADMINISTER); everyone when left out. */
  isAdmin?: (accountId: string) => boolean;
  /**
   * Whether a dynamic webhook registered by this user of this app is delivered. Jira delivers those of a
   * non-public OAuth app only when the app's owner registered them (POST /rest/api/3/webhook); every one
   * when left out.
   */
  delivers?: (clientId: string, accountId: string) => boolean;
}

/**
 * A JqlMatcher that may also take the account a dynamic webhook acts for: the core can then resolve
 * currentUser() to that user and answer false for an issue the user cannot browse, since Jira sends an
 * app's webhooks only for issues its user can see. A plain JqlMatcher (jql only) fits this type too.
 */
export type WebhookMatcher = (jql: string, asAccountId?: string) => boolean;

export interface WebhookHub {
  /** Fans a change out to every webhook it matches; returns at once, delivery happens in the background. */
  publish(payload: WebhookEventPayload, matches: WebhookMatcher): void;
  mount(server: Server): void;
  deliveries(): Delivery[];
  /** Resolves when no delivery is pending; for tests and control endpoints. */
  idle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Webhook registration (admin /rest/webhooks/1.0 and dynamic /rest/api/3/webhook) and delivery with
 * Jira's headers, signatures and retries.
 */
export function createWebhookHub(deps: WebhookHubDeps): WebhookHub {
  const adminWebhooks = createAdminWebhookRegistry({ now: deps.now });
  const dynamicWebhooks = createDynamicWebhookRegistry({ now: deps.now, checkJql: deps.checkJql });
  const dispatcher = createWebhookDispatcher({
    now: deps.now,
    retry: { ...JIRA_RETRY_POLICY, ...deps.retry },
    retainSettled: deps.retainDeliveries,
  });
  const issuer = deps.issuer ?? 'jira';

  function publishDynamic(payload: WebhookEventPayload, matched: DynamicWebhook[]) {
    // One callback per app, user and URL, naming every webhook of theirs that matched, as Jira does.
    const groups = new Map<string, DynamicWebhook[]>();
    for (const webhook of matched) {
      if (webhook.clientId && deps.delivers && !deps.delivers(webhook.clientId, webhook.accountId)) continue;
      const key = JSON.stringify([webhook.clientId, webhook.accountId, webhook.url]);
      groups.set(key, [...(groups.get(key) ?? []), webhook]);
    }
    for (const group of groups.values()) {
      const { clientId, accountId, url } = group[0];
      const webhookIds = group.map((webhook) => webhook.id);
      dispatcher.dispatch({
        kind: 'dynamic',
        webhookIds,
        clientId,
        url,
        event: payload.webhookEvent,
        body: JSON.stringify({ ...payload, matchedWebhookIds: webhookIds }),
        headers: async (): Promise<Record<string, string>> => {
          const secret = deps.clientSecretOf?.(clientId);
          if (secret === undefined) return {};
          const token = await signWebhookJwt(secret, { clientId, accountId, issuer, nowMs: deps.now() });
          return { authorization: `Bearer ${token}` };
        },
      });
    }
  }

  return {
    publish(payload, matches) {
      const { matchedWebhookIds: _appOnly, ...adminPayload } = payload;
      for (const webhook of adminWebhooks.matching(payload, matches)) {
        const body = webhook.excludeBody ? '' : JSON.stringify(adminPayload);
        dispatcher.dispatch({
          kind: 'admin',
          webhookIds: [webhook.id],
          url: expandWebhookUrl(webhook.url, payload),
          event: payload.webhookEvent,
          body,
          headers: async (): Promise<Record<string, string>> => (webhook.secret ? { 'x-hub-signature': hubSignature(webhook.secret, body) } : {}),
        });
      }
      publishDynamic(payload, dynamicWebhooks.matching(payload, matches));
    },

    mount(server) {
      mountAdminWebhookRoutes(server, { registry: adminWebhooks, isAdmin: deps.isAdmin });
      mountDynamicWebhookRoutes(server, {
        registry: dynamicWebhooks,
        failedDeliveries: (clientId) => dispatcher.deliveries().filter((delivery) => delivery.clientId === clientId && delivery.status === 'failed'),
      });
    },

    deliveries: () => dispatcher.deliveries(),
    idle: (timeoutMs) => dispatcher.idle(timeoutMs),
    close: () => dispatcher.close(),
  };
}
