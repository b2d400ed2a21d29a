import { MessageFactory, CardFactory, type TurnContext } from 'botbuilder';
import type { CommandHelp } from '../../cards/help-card';
import { ConnectVerb, connectCard, connectedCard } from '../../cards/connect-card';
import type { AdaptiveCard } from '../../cards/adaptive-card';
import { escapeCardLine } from '../../cards/adaptive-card';
import { connectionOwner, type ConnectionOwner } from '../../connections/connection';
import { connectionErrorMessage, ConnectionError, ConnectionErrorCode, isConnectionError } from '../../connections/connection-error';
import type { ConnectionServices } from '../../connections/create-connection-services';
import type { Logger } from '../../log/create-logger';
import { commandPattern } from '../command-text';
import { conversationScope, tenantIdOf } from '../conversation-scope';
import type { TeamsFeature } from '../teams-feature';

export interface ConnectionsFeatureDeps {
  connections: ConnectionServices;
  logger: Logger;
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

export const onApiTokenSubmit = (deps: ConnectionsFeatureDeps) => async (context: TurnContext, data: ApiTokenSubmit): Promise<AdaptiveCard> => {
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
  await context.sendActivity(
    `Connected to ${escapeCardLine(connection.siteUrl)} as **${escapeCardLine(connection.displayName)}** (${how}).`,
  );
};

async function sendCard(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
