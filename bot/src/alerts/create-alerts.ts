import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../jira/clock';
import type { Logger } from '../log/create-logger';
import type { Store } from '../store/store';
import { alertIntake, type AlertIntake } from './alert-intake';
import { alertOutbox, type AlertOutbox } from './alert-outbox';
import type { AlertSender } from './alert-sender';
import { alertThreads } from './alert-threads';
import { startDeliveryWorker, type DeliveryWorkerOptions } from './delivery-worker';
import { startEventRouter } from './event-router';
import type { IssueVisibility } from './issue-visibility';
import { combinedMatcher, personalMatcher, type PersonalRecipients, type WatcherLookup } from './personal-matcher';
import { personalPreferenceRepository, type PersonalPreferenceRepository } from './personal-preferences';
import { startSitePoller, type SiteSearch } from './site-poller';
import { subscriptionMatcher, type JqlKeySearch } from './subscription-matcher';
import { subscriptionRepository, type SubscriptionRepository } from './subscription-repository';
import { startWebhookRegistrar, type DynamicWebhookApi } from './webhook-registrar';
import { pollerLeaseMs, storePollerLease } from './poller-lease';
import type { WebhookHealth } from './webhook-health';
import { storeWebhookHealth } from './webhook-health-store';
import { subscriptionService, type JqlValidator, type SubscriptionPermissions, type SubscriptionService } from './subscription-service';

/**
 * Everything the alert pipeline uses from outside, given at construction: the composition root
 * builds these adapters (Teams, Jira, Graph) first, so nothing here binds late.
 */
export interface AlertsDeps {
  store: Store;
  logger: Logger;
  /** The workers' time (delivery windows, backoff, polling); the system clock by default. */
  clock?: Clock;
  /** Proactive sends into Teams conversations. */
  sender: AlertSender;
  /** Remote half of JQL matching: one batched `key in (...) AND (jql)` search. */
  jqlSearch: JqlKeySearch;
  permissions: SubscriptionPermissions;
  jqlValidator: JqlValidator;
  /**
   * Called once a subscription was saved or removed through this instance, so listings kept for a
   * while (the sites the poller and the registrar watch) take the change at once, not up to their
   * lifetime later. Other instances still see it when their listing expires.
   */
  onSubscriptionsChanged?: () => void;
  /** Personal notifications; omit to send none. `visibility`: each recipient may see the issue, asked as them, before anything is queued. */
  personal?: { recipients: PersonalRecipients; visibility: IssueVisibility; watchers?: WatcherLookup };
  /** Sites without webhooks, polled every `intervalMs` (default 2 minutes); omit to poll none. */
  polling?: { sites(): Promise<string[]>; wholeSite?(site: string): boolean; search: SiteSearch; intervalMs?: number };
  /** Sites with an OAuth connection: keep one dynamic webhook each, refreshed before it expires. */
  dynamicWebhooks?: { sites(): Promise<string[]>; api: DynamicWebhookApi; callbackUrl(site: string): string };
  /** Overrides for the delivery worker (limits, retries, digest threshold). */
  delivery?: Partial<Omit<DeliveryWorkerOptions, 'outbox' | 'threads' | 'sender' | 'logger' | 'clock'>>;
  /** Tests only: shorter leases and sweeps, so a takeover from a dead instance shows within seconds. */
  timings?: AlertTimings;
}

/**
 * How soon the workers notice another instance's work and a dead instance's leases. The defaults
 * suit production (seconds of Azure Tables traffic per minute); a cluster test shortens them.
 */
export interface AlertTimings {
  /** Delivery: a conversation's ownership lease (default 15 s) and the outbox sweep (default 30 s). */
  deliveryLeaseMs?: number;
  deliverySweepMs?: number;
  /** Routing: the sweep for events other instances accepted and did not route (default 30 s). */
  routerSweepMs?: number;
  /** Polling: a site's poller lease (default half the poll interval, at least 3 s). */
  pollerLeaseMs?: number;
}

export interface Alerts {
  intake: AlertIntake;
  outbox: AlertOutbox;
  subscriptions: SubscriptionService;
  repository: SubscriptionRepository;
  preferences: PersonalPreferenceRepository;
  /** Per-site webhook health, shared by every instance through the store: intake reports webhooks to it. */
  health: WebhookHealth;
  /** Starts routing, delivery, polling and the webhook registrar; the service calls it once it answers requests. */
  startWorkers(): void;
  /** Stops the workers, letting sends in flight finish and be recorded. */
  stop(): Promise<void>;
}

/** The alert pipeline's parts over one Store, for the composition root. */
export function createAlerts(deps: AlertsDeps): Alerts {
  // One time for the whole pipeline: when a row was enqueued and when the worker looks must agree.
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  const intake = alertIntake(deps.store, { now });
  const outbox = alertOutbox(deps.store, { now });
  const repository = notifyingChanges(subscriptionRepository(deps.store), deps.onSubscriptionsChanged);
  const preferences = personalPreferenceRepository(deps.store);
  const subscriptions = subscriptionService({ repository, outbox, permissions: deps.permissions, jql: deps.jqlValidator });
  const health = storeWebhookHealth(deps.store, { now });
  const stops: Array<() => Promise<void>> = [];

  return {
    intake,
    outbox,
    subscriptions,
    repository,
    preferences,
    health,
    startWorkers() {
      if (stops.length > 0) throw new Error('The alert workers are already running');
      const channels = subscriptionMatcher({ subscriptions: repository, search: deps.jqlSearch, logger: deps.logger });
      const matcher = deps.personal ? combinedMatcher([channels, personalMatcher({ ...deps.personal, preferences })]) : channels;
      const timings = deps.timings ?? {};
      const router = startEventRouter({ intake, outbox, matcher, logger: deps.logger, clock, ...(timings.routerSweepMs ? { sweepMs: timings.routerSweepMs } : {}) });
      const delivery = startDeliveryWorker({
        ...deps.delivery,
        ...(timings.deliveryLeaseMs ? { leaseMs: timings.deliveryLeaseMs } : {}),
        ...(timings.deliverySweepMs ? { sweepMs: timings.deliverySweepMs } : {}),
        outbox,
        threads: alertThreads(deps.store),
        sender: deps.sender,
        logger: deps.logger,
        clock,
      });
      stops.push(
        () => delivery.stop(),
        () => router.stop(),
      );
      // One instance watches each site (polls it, keeps its webhook), renewing its lease every third of
      // it; when it dies, another instance takes over within one poll interval (see pollerLeaseMs).
      const leaseMs = timings.pollerLeaseMs ?? pollerLeaseMs(deps.polling?.intervalMs ?? 2 * 60_000);
      const lease = storePollerLease(deps.store, { owner: randomUUID(), ttlMs: leaseMs, now });
      if (deps.polling) {
        const poller = startSitePoller({ ...deps.polling, subscriptions: repository, intake, store: deps.store, logger: deps.logger, clock, health, lease });
        stops.push(() => poller.stop());
      }
      if (deps.dynamicWebhooks) {
        const registrar = startWebhookRegistrar({ ...deps.dynamicWebhooks, subscriptions: repository, logger: deps.logger, clock, health, lease });
        stops.push(() => registrar.stop());
      }
    },
    async stop() {
      // Newest first: poller, router, then delivery, so nothing new arrives while sends finish.
      for (const stop of stops.reverse()) await stop();
      stops.length = 0;
    },
  };
}

function notifyingChanges(repository: SubscriptionRepository, changed: (() => void) | undefined): SubscriptionRepository {
  if (!changed) return repository;
  return {
    ...repository,
    async save(subscription, options) {
      await repository.save(subscription, options);
      changed();
    },
    async remove(conversationId, id) {
      const removed = await repository.remove(conversationId, id);
      if (removed) changed();
      return removed;
    },
  };
}
