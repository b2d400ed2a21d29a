import { CardFactory, MessageFactory, type ConversationReference, type TurnContext } from 'botbuilder';
import type { ProactiveAdapter } from '../proactive-adapter';
import type { AdaptiveCard } from '../../cards/adaptive-card';
import type { ConversationReferences } from '../../conversations/conversation-references';
import { AlertError, AlertErrorCode } from '../../alerts/alert-error';
import type { AlertTarget } from '../../alerts/alert-outbox';
import type { AlertSender } from '../../alerts/alert-sender';

/**
 * Sends through `continueConversationAsync` into the reference stored at install. With an empty
 * bot app id (local mode) botbuilder sends without a token, which the local emulation accepts.
 */
export function adapterAlertSender(deps: { adapter: ProactiveAdapter; botAppId?: string; conversations: ConversationReferences }): AlertSender {
  const reference = async (target: AlertTarget, rootActivityId?: string): Promise<Partial<ConversationReference>> => {
    const record = await deps.conversations.get(target.tenantId, target.conversationId);
    if (!record) throw new AlertError(AlertErrorCode.ConversationUnknown, 'The app is no longer installed in this conversation.');
    const stored = record.reference as Partial<ConversationReference>;
    if (!rootActivityId || record.conversationType !== 'channel' || !stored.conversation) return stored;
    // Teams addresses a channel thread as the channel id with the root message's id appended.
    return { ...stored, conversation: { ...stored.conversation, id: `${target.conversationId};messageid=${rootActivityId}` } };
  };
  const message = (card: AdaptiveCard) => MessageFactory.attachment(CardFactory.adaptiveCard(card));

  /**
   * The adapter hands errors thrown inside a turn to its onTurnError (teams-ai installs one that
   * logs and swallows), so the send's error is caught inside the turn and rethrown outside it.
   */
  async function inConversation<T>(target: AlertTarget, send: (context: TurnContext) => Promise<T>, rootActivityId?: string): Promise<T> {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    await deps.adapter.continueConversationAsync(deps.botAppId ?? '', await reference(target, rootActivityId), async (context) => {
      try {
        outcome = { ok: true, value: await send(context) };
      } catch (error) {
        outcome = { ok: false, error };
      }
    });
    if (!outcome) throw new Error('The adapter did not run the proactive turn');
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  return {
    post: (target, card) => inConversation(target, async (context) => (await context.sendActivity(message(card)))?.id ?? ''),
    reply: (target, rootActivityId, card) => inConversation(target, async (context) => (await context.sendActivity(message(card)))?.id ?? '', rootActivityId),
    update: (target, activityId, card) =>
      inConversation(target, async (context) => {
        await context.updateActivity({ ...message(card), id: activityId });
      }),
  };
}
