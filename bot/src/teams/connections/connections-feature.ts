import { MessageFactory, CardFactory, type TurnContext } from 'botbuilder';
import type { CommandHelp } from '../../cards/help-card';
import { ConnectVerb, connectCard, connectedCard } from '../../cards/connect-card';
import type { AdaptiveCard } from '../../cards/adaptive-card';
import { escapeCardLine } from '../../cards/adaptive-card';
import { connectionOwner, type ConnectionOwner } from '../../connections/connection';
import { connectionErrorMessage, ConnectionError, ConnectionErrorCode, isConnectionError } from '../../connections/connection-error';
import type { ConnectionServices } from '../../connections/create-connection-services';
import { readSignInCode } from '../../connections/read-sign-in-code';
import type { ConversationReferences } from '../../conversations/conversation-references';
import type { ProactiveAdapter } from '../proactive-adapter';
import type { Logger } from '../../log/create-logger';
import { commandPattern, commandText } from '../command-text';
import { conversationScope, tenantIdOf } from '../conversation-scope';
import type { TeamsFeature } from '../teams-feature';
import { tellAsker } from './tell-asker';

export interface ConnectionsFeatureDeps {
  connections: ConnectionServices;
  logger: Logger;
  /** Where to tell a user that someone else sent the code of their sign-in. */
  conversations?: ConversationReferences;
  botAppId?: string;
}

export const connectionCommands: readonly CommandHelp[] = [
  { name: 'connect', description: 'Connect your own Jira Cloud account.', scopes: ['personal', 'team', 'groupChat'] },
  { name: 'disconnect', description: 'Disconnect your Jira account and delete its stored tokens.', scopes: ['personal', 'team', 'groupChat'] },
  { name: 'status', description: 'Show which Jira site and account you are connected to.', scopes: ['personal', 'team', 'groupChat'] },
];

interface ApiTokenSubmit {
  siteUrl?: unknown;
  email?: unknown;
  apiToken?: unknown;
}

/** `connect`, `disconnect` and `status`, and the API-token form's action. */
export function connectionsFeature(deps: ConnectionsFeatureDeps): TeamsFeature {
  return {
    name: 'connections',
    commands: connectionCommands,
    register(app) {
      // Ahead of `connect`: "connect ABCD-EFGH" is a code, not a new sign-in.
      app.message(async (context) => readSignInCode(commandText(context.activity.text)) !== undefined, onSignInCode(deps));
      app.message(commandPattern('connect'), onConnect(deps));
      app.message(commandPattern('disconnect'), onDisconnect(deps));
      app.message(commandPattern('status'), onStatus(deps));
      app.adaptiveCards.actionExecute<ApiTokenSubmit>(ConnectVerb.ApiToken, (context, _state, data) => onApiTokenSubmit(deps)(context, data));
    },
  };
}

function ownerOf(context: TurnContext): ConnectionOwner {
  return connectionOwner(tenantIdOf(context.activity), context.activity.from);
}

export const onConnect = (deps: ConnectionsFeatureDeps) => async (context: TurnContext) => {
  if (conversationScope(context.activity) !== 'personal') {
    // A sign-in link or token form posted here could be opened by anyone in the conversation.
    await context.sendActivity('To keep your Jira account private, connect in a personal chat with me: open a chat with me and type **connect**.');
    return;
  }
  const signInUrl = deps.connections.oauth?.startLink(ownerOf(context), context.activity.conversation.id);
  await sendCard(context, connectCard({ signInUrl }));
};

/**
 * The code from the sign-in page. Only the Teams user who asked for that sign-in connects by
 * sending it; anyone else spends it for nothing, and the asker is told.
 */
export const onSignInCode = (deps: ConnectionsFeatureDeps) => async (context: TurnContext) => {
  const code = readSignInCode(commandText(context.activity.text))!;
  const flow = deps.connections.oauth?.flow;
  if (!flow) {
    await context.sendActivity(connectionErrorMessage(new ConnectionError(ConnectionErrorCode.OAuthNotConfigured)));
    return;
  }
  if (conversationScope(context.activity) !== 'personal') {
    await context.sendActivity('Send the sign-in code in your personal chat with me, where you typed **connect**.');
    return;
  }
  let result;
  try {
    result = await flow.confirm(ownerOf(context), code);
  } catch (error) {
    if (!isConnectionError(error)) throw error;
    deps.logger.info({ code: error.code }, 'sign-in code refused');
    await context.sendActivity(connectionErrorMessage(error));
    return;
  }
  if (result.kind === 'connected') {
    const { connection } = result;
    deps.logger.info({ tenantId: connection.owner.tenantId, cloudId: connection.cloudId }, 'Jira connected with OAuth');
    await context.sendActivity(`You are connected to ${escapeCardLine(connection.siteName)} as **${escapeCardLine(connection.displayName)}**. Type **status** any time to check.`);
    return;
  }
  deps.logger.warn({ tenantId: result.asker.tenantId }, 'a sign-in code was sent by someone other than the user who asked for it; nothing connected');
  await context.sendActivity(
    'That code belongs to a sign-in somebody else asked for, so nothing was connected, and I told them. To connect your own Jira account, type **connect**.',
  );
  if (deps.conversations) {
    const told = await tellAsker(
      context.adapter as unknown as ProactiveAdapter,
      { conversations: deps.conversations, botAppId: deps.botAppId, logger: deps.logger },
      result.asker,
      result.conversationId,
      'Someone else finished the Atlassian sign-in from a link I gave you, and sent its code from their own Teams account, so nothing was connected. If you did not pass the link on, nothing of yours was shared. To connect your Jira account, type **connect** and use the new link yourself.',
    ).catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'could not tell the asker of a sign-in that someone else used it');
      return false;
    });
    if (!told) deps.logger.info('the asker of a misused sign-in could not be told: no conversation reference');
  }
};

export const onApiTokenSubmit =
  (deps: ConnectionsFeatureDeps) =>
  async (context: TurnContext, data: ApiTokenSubmit): Promise<AdaptiveCard> => {
    const input = { siteUrl: text(data.siteUrl), email: text(data.email), apiToken: text(data.apiToken) };
    if (conversationScope(context.activity) !== 'personal') {
      return connectCard({ problem: 'Connect in a personal chat with me, so your token stays private.' });
    }
    try {
      const connection = await deps.connections.connectWithApiToken(ownerOf(context), input);
      deps.logger.info({ tenantId: connection.owner.tenantId }, 'Jira connected with an API token');
      return connectedCard(connection);
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      deps.logger.info({ code: error.code }, 'Jira API-token connection refused');
      return connectCard({
        signInUrl: deps.connections.oauth?.startLink(ownerOf(context), context.activity.conversation.id),
        problem: connectionErrorMessage(error),
        siteUrl: input.siteUrl,
        email: input.email,
      });
    }
  };

export const onDisconnect = (deps: ConnectionsFeatureDeps) => async (context: TurnContext) => {
  const owner = ownerOf(context);
  const connection = await deps.connections.repository.get(owner);
  if (!connection || !(await deps.connections.repository.remove(owner))) {
    await context.sendActivity('You were not connected to Jira.');
    return;
  }
  const revoke =
    connection.kind === 'oauth'
      ? ' To also remove the app from your Atlassian account, open https://id.atlassian.com/manage-profile/apps.'
      : ' You can also revoke the API token at https://id.atlassian.com/manage-profile/security/api-tokens.';
  await context.sendActivity(`Disconnected from ${escapeCardLine(connection.siteUrl)}. Your stored Jira credentials are deleted.${revoke}`);
};

export const onStatus = (deps: ConnectionsFeatureDeps) => async (context: TurnContext) => {
  const connection = await deps.connections.repository.get(ownerOf(context));
  if (!connection) {
    await context.sendActivity(connectionErrorMessage(new ConnectionError(ConnectionErrorCode.NotConnected)));
    return;
  }
  if (connection.status === 'needsReconnect') {
    await context.sendActivity(`Your connection to ${escapeCardLine(connection.siteUrl)} has expired or was revoked. Type **connect** to reconnect.`);
    return;
  }
  const how = connection.kind === 'oauth' ? 'signed in with Atlassian' : 'with an API token';
  await context.sendActivity(`Connected to ${escapeCardLine(connection.siteUrl)} as **${escapeCardLine(connection.displayName)}** (${how}).`);
};

async function sendCard(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
