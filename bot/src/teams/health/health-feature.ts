import { CardFactory, MessageFactory } from 'botbuilder';
import type { Alerts } from '../../alerts/create-alerts';
import { healthCard } from '../../cards/health-card';
import type { CommandHelp } from '../../cards/help-card';
import type { Config } from '../../config';
import type { ConnectionServices } from '../../connections/create-connection-services';
import type { ConversationReferences } from '../../conversations/conversation-references';
import { conversationRoles } from '../../graph/conversation-roles';
import { createGraphClient } from '../../graph/create-graph-client';
import { graphTokenSource } from '../../graph/graph-token-source';
import { sameSite } from '../../jira/site-url';
import type { Logger } from '../../log/create-logger';
import type { Store } from '../../store/store';
import { subscriptionPermissions } from '../alerts/subscription-permissions';
import { commandPattern } from '../command-text';
import type { ProactiveAdapter } from '../proactive-adapter';
import type { TeamsFeature } from '../teams-feature';
import { healthAudience } from './health-audience';
import { readSiteHealth } from './read-site-health';

export interface HealthFeatureDeps {
  config: Config;
  store: Store;
  connections: ConnectionServices;
  conversations: ConversationReferences;
  /** The Teams adapter: a team's group id is asked of the Bot Connector when the activity lacks it. */
  adapter: ProactiveAdapter;
  alerts: Pick<Alerts, 'health' | 'repository'>;
  logger: Logger;
  now?: () => number;
}

/**
 * Declared for personal chat only: Teams lists at most 10 commands per scope and the channel list
 * is full, so in a channel `health` works for team owners when typed but is not offered in the menu.
 */
export const healthCommand: CommandHelp = {
  name: 'health',
  description:
    "Jira admins: how alerts are doing on your site (webhooks, poller, outbox, parked alerts, Jira budget). Team owners can type it in a channel for their team's alerts.",
  scopes: ['personal'],
};

/** `health`: the operator's view of the alert pipeline, for team owners and Jira administrators. */
export function healthFeature(deps: HealthFeatureDeps): TeamsFeature {
  const { config, logger } = deps;
  const now = deps.now ?? Date.now;
  const permissions = subscriptionPermissions({
    connections: deps.connections,
    conversations: deps.conversations,
    roles: conversationRoles(createGraphClient({ baseUrl: config.graph.baseUrl, token: graphTokenSource(config.bot, config.graph.baseUrl) })),
    adapter: deps.adapter,
    botAppId: config.bot.id,
    logger,
  });
  const sources = {
    store: deps.store,
    health: deps.alerts.health,
    subscriptions: deps.alerts.repository,
    scheduler: deps.connections.scheduler,
    cloudIds: async (site: string) => [...new Set((await deps.connections.repository.list()).flatMap((c) => (c.cloudId && sameSite(c.siteUrl, site) ? [c.cloudId] : [])))],
    pollIntervalMs: config.alerts.pollIntervalMs,
    now,
  };
  return {
    name: 'health',
    commands: [healthCommand],
    register(app) {
      app.message(commandPattern('health'), async (context) => {
        const audience = await healthAudience(context, {
          permissions,
          subscriptions: deps.alerts.repository,
          conversations: deps.conversations,
          connections: deps.connections,
        });
        if (audience.kind === 'refused') {
          await context.sendActivity(audience.reason);
          return;
        }
        const sites = audience.kind === 'team' ? audience.sites : [audience.site];
        const views = await readSiteHealth(sources, sites, audience.kind === 'team' ? audience.conversationIds : undefined);
        const card = healthCard({ audience: audience.kind === 'team' ? { kind: 'team' } : { kind: 'site-admin', site: audience.site }, sites: views, now: now() });
        logger.info({ audience: audience.kind, sites: views.length }, 'health shown');
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
      });
    },
  };
}
