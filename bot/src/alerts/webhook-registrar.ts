import { systemClock, type Clock } from '../jira/clock';
import type { Logger } from '../log/create-logger';
import type { PollerLease } from './poller-lease';
import { startPeriodicLoop } from './start-periodic-loop';
import type { Subscription } from './subscription';
import type { SiteWebhookHealth, WebhookHealth } from './webhook-health';

export interface DynamicWebhook {
  id: number;
  jqlFilter: string;
  events: string[];
  /** ISO date; Jira drops dynamic webhooks 30 days after registration or the last refresh. */
  expirationDate?: string;
}

/** Whom the calls must not act as: accounts whose registrations Jira never delivered (a private app's non-owners). */
export interface WebhookActor {
  avoid: readonly string[];
}

/**
 * Jira's dynamic webhook API for this app on one site (`/rest/api/3/webhook`, an OAuth
 * connection with `manage:jira-webhook`), as the lead wires it to the Jira client. Jira lists and
 * changes only the calling user's webhooks.
 */
export interface DynamicWebhookApi {
  list(site: string, actor?: WebhookActor): Promise<DynamicWebhook[]>;
  /** Resolves the new webhook's id; rejects with Jira's errors (e.g. an unsupported clause). */
  register(site: string, url: string, webhook: { events: string[]; jqlFilter: string }, actor?: WebhookActor): Promise<number>;
  /** Resolves the new expiration date. */
  refresh(site: string, ids: readonly number[], actor?: WebhookActor): Promise<string | undefined>;
  remove(site: string, ids: readonly number[], actor?: WebhookActor): Promise<void>;
  /** The Jira account these calls act as on the site (kept with the registration: a private app's webhooks reach us only through its owner). */
  actingAs?(site: string, actor?: WebhookActor): Promise<string | undefined>;
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
 * subscribed projects change, refreshed well before Jira's 30-day expiry. With `health`, what was
 * registered (and through whom) is kept per site: a site whose stored registration still fits
 * its subscriptions costs no Jira call until the next full check, so the registrar can look every
 * minute and a new subscription's projects are covered within one check. With `lease`, only the
 * instance that watches a site manages its webhook.
 */
export function startWebhookRegistrar(deps: {
  /** Sites with an OAuth connection that may manage webhooks. */
  sites(): Promise<string[]>;
  subscriptions: { forSite(site: string): Promise<Subscription[]> };
  api: DynamicWebhookApi;
  /** Where Jira calls back: `${PUBLIC_URL}/api/jira/webhooks/dynamic/<siteId>`. */
  callbackUrl(site: string): string;
  logger: Logger;
  health?: WebhookHealth;
  lease?: PollerLease;
  clock?: Clock;
  /** How often to look; default 12 hours, or 1 minute with `health`. */
  intervalMs?: number;
  /** With `health`: how often Jira's own list is read even when the stored registration fits; default 12 hours. */
  fullCheckMs?: number;
  /** Refresh when expiry is closer than this; default 7 days. */
  refreshBeforeMs?: number;
  autoStart?: boolean;
}): WebhookRegistrar {
  const clock = deps.clock ?? systemClock;
  const intervalMs = deps.intervalMs ?? (deps.health ? 60_000 : 12 * 3_600_000);
  const fullCheckMs = deps.fullCheckMs ?? 12 * 3_600_000;
  const refreshBeforeMs = deps.refreshBeforeMs ?? 7 * DAY_MS;

  const emptyListedAt = new Map<string, number>();
  const record = async (site: string, actor: WebhookActor, ids: number[], jqlFilter: string, expirationDate: string | undefined) => {
    if (!deps.health) return;
    const through = await deps.api.actingAs?.(site, actor);
    const expiresAt = expirationDate ? Date.parse(expirationDate) : NaN;
    await deps.health.registered(site, { webhookIds: ids, jqlFilter, ...(through ? { through } : {}), ...(Number.isFinite(expiresAt) ? { expiresAt } : {}) });
  };

  /**
   * The account whose registration Jira proved not to deliver: the poller found changes after it that
   * no webhook reported, and none came since. A private app's webhooks reach us only through its owner.
   */
  const undeliveredThrough = (health: SiteWebhookHealth | undefined): string | undefined => {
    const registration = health?.registration;
    if (!health?.missed || !registration?.through || health.missed.at <= registration.at) return undefined;
    if ((health.registrationDeliveredAt ?? -Infinity) >= registration.at || (health.lastWebhookAt ?? -Infinity) >= health.missed.at) return undefined;
    return registration.through;
  };

  async function reconcileSite(site: string): Promise<void> {
    const active = (await deps.subscriptions.forSite(site)).filter((s) => !s.muted);
    const wanted = active.length > 0 ? webhookJqlFilter(active) : undefined;
    const health = await deps.health?.read(site);
    const known = health?.registration;
    const now = clock.now();
    const fullCheck = !known || now - known.checkedAt >= fullCheckMs;
    // Accounts to pass over; forgotten at the full check, so a private app made public, or a new owner, gets its chance.
    const stored = health?.undeliveredThrough ?? [];
    const kept = fullCheck ? [] : stored;
    const silent = undeliveredThrough(health);
    const avoid = silent && !kept.includes(silent) ? [...kept, silent] : kept;
    const switching = avoid.join('|') !== stored.join('|');
    const actor: WebhookActor = { avoid };
    // What we registered still fits and is fresh: no need to ask Jira yet.
    if (!switching && known && wanted !== undefined && known.jqlFilter === wanted && !fullCheck && known.expiresAt !== undefined && known.expiresAt - now >= refreshBeforeMs)
      return;
    // Nothing to register and nothing of ours known: look at Jira's list (for leftovers) only at the full check.
    if (!known && wanted === undefined && now - (emptyListedAt.get(site) ?? -Infinity) < fullCheckMs) return;
    if (deps.lease && !(await deps.lease.hold(site))) return;
    if (switching) {
      await deps.health?.avoidThrough(site, avoid);
      if (silent)
        deps.logger.warn(
          { site },
          "Jira never delivered the webhook registered through the site's subscription owner (a private app delivers only its owner's); registering through another one",
        );
    }
    const existing = await deps.api.list(site, actor);
    const sameEvents = (w: DynamicWebhook) => WEBHOOK_EVENTS.every((e) => w.events.includes(e));
    const keep = existing.filter((w) => wanted !== undefined && w.jqlFilter === wanted && sameEvents(w));
    const stale = existing.filter((w) => !keep.includes(w));
    // Jira allows few webhooks per app and site: drop outdated ones before adding.
    if (stale.length > 0)
      await deps.api.remove(
        site,
        stale.map((w) => w.id),
        actor,
      );
    // Duplicates of the wanted one would deliver each event twice (dedupe would absorb it, but why pay).
    if (keep.length > 1)
      await deps.api.remove(
        site,
        keep.slice(1).map((w) => w.id),
        actor,
      );
    if (wanted === undefined) {
      emptyListedAt.set(site, now);
      await deps.health?.unregistered(site);
      if (stale.length > 0) deps.logger.info({ site, removed: stale.length }, 'dynamic webhooks removed; nothing to subscribe to');
      return;
    }
    const current = keep[0];
    if (!current) {
      const id = await deps.api.register(site, deps.callbackUrl(site), { events: WEBHOOK_EVENTS, jqlFilter: wanted }, actor);
      await record(site, actor, [id], wanted, new Date(now + 30 * DAY_MS).toISOString());
      deps.logger.info({ site, webhookId: id, replaced: stale.length }, 'dynamic webhook registered');
      return;
    }
    const expires = current.expirationDate ? Date.parse(current.expirationDate) : NaN;
    if (!Number.isFinite(expires) || expires - now < refreshBeforeMs) {
      const next = await deps.api.refresh(site, [current.id], actor);
      await record(site, actor, [current.id], wanted, next);
      deps.logger.info({ site, webhookId: current.id, expirationDate: next }, 'dynamic webhook refreshed');
      return;
    }
    await record(site, actor, [current.id], wanted, current.expirationDate);
  }

  async function reconcile(): Promise<void> {
    for (const site of await deps.sites()) {
      try {
        await reconcileSite(site);
      } catch (error) {
        // The poller covers a site whose registration failed at once, not after its quiet period.
        const code = (error as { code?: unknown } | undefined)?.code;
        await deps.health?.registrationFailed(site, typeof code === 'string' ? code : 'UNKNOWN').catch(() => undefined);
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
