import type { ConnectionRepository } from '../connections/connection-repository';
import type { ConversationReferences } from '../conversations/conversation-references';
import type { PersonalRecipients } from '../alerts/personal-matcher';
import { personalUserKey } from '../alerts/personal-preferences';
import { sameSite } from '../jira/site-url';

/**
 * Teams users behind Jira accounts: each active connection to the site whose account is named,
 * with that user's personal chat with the bot (users who never chatted with it get nothing).
 */
export function personalRecipients(deps: { connections: Pick<ConnectionRepository, 'list'>; conversations: Pick<ConversationReferences, 'personalChat'> }): PersonalRecipients {
  return {
    async forAccounts(site, accountIds) {
      const wanted = new Set(accountIds);
      const result: Awaited<ReturnType<PersonalRecipients['forAccounts']>> = new Map();
      for (const connection of await deps.connections.list()) {
        if (connection.status !== 'active' || !wanted.has(connection.accountId) || !sameSite(connection.siteUrl, site)) continue;
        const chat = await deps.conversations.personalChat(connection.owner.tenantId, connection.owner.userId);
        if (!chat) continue;
        const list = result.get(connection.accountId) ?? [];
        list.push({ userKey: personalUserKey(connection.owner), owner: connection.owner, target: { tenantId: chat.tenantId, conversationId: chat.conversationId } });
        result.set(connection.accountId, list);
      }
      return result;
    },
  };
}
