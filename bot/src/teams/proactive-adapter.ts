import type { ConversationReference, TurnContext } from 'botbuilder';

/**
 * The part of botbuilder's CloudAdapter that proactive messages need (alerts, sign-in
 * confirmations). Code that posts outside a turn depends on this, not on the adapter class.
 */
export interface ProactiveAdapter {
  continueConversationAsync(botAppId: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}
