import { ActivityTypes, MessageFactory, type TurnContext } from 'botbuilder';
// The package's index also loads its AI planners, models and tokenizer tables, which this service
// never uses: about 35 MB of resident memory. These three modules are all it needs (the version is
// pinned exactly, so the paths cannot move under us; bot/test/start-bot-imports.test.ts checks them).
import { Application } from '@microsoft/teams-ai/lib/Application';
import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
import type { TurnState } from '@microsoft/teams-ai/lib/TurnState';
import type { Config } from '../config';
import type { Logger } from '../log/create-logger';
import type { CommandHelp } from '../cards/help-card';
import { channelAuthOptions } from './channel-auth-options';
import { commandText } from './command-text';
import { refuseUnverifiableTokens } from './refuse-unverifiable-tokens';
import { reuseConnectorClients } from './reuse-connector-clients';
import { testLoginCredentials } from './test-login-credentials';
import type { TeamsFeature } from './teams-feature';

export interface TeamsApp {
  adapter: TeamsAdapter;
  app: Application<TurnState>;
  commands(): readonly CommandHelp[];
}

/** The Bot Framework adapter; with no BOT_ID it accepts unauthenticated activities (local mode). */
export function createAdapter(bot: Config['bot']): TeamsAdapter {
  const adapter = new TeamsAdapter(
    {
      MicrosoftAppId: bot.id ?? '',
      MicrosoftAppPassword: bot.password ?? '',
      MicrosoftAppType: bot.type,
      MicrosoftAppTenantId: bot.tenantId ?? '',
      ...channelAuthOptions(bot),
    },
    testLoginCredentials(bot),
  );
  refuseUnverifiableTokens(adapter);
  reuseConnectorClients(adapter);
  return adapter;
}

/**
 * Builds the teams-ai Application from features. Every teams-ai import stays inside teams/,
 * so a move to its successor SDK touches one folder.
 */
export function createTeamsApp(deps: { config: Config; logger: Logger; features: readonly TeamsFeature[]; adapter?: TeamsAdapter }): TeamsApp {
  const adapter = deps.adapter ?? createAdapter(deps.config.bot);
  const app = new Application<TurnState>({
    adapter,
    botAppId: deps.config.bot.id ?? '',
    removeRecipientMention: true,
    // A typing indicator per turn doubles the outbound calls for no benefit on quick answers.
    startTypingTimer: false,
    longRunningMessages: false,
  });

  for (const feature of deps.features) feature.register(app);

  // Registered last: routes match in order, so this only sees messages no feature claimed.
  app.activity(ActivityTypes.Message, async (context) => {
    const text = commandText(context.activity.text);
    if (!text && (context.activity.attachments?.length ?? 0) === 0 && context.activity.value) return;
    await context.sendActivity(MessageFactory.text(`Sorry, I don't know that command. Type **help** to see what I can do.`));
  });

  app.error(async (context: TurnContext, error: Error) => {
    deps.logger.error({ err: error, activityId: context.activity.id, conversationId: context.activity.conversation?.id, type: context.activity.type }, 'turn failed');
    if (context.activity.type === (ActivityTypes.Message as string)) {
      await context
        .sendActivity('Sorry, something went wrong on my side. Please try again in a moment.')
        .catch((sendError: unknown) => deps.logger.warn({ err: sendError }, 'could not tell the user about a failed turn'));
    }
  });

  const commands = () => deps.features.flatMap((feature) => feature.commands ?? []);
  return { adapter, app, commands };
}
