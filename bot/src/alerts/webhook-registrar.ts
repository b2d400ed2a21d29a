import { systemClock, type Clock } from '../jira/clock';
import type { Logger } from '../log/create-logger';
import { startPeriodicLoop } from './start-periodic-loop';
import type { Subscription } from './subscription';

export interface DynamicWebhook {
  id: number;
  jqlFilter: string;
  events: string[];
  /** ISO date; Jira drops dynamic webhooks 30 days after registration or the last refresh. */
  expirationDate?: string;
}

/**
 * Jira's dynamic webhook API for this app on one site (`/rest/api/3/webhook`, an OAuth
 * connection with `manage:jira-webhook`), as the lead wires it to the Jira client.
 */
export interface DynamicWebhookApi {
  list(site: string): Promise<DynamicWebhook[]>;
  /** Resolves the new webhook's id; rejects with Jira's errors (e.g. an unsupported clause). */
  register(site: string, url: string, webhook: { events: string[]; jqlFilter: string }): Promise<number>;
  /** Resolves the new expiration date. */
  refresh(site: string, ids: readonly number[]): Promise<string | undefined>;
  remove(site: string, ids: readonly number[]): Promise<void>;
}

export const WEBHOOK_EVENTS = ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created', 'comment_updated'];
const DAY_MS = 24 * 3_600_000;

/**
 * The one broad filter per site: every project a subscription names. Jira's dynamic webhook
 * JQL takes only project, issuetype, status, assignee, reporter and key with =, !=, IN and
 * NOT IN, so subscriptions' own JQL is applied by our matcher, never by Jira. Undefined when
 * no subscription names a project (JQL-only subscriptions): poll such sites instead.
 */
export function webhookJqlFilter(subscriptions: readonly Subscription[]): string | undefined {
  const projects = [...new Set(subscriptions.flatMap((s) => s.projects.map((p) => p.toUpperCase())))].sort();
  return projects.length > 0 ? `project in (${projects.map((p) => `"${p}"`).join(', ')})` : undefined;
}

export interface WebhookRegistrar {
  /** Brings every site's registration in line with its subscriptions and refreshes it when due. */
  reconcile(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Keeps one dynamic webhook per site and app: registered when missing, replaced when the
 * subscribed projects change, refreshed well before Jira's 30-day expiry.
 */
export function startWebhookRegistrar(deps: {
  /** Sites with an OAuth connection that may manage webhooks. */
  sites(): Promise<string[]>;
  subscriptions: { forSite(site: string): Promise<Subscription[]> };
  api: DynamicWebhookApi;
  /** Where Jira calls back: `${PUBLIC_URL}/api/jira/webhooks/dynamic/<siteId>`. */
  callbackUrl(site: string): string;
  logger: Logger;
  clock?: Clock;
  /** How often to reconcile; default 12 hours. */
  intervalMs?: number;
  /** Refresh when expiry is closer than this; default 7 days. */
  refreshBeforeMs?: number;
  autoStart?: boolean;
}): WebhookRegistrar {
  const clock = deps.clock ?? systemClock;
  const intervalMs = deps.intervalMs ?? 12 * 3_600_000;
  const refreshBeforeMs = deps.refreshBeforeMs ?? 7 * DAY_MS;

  async function reconcileSite(site: string): Promise<void> {
    const active = (await deps.subscriptions.forSite(site)).filter((s) => !s.muted);
    const wanted = active.length > 0 ? webhookJqlFilter(active) : undefined;
    const existing = await deps.api.list(site);
    const sameEvents = (w: DynamicWebhook) => WEBHOOK_EVENTS.every((e) => w.events.includes(e));
    const keep = existing.filter((w) => wanted !== undefined && w.jqlFilter === wanted && sameEvents(w));
    const stale = existing.filter((w) => !keep.includes(w));
    // Jira allows few webhooks per app and site: drop outdated ones before adding.
    if (stale.length > 0)
      await deps.api.remove(
        site,
        stale.map((w) => w.id),
      );
    // Duplicates of the wanted one would deliver each event twice (dedupe would absorb it, but why pay).
    if (keep.length > 1)
      await deps.api.remove(
        site,
        keep.slice(1).map((w) => w.id),
      );
    if (wanted === undefined) {
      if (stale.length > 0) deps.logger.info({ site, removed: stale.length }, 'dynamic webhooks removed; nothing to subscribe to');
      return;
    }
    const current = keep[0];
    if (!current) {
      const id = await deps.api.register(site, deps.callbackUrl(site), { events: WEBHOOK_EVENTS, jqlFilter: wanted });
      deps.logger.info({ site, webhookId: id, replaced: stale.length }, 'dynamic webhook registered');
      return;
    }
    const expires = current.expirationDate ? Date.parse(current.expirationDate) : NaN;
    if (!Number.isFinite(expires) || expires - clock.now() < refreshBeforeMs) {
      const next = await deps.api.refresh(site, [current.id]);
      deps.logger.info({ site, webhookId: current.id, expirationDate: next }, 'dynamic webhook refreshed');
    }
  }

  async function reconcile(): Promise<void> {
    for (const site of await deps.sites()) {
      try {
        await reconcileSite(site);
      } catch (error) {
        deps.logger.warn({ err: error, site }, 'could not reconcile the dynamic webhook; the poller covers the site meanwhile if configured');
      }
    }
  }

  const loop = deps.autoStart === false ? undefined : startPeriodicLoop({ name: 'webhook registrar', intervalMs, run: reconcile, logger: deps.logger, clock });

  return {
    reconcile,
    async stop() {
      await loop?.stop();
    },
  };
}
