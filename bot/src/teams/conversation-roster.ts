import { TeamsInfo } from 'botbuilder';
import type { ConversationReferences } from '../conversations/conversation-references';
import type { Logger } from '../log/create-logger';
import type { ConversationMembership } from '../meetings/conversation-membership';
import type { ProactiveAdapter } from './proactive-adapter';

/**
 * The Bot Connector roster (`GET /v3/conversations/{id}/members/{userId}`, by Entra object id)
 * of a conversation the app is in, through the conversation's stored reference (its service URL).
 * A channel asks its team's roster. A conversation the app was never added to has no roster the
 * app may read: nobody is a member. Teams' 404 (MemberNotFoundInConversation) and 403 are a no;
 * anything else throws, since Teams could not tell.
 */
export function conversationRoster(deps: {
  adapter: ProactiveAdapter;
  botAppId?: string;
  conversations: Pick<ConversationReferences, 'get'>;
  logger?: Logger;
}): ConversationMembership {
  return {
    async isMember(tenantId, conversationId, userId) {
      const record = await deps.conversations.get(tenantId, conversationId);
      if (!record || record.conversationType === 'personal') return false;
      let member = false;
      let failure: Error | undefined;
      await deps.adapter.continueConversationAsync(deps.botAppId ?? '', record.reference, async (context) => {
        try {
          const found = record.teamId ? await TeamsInfo.getTeamMember(context, record.teamId, userId) : await TeamsInfo.getMember(context, userId);
          member = Boolean(found?.aadObjectId && found.aadObjectId.toLowerCase() === userId.toLowerCase());
        } catch (error) {
          const status = (error as { statusCode?: number }).statusCode;
          if (status === 404 || status === 403) return;
          deps.logger?.warn({ conversationId, status }, 'conversation roster lookup failed');
          failure = error instanceof Error ? error : new Error('conversation roster lookup failed');
        }
      });
      if (failure) throw failure;
      return member;
    },
  };
}
