import path from 'node:path';
import type { Server } from 'restify';
import type { Config } from './config';
import type { Clock } from './jira/clock';
import { createLogger, type Logger } from './log/create-logger';
import { openStore } from './store/open-store';
import type { Store } from './store/store';
import { conversationReferences } from './conversations/conversation-references';
import { createAdapter, createTeamsApp, type TeamsApp } from './teams/create-teams-app';
import { answerActivity } from './teams/answer-activity';
import { conversationRoster } from './teams/conversation-roster';
import { createActivityAuthenticator } from './teams/create-activity-authenticator';
import { helpFeature } from './teams/help/help-feature';
import { installFeature } from './teams/install/install-feature';
import type { TeamsFeature } from './teams/teams-feature';
import { createConnectionServices, type ConnectionServices } from './connections/create-connection-services';
import { connectionsFeature } from './teams/connections/connections-feature';
import { announcePendingSignIn } from './teams/connections/announce-pending-sign-in';
import { composeFeature } from './teams/compose/compose-feature';
import { issueWriterFor } from './teams/compose/jira-issue-writer';
import { unfurlFeature } from './teams/unfurl/unfurl-feature';
import { cachedIssueService } from './teams/unfurl/cached-issue-service';
import { jiraIssueService } from './teams/unfurl/jira-issue-service';
import { authRoutes } from './http/auth-routes';
import { createHttpServer } from './http/create-http-server';
import { readinessCheck } from './http/readiness';
import { webhookRoutes } from './http/webhook-routes';
import { tabRoutes } from './http/tab-routes';
import { tabStaticRoutes } from './http/tab-static-routes';
import { createMeetings, type Meetings } from './meetings/create-meetings';
import { alertWiring, type AlertWiring } from './wiring/alert-wiring';
import { alertThreads } from './alerts/alert-threads';
import { dialogChoices } from './teams/alerts/dialog-choices';
import { subscriptionsFeature } from './teams/alerts/subscriptions-feature';
import { notificationsFeature } from './teams/alerts/notifications-feature';
import { webhookSetupFeature } from './teams/alerts/webhook-setup-feature';
import { threadRepliesFeature } from './teams/alerts/thread-replies-feature';
import { recapFeature } from './teams/meetings/recap-feature';
import { healthFeature } from './teams/health/health-feature';
import type { Cluster } from './cluster/open-cluster';
import type { AlertTimings } from './alerts/create-alerts';
import { OUTBOX_TABLE, type OutboxEntry } from './alerts/alert-outbox';
import { observeGauges } from './telemetry/service-metrics';

export const BOT_NAME = 'Jira';

export interface BotService {
  /** Base URL the server listens on, e.g. http://127.0.0.1:3978. */
  url: string;
  server: Server;
  store: Store;
  teams: TeamsApp;
  connections: ConnectionServices;
  /** The alert pipeline: subscriptions, intake, outbox, site directory. */
  alerts: AlertWiring;
  /** The grooming tab's backend: backlogs, the meeting hub, SSO verification. */
  meetings: Meetings;
  logger: Logger;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  store?: Store;
  /** Features registered ahead of the built-in ones (benchmarks, tests). Routes match in order. */
  extraFeatures?: readonly TeamsFeature[];
  /** The built tab served at /tab/; default tab/dist of this repository. */
  tabDistDir?: string;
  /** The alert workers' clock (polling, webhook health, delivery); tests drive it by hand. */
  clock?: Clock;
  /** Tests only: shorter alert worker leases and sweeps (a cluster test's takeover in seconds). */
  alertTimings?: AlertTimings;
}

/** Composition: config -> store -> Teams app -> HTTP. index.ts adds process handling around it. */
export async function startBot(config: Config, options: StartOptions = {}): Promise<BotService> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const store = options.store ?? (await openStore(config.store));
  // Cluster mode: what several instances must share beyond the store goes through Redis. Loaded
  // only then: ioredis and the cluster modules are resident memory a single instance never uses.
  let cluster: Cluster | undefined;
  if (config.cluster) cluster = await (await import('./cluster/open-cluster.js')).openCluster(config.cluster, logger);
  const conversations = conversationReferences(store);
  const connections = await createConnectionServices(config, store, {
    warn: (message) => logger.warn(message),
    ...(cluster ? { scheduler: cluster.jiraScheduler } : {}),
  });
  const issues = cachedIssueService(jiraIssueService(connections));
  // Created before the features: the alert pipeline sends through it from its construction on.
  const adapter = createAdapter(config.bot);
  // A backlog is used only by members of its conversation, as Teams' roster says.
  const membership = conversationRoster({ adapter, botAppId: config.bot.id, conversations, logger });
  const meetings = createMeetings({ config, store, connections, membership, ...(cluster ? { hubBus: cluster.hubBus } : {}) });
  const alerts = alertWiring({
    config,
    store,
    logger,
    connections,
    conversations,
    adapter,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(cluster ? { sendLimits: cluster.sendLimits } : {}),
    ...(options.alertTimings ? { timings: options.alertTimings } : {}),
    groomingSites: () => meetings.hub.openSites(),
    onIssueChanged: (key, site, kinds, updated) => {
      issues.invalidate(key);
      meetings.onIssueChanged(key, site, kinds, updated);
    },
  });

  // Read only when telemetry exports (once a minute); without it the meter is a no-op that never asks.
  // One listing of the outbox per gauge, not a read per conversation.
  const outboxRowsIn = async (state: OutboxEntry['state']) => (await store.list<OutboxEntry>(OUTBOX_TABLE)).map((item) => item.value).filter((entry) => entry.state === state);
  observeGauges({
    'jira_teams.panels.open': { description: 'Open grooming panels (live event streams) on this instance', read: () => meetings.hub.listenerCount() },
    'jira_teams.outbox.conversations': {
      description: 'Conversations with alerts waiting to be sent',
      read: async () => new Set((await outboxRowsIn('pending')).map((row) => row.target.conversationId)).size,
    },
    'jira_teams.outbox.depth': { description: 'Alerts waiting to be sent, all conversations', read: async () => (await outboxRowsIn('pending')).length },
    'jira_teams.outbox.parked': {
      description: 'Alerts parked now (no more retries until someone retries them), all conversations',
      read: async () => (await outboxRowsIn('parked')).length,
    },
  });

  const features: TeamsFeature[] = [...(options.extraFeatures ?? [])];
  features.push(
    helpFeature({ botName: BOT_NAME, commands: () => features.flatMap((f) => f.commands ?? []) }),
    installFeature({ botName: BOT_NAME, conversations, logger }),
    connectionsFeature({ connections, logger, conversations, botAppId: config.bot.id }),
    composeFeature({ store, logger, writerFor: issueWriterFor(connections) }),
    unfurlFeature({
      issues,
      siteHosts: config.jira.linkHosts,
      signInLink: connections.oauth ? (user, conversationId) => connections.oauth!.startLink(user, conversationId) : undefined,
      logger,
    }),
    subscriptionsFeature({ service: alerts.alerts.subscriptions, sites: alerts.dialogSites, choices: dialogChoices({ connections }), logger }),
    notificationsFeature({ preferences: alerts.preferences, logger }),
    webhookSetupFeature({ connections, secrets: alerts.webhookSecrets, webhookUrl: alerts.adminWebhookUrl, logger }),
    recapFeature({ changes: meetings.changes, logger }),
    healthFeature({ config, store, connections, conversations, adapter, alerts: alerts.alerts, logger }),
    // After the command features, so a command typed in an alert's thread stays a command.
    threadRepliesFeature({ threads: alertThreads(store), comments: alerts.threadComments, logger }),
  );
  const teams = createTeamsApp({ config, logger, features, adapter });

  const server = createHttpServer({
    logger,
    processActivity: answerActivity(teams, logger),
    authenticateActivity: createActivityAuthenticator(teams.adapter, config.bot, logger),
    readiness: readinessCheck({ store, jiraBaseUrl: config.jira.baseUrl }),
    routes: [
      authRoutes({ connections, logger, onAwaitingCode: announcePendingSignIn({ adapter: teams.adapter, botAppId: config.bot.id, conversations, logger }) }),
      webhookRoutes({ ...alerts.webhookRoutes, logger }),
      tabRoutes({ meetings, logger }),
      tabStaticRoutes({ distDir: options.tabDistDir ?? path.resolve(__dirname, '../../tab/dist') }),
    ],
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? 'localhost' : host}:${address.port}`;
  // Workers start once the server answers, so nothing is sent before the service could take replies.
  alerts.startWorkers();

  let closing: Promise<void> | undefined;
  return {
    url,
    server,
    store,
    teams,
    connections,
    alerts,
    meetings,
    logger,
    close() {
      closing ??= (async () => {
        // Open event streams would keep the server from closing.
        meetings.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
        });
        // Sends in flight finish and are recorded before the store goes.
        await alerts.stop();
        await store.close();
        await cluster?.close();
      })();
      return closing;
    },
  };
}
