import { OUTBOX_TABLE, type OutboxEntry } from '../../alerts/alert-outbox';
import { POLLER_LEASE_TABLE } from '../../alerts/poller-lease';
import type { SubscriptionRepository } from '../../alerts/subscription-repository';
import { WEBHOOK_QUIET_MS, WebhookHealthState, webhookHealthState, type WebhookHealth } from '../../alerts/webhook-health';
import { webhookJqlFilter } from '../../alerts/webhook-registrar';
import type { SiteHealthView } from '../../cards/health-card';
import type { SiteScheduler } from '../../jira/site-scheduler';
import { sameSite, siteKey } from '../../jira/site-url';
import type { Store } from '../../store/store';
import { storeKeyPart } from '../../store/store-key-part';
import { storeLeases } from '../../store/store-lease';

export interface SiteHealthSources {
  store: Store;
  health: WebhookHealth;
  subscriptions: SubscriptionRepository;
  /** The Jira scheduler: its points budget (every instance's in cluster mode) and the holds on this instance. */
  scheduler: Pick<SiteScheduler, 'snapshot' | 'budget'>;
  /** The names the scheduler may know a site by besides its URL: OAuth calls go through its cloud id. */
  cloudIds(site: string): Promise<string[]>;
  pollIntervalMs: number;
  now(): number;
}

/**
 * The figures of the health card, read only: nothing here writes to the store or calls Jira.
 * `conversationIds` limits the outbox figures to those conversations (a team's channels);
 * undefined counts every conversation (a site's administrator).
 */
export async function readSiteHealth(sources: SiteHealthSources, sites: readonly string[], conversationIds?: ReadonlySet<string>): Promise<SiteHealthView[]> {
  const now = sources.now();
  // Reading a holder needs no owner identity; the lease helper only wants one to take leases.
  const leases = storeLeases(sources.store, { owner: 'health-reader', ttlMs: 1, table: POLLER_LEASE_TABLE, now: sources.now });
  // One scan of the outbox (pending and parked rows only: sent rows live in another table).
  const rows = (await sources.store.list<OutboxEntry>(OUTBOX_TABLE)).map((item) => item.value);
  const views: SiteHealthView[] = [];
  for (const site of sites) {
    const health = await sources.health.read(site);
    const subscriptions = (await sources.subscriptions.forSite(site)).filter((s) => !s.muted);
    const wantedFilter = health?.registration && subscriptions.length > 0 ? webhookJqlFilter(subscriptions) : undefined;
    const state = webhookHealthState(health, { now, quietMs: WEBHOOK_QUIET_MS, ...(wantedFilter ? { wantedFilter } : {}) });
    const lease = await leases.holder(storeKeyPart(siteKey(site)));
    const mine = rows.filter((row) => sameSite(row.event.site, site) && (!conversationIds || conversationIds.has(row.target.conversationId)));
    const pending = mine.filter((row) => row.state === 'pending');
    const budget = await budgetOf(sources, site);
    views.push({
      site,
      webhooks: {
        state,
        ...(health?.lastWebhookAt !== undefined ? { lastWebhookAt: health.lastWebhookAt } : {}),
        ...(health?.registration
          ? {
              registration: {
                webhookIds: health.registration.webhookIds,
                at: health.registration.at,
                ...(health.registration.through ? { through: health.registration.through } : {}),
                ...(health.registrationDeliveredAt !== undefined ? { deliveredAt: health.registrationDeliveredAt } : {}),
              },
            }
          : {}),
        ...(health?.registrationFailure ? { registrationFailure: health.registrationFailure } : {}),
        ...(health?.missed ? { missed: health.missed } : {}),
      },
      poller: {
        enabled: sources.pollIntervalMs > 0,
        everyInterval: sources.pollIntervalMs > 0 && state !== WebhookHealthState.Healthy,
        ...(lease ? { lease: { owner: lease.owner, expiresAt: lease.expiresAt, expired: lease.expired } } : {}),
      },
      outbox: {
        pending: pending.length,
        conversations: new Set(pending.map((row) => row.target.conversationId)).size,
        parked: mine
          .filter((row) => row.state === 'parked')
          .map((row) => ({
            issueKey: row.event.issue.key,
            code: row.lastError?.code ?? 'UNKNOWN',
            ...(row.lastError?.status ? { status: row.lastError.status } : {}),
            at: row.lastError?.at ?? row.enqueuedAt,
          })),
      },
      budget,
    });
  }
  return views;
}

/**
 * Calls by API token are scheduled under the site URL, by OAuth under its cloud id: the lowest
 * budget left (with its quota and reset) and every hold count, and what each spent adds up.
 */
async function budgetOf(sources: SiteHealthSources, site: string): Promise<SiteHealthView['budget']> {
  const names = [site, ...(await sources.cloudIds(site))];
  const held = [...new Set(names.flatMap((name) => sources.scheduler.snapshot(name).held))];
  const budgets = await Promise.all(names.map((name) => sources.scheduler.budget(name)));
  const lowest = budgets.filter((b) => b.remaining !== undefined).sort((a, b) => a.remaining! - b.remaining!)[0];
  return {
    ...(lowest
      ? { remaining: lowest.remaining, ...(lowest.quota !== undefined ? { quota: lowest.quota } : {}), ...(lowest.resetAt !== undefined ? { resetAt: lowest.resetAt } : {}) }
      : {}),
    spentThisHour: budgets.reduce((sum, b) => sum + b.spentThisHour, 0),
    shared: budgets.some((b) => b.shared),
    held,
  };
}
