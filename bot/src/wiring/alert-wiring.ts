import type { Config } from '../config';
import type { ConnectionOwner } from '../connections/connection';
import type { ConnectionServices } from '../connections/create-connection-services';
import type { ConversationReferences } from '../conversations/conversation-references';
import { ADMIN_WEBHOOK_PATH, DYNAMIC_WEBHOOK_PATH, type WebhookRoutesDeps } from '../http/webhook-routes';
import type { Clock } from '../jira/clock';
import type { Logger } from '../log/create-logger';
import type { Store } from '../store/store';
import type { SendLimits } from '../alerts/send-limits';
import type { ProactiveAdapter } from '../teams/proactive-adapter';
import { adapterAlertSender } from '../teams/alerts/adapter-alert-sender';
import { subscriptionRepository } from '../alerts/subscription-repository';
import { createAlerts, type AlertTimings, type Alerts } from '../alerts/create-alerts';
import type { IssueEventKind } from '../alerts/issue-event';
import { personalPreferenceRepository, personalUserKey, type PersonalPreferenceRepository } from '../alerts/personal-preferences';
import { webhookSecrets, type WebhookSecrets } from '../alerts/webhook-secrets';
import { dialogSites } from '../teams/alerts/dialog-sites';
import { jiraDynamicWebhookApi } from './jira-dynamic-webhook-api';
import { jiraJqlValidator } from './jira-jql-validator';
import { jiraIssueVisibility } from './jira-issue-visibility';
import { jiraKeySearch } from './jira-key-search';
import { jiraSiteSearch } from './jira-site-search';
import { jiraThreadCommentWriter } from '../teams/alerts/jira-thread-comment-writer';
import { jiraWatcherLookup } from './jira-watcher-lookup';
import { personalRecipients } from './personal-recipients';
import { siteDirectory, siteIdOf, type SiteDirectory } from './site-directory';
import { subscriptionPermissions } from '../teams/alerts/subscription-permissions';
import { conversationRoles } from '../graph/conversation-roles';
import { createGraphClient } from '../graph/create-graph-client';
import { graphTokenSource } from '../graph/graph-token-source';
import { sameSite, siteKey } from '../jira/site-url';

export interface AlertWiringDeps {
  config: Config;
  store: Store;
  logger: Logger;
  connections: ConnectionServices;
  conversations: ConversationReferences;
  /** The Teams adapter, created before the features: alerts are sent through it, and a team's group id asked of it. */
  adapter: ProactiveAdapter;
  /** The alert workers' time (polling, webhook health, delivery); the system clock by default. */
  clock?: Clock;
  /** Called for every accepted event (webhook or poll), so cached unfurl cards and open grooming panels show the change. */
  onIssueChanged(issueKey: string, siteUrl: string, kinds: readonly IssueEventKind[], updated?: string): void;
  /**
   * Sites with open grooming panels and who has them open. The poller covers them too (as one of
   * those users when the site has no subscription owner), so a change made in Jira reaches the
   * panels even where no alert subscription or webhook exists.
   */
  groomingSites?(): Array<{ siteUrl: string; owners: ConnectionOwner[] }>;
  /** Cluster mode: Teams' send limits shared by every instance; by default this process's own. */
  sendLimits?: SendLimits;
  /** Tests only: shorter worker leases and sweeps. */
  timings?: AlertTimings;
}

export interface AlertWiring {
  alerts: Alerts;
  sites: SiteDirectory;
  dialogSites: ReturnType<typeof dialogSites>;
  threadComments: ReturnType<typeof jiraThreadCommentWriter>;
  webhookRoutes: Omit<WebhookRoutesDeps, 'logger'>;
  /** Per-site admin webhook secrets, sealed with the token keys; the setup instructions create them. */
  webhookSecrets: WebhookSecrets;
  /** Where a site's admin webhook points: `PUBLIC_URL/api/jira/webhooks/admin/<site host>`. */
  adminWebhookUrl(siteUrl: string): string;
  /** Personal notification switches; saving one takes effect for the next event. */
  preferences: PersonalPreferenceRepository;
  /** Starts routing, delivery, the poller and the dynamic webhook registrar; call after the server listens. */
  startWorkers(): void;
  stop(): Promise<void>;
}

/**
 * The alert pipeline over the service's connections, conversations and Teams adapter. Every
 * adapter is built before createAlerts and handed to it; nothing binds late.
 */
export function alertWiring(deps: AlertWiringDeps): AlertWiring {
  const { config, connections, conversations, logger, store, clock } = deps;
  // Views of the tables createAlerts owns (stateless over the store), for the adapters that
  // createAlerts itself needs: the site directory lists subscriptions, the watcher lookup reads preferences.
  const subscriptions = subscriptionRepository(store);
  const preferences = personalPreferenceRepository(store);
  const secrets = webhookSecrets(store, connections.cipher);
  const sites = siteDirectory({
    subscriptions,
    connections,
    configuredSite: config.jira.baseUrl,
    adminSecret: config.alerts.webhookSecret,
    secrets,
    apiUrl: config.jira.apiUrl,
    extraOwners: (site) => deps.groomingSites?.().find((open) => sameSite(open.siteUrl, site))?.owners ?? [],
    // On the workers' clock: a subscription saved now reaches the poller and the registrar within the listing's lifetime.
    ...(clock ? { now: () => clock.now() } : {}),
  });
  const groomedSites = () => (deps.groomingSites?.() ?? []).map((open) => open.siteUrl);

  // Sites where some connected user wants watched-issue notifications, re-read at most every 30 s.
  let watching: { at: number; sites: Promise<Set<string>> } | undefined;
  const watchingOn = async (site: string) => {
    if (!watching || Date.now() - watching.at > 30_000) {
      const load = async () => {
        const found = new Set<string>();
        for (const connection of await connections.repository.list()) {
          const key = siteKey(connection.siteUrl);
          if (connection.status !== 'active' || found.has(key)) continue;
          if ((await preferences.get(personalUserKey(connection.owner))).watching) found.add(key);
        }
        return found;
      };
      watching = { at: Date.now(), sites: load() };
      watching.sites.catch(() => (watching = undefined));
    }
    return (await watching.sites).has(siteKey(site));
  };

  const alerts = createAlerts({
    store,
    logger,
    ...(clock ? { clock } : {}),
    ...(deps.sendLimits ? { delivery: { limits: deps.sendLimits } } : {}),
    ...(deps.timings ? { timings: deps.timings } : {}),
    sender: adapterAlertSender({ adapter: deps.adapter, botAppId: config.bot.id, conversations }),
    jqlSearch: jiraKeySearch(sites),
    jqlValidator: jiraJqlValidator(connections),
    onSubscriptionsChanged: () => sites.refresh(),
    permissions: subscriptionPermissions({
      connections,
      conversations,
      roles: conversationRoles(createGraphClient({ baseUrl: config.graph.baseUrl, token: graphTokenSource(config.bot, config.graph.baseUrl) })),
      logger,
      adapter: deps.adapter,
      botAppId: config.bot.id,
    }),
    personal: {
      recipients: personalRecipients({ connections: connections.repository, conversations }),
      visibility: jiraIssueVisibility(connections),
      watchers: jiraWatcherLookup(sites, watchingOn),
    },
    polling:
      config.alerts.pollIntervalMs > 0
        ? {
            intervalMs: config.alerts.pollIntervalMs,
            search: jiraSiteSearch(sites),
            // Every site something watches; the poller skips those whose webhooks are healthy.
            sites: async () => {
              const all = new Map<string, string>();
              for (const site of [...(await sites.subscribedSites()), ...groomedSites()]) if (!all.has(siteKey(site))) all.set(siteKey(site), site);
              return [...all.values()];
            },
            wholeSite: (site: string) => groomedSites().some((open) => sameSite(open, site)),
          }
        : undefined,
    dynamicWebhooks: config.alerts.dynamicWebhooks
      ? {
          api: jiraDynamicWebhookApi(sites),
          callbackUrl: (site: string) => `${config.publicUrl}${DYNAMIC_WEBHOOK_PATH.replace(':siteId', encodeURIComponent(siteIdOf(site)))}`,
          sites: async () => {
            const oauth: string[] = [];
            for (const site of await sites.subscribedSites()) if (await sites.backgroundJira(site, { oauthOnly: true })) oauth.push(site);
            return oauth;
          },
        }
      : undefined,
  });
  const unsubscribe = alerts.intake.onAccepted(({ event }) => deps.onIssueChanged(event.issue.key, event.site, event.kinds, event.issue.updated));

  const webhookRoutes: AlertWiring['webhookRoutes'] = {
    site: (siteId) => sites.webhookSite(siteId),
    ...(config.jira.oauth ? { oauthClient: config.jira.oauth } : {}),
    intake: {
      // Only authenticated callbacks get here: they prove the site's webhooks work.
      async receiveWebhook(siteUrl, payload) {
        const outcome = await alerts.intake.receiveWebhook(siteUrl, payload);
        // A dynamic webhook names the registrations it came through; an admin webhook names none.
        const named = (payload as { matchedWebhookIds?: unknown } | null)?.matchedWebhookIds;
        const ids = Array.isArray(named) ? named.filter((id): id is number => typeof id === 'number') : [];
        // Health only decides how much to poll: failing to record it must not fail the callback.
        await alerts.health.webhookReceived(siteUrl, ids).catch((error: unknown) => logger.warn({ err: error }, 'could not record a webhook in the site health'));
        return outcome;
      },
    },
  };

  return {
    alerts,
    sites,
    dialogSites: dialogSites({ connections, configuredSite: config.jira.baseUrl }),
    threadComments: jiraThreadCommentWriter(connections),
    webhookRoutes,
    webhookSecrets: secrets,
    adminWebhookUrl: (site) => `${config.publicUrl}${ADMIN_WEBHOOK_PATH.replace(':siteId', encodeURIComponent(siteIdOf(site)))}`,
    preferences: {
      get: (userKey) => alerts.preferences.get(userKey),
      async save(userKey, saved) {
        await alerts.preferences.save(userKey, saved);
        // Someone may have just switched watched-issue notifications on: look again.
        watching = undefined;
      },
    },
    startWorkers: () => alerts.startWorkers(),
    async stop() {
      unsubscribe();
      await alerts.stop();
    },
  };
}
