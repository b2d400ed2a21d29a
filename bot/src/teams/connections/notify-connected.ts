import type { ConversationReference } from 'botbuilder';
import type { ProactiveAdapter } from '../../conversations/proactive-adapter';
import { escapeCardLine } from '../../cards/adaptive-card';
import type { OAuthConnection } from '../../connections/connection';
import type { ConversationReferences } from '../../conversations/conversation-references';
import type { Logger } from '../../log/create-logger';

export interface NotifyConnectedDeps {
  adapter: ProactiveAdapter;
  botAppId?: string;
  conversations: ConversationReferences;
  logger: Logger;
}

/**
 * After the browser side of an OAuth sign-in, confirms it in the Teams chat the user typed
 * `connect` in. Without a stored reference for that chat there is nowhere to write; the
 * confirmation page already told the user, so that is not an error.
 */
export function notifyConnected(deps: NotifyConnectedDeps): (connection: OAuthConnection, conversationId: string) => Promise<void> {
  return async (connection, conversationId) => {
    const record = await deps.conversations.get(connection.owner.tenantId, conversationId);
    if (!record) {
      deps.logger.debug({ tenantId: connection.owner.tenantId }, 'no conversation reference to confirm the Jira connection in');
      return;
    }
    await deps.adapter.continueConversationAsync(deps.botAppId ?? '', record.reference as Partial<ConversationReference>, async (context) => {
      await context.sendActivity(
        `You are connected to ${escapeCardLine(connection.siteName)} as **${escapeCardLine(connection.displayName)}**. Type **status** any time to check.`,
      );
    });
  };
}
