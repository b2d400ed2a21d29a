import type { ConversationReferences } from '../conversations/conversation-references';
import type { Logger } from '../log/create-logger';
import type { Store } from '../store/store';
import { alertIntake, type AlertIntake } from './alert-intake';
import { alertOutbox, type AlertOutbox } from './alert-outbox';
import { adapterAlertSender } from '../teams/alerts/adapter-alert-sender';
import type { ProactiveAdapter } from '../conversations/proactive-adapter';
import { alertThreads } from './alert-threads';
import { startDeliveryWorker, type DeliveryWorkerOptions } from './delivery-worker';
import { startEventRouter } from './event-router';
import { combinedMatcher, personalMatcher, type PersonalRecipients, type WatcherLookup } from './personal-matcher';
import { personalPreferenceRepository, type PersonalPreferenceRepository } from './personal-preferences';
import { startSitePoller, type SiteSearch } from './site-poller';
import { subscriptionMatcher, type JqlKeySearch } from './subscription-matcher';
import { subscriptionRepository, type SubscriptionRepository } from './subscription-repository';
import { startWebhookRegistrar, type DynamicWebhookApi } from './webhook-registrar';
import { subscriptionService, type JqlValidator, type SubscriptionPermissions, type SubscriptionService } from './subscription-service';

export interface AlertsDeps {
  store: Store;
  logger: Logger;
  /** Remote half of JQL matching: one batched `key in (...) AND (jql)` search. */
  jqlSearch: JqlKeySearch;
  permissions: SubscriptionPermissions;
  jqlValidator: JqlValidator;
  /** Personal notifications; omit to send none. */
  personal?: { recipients: PersonalRecipients; watchers?: WatcherLookup };
}

export interface AlertWorkersDeps {
  adapter: ProactiveAdapter;
  /** Empty in local mode. */
  botAppId?: string;
  conversations: ConversationReferences;
  /** Sites without webhooks, polled every `intervalMs` (default 2 minutes); omit to poll none. */
  polling?: { sites(): Promise<string[]>; wholeSite?(site: string): boolean; search: SiteSearch; intervalMs?: number };
  /** Sites with an OAuth connection: keep one dynamic webhook each, refreshed before it expires. */
  dynamicWebhooks?: { sites(): Promise<string[]>; api: DynamicWebhookApi; callbackUrl(site: string): string };
  /** Overrides for the delivery worker (limits, retries, digest threshold). */
  delivery?: Partial<Omit<DeliveryWorkerOptions, 'outbox' | 'threads' | 'sender' | 'logger'>>;
}

export interface Alerts {
  intake: AlertIntake;
  outbox: AlertOutbox;
  subscriptions: SubscriptionService;
  repository: SubscriptionRepository;
  preferences: PersonalPreferenceRepository;
  /** Starts routing, delivery and polling; call once the Teams adapter exists. */
  startWorkers(deps: AlertWorkersDeps): void;
  /** Stops the workers, letting sends in flight finish and be recorded. */
  stop(): Promise<void>;
}

/** The alert pipeline's parts over one Store, for the composition root. */
export function createAlerts(deps: AlertsDeps): Alerts {
  const intake = alertIntake(deps.store);
  const outbox = alertOutbox(deps.store);
  const repository = subscriptionRepository(deps.store);
  const preferences = personalPreferenceRepository(deps.store);
  const subscriptions = subscriptionService({ repository, outbox, permissions: deps.permissions, jql: deps.jqlValidator });
  const stops: Array<() => Promise<void>> = [];

  return {
    intake,
    outbox,
    subscriptions,
    repository,
    preferences,
    startWorkers(workers) {
      if (stops.length > 0) throw new Error('The alert workers are already running');
      const channels = subscriptionMatcher({ subscriptions: repository, search: deps.jqlSearch, logger: deps.logger });
      const matcher = deps.personal ? combinedMatcher([channels, personalMatcher({ ...deps.personal, preferences })]) : channels;
      const router = startEventRouter({ intake, outbox, matcher, logger: deps.logger });
      const delivery = startDeliveryWorker({
        ...workers.delivery,
        outbox,
        threads: alertThreads(deps.store),
        sender: adapterAlertSender({ adapter: workers.adapter, botAppId: workers.botAppId, conversations: workers.conversations }),
        logger: deps.logger,
      });
      stops.push(() => delivery.stop(), () => router.stop());
      if (workers.polling) {
        const poller = startSitePoller({ ...workers.polling, subscriptions: repository, intake, store: deps.store, logger: deps.logger });
        stops.push(() => poller.stop());
      }
      if (workers.dynamicWebhooks) {
        const registrar = startWebhookRegistrar({ ...workers.dynamicWebhooks, subscriptions: repository, logger: deps.logger });
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
