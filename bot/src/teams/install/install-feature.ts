import { ActivityTypes, CardFactory, MessageFactory, TurnContext, type Activity } from 'botbuilder';
import { welcomeCard } from '../../cards/welcome-card';
import type { ConversationReferences } from '../../conversations/conversation-references';
import type { Logger } from '../../log/create-logger';
import { conversationScope, tenantIdOf } from '../conversation-scope';
import type { TeamsFeature } from '../teams-feature';

/**
 * Installing the app fires both conversationUpdate (bot added) and installationUpdate (add),
 * in either order and sometimes twice. Each stores the conversation reference; the welcome card
 * goes out once per installation, guarded by an atomic create in the store.
 */
export function installFeature(deps: { botName: string; conversations: ConversationReferences; logger: Logger }): TeamsFeature {
  const { conversations, logger } = deps;

  async function remember(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const conversationType = activity.conversation.conversationType;
    await conversations.save({
      conversationId: activity.conversation.id,
      tenantId: tenantIdOf(activity),
      conversationType: conversationType === 'channel' || conversationType === 'groupChat' ? conversationType : 'personal',
      serviceUrl: activity.serviceUrl,
      teamId: (activity.channelData as { team?: { id?: string } } | undefined)?.team?.id,
      reference: TurnContext.getConversationReference(activity),
      updatedAt: new Date().toISOString(),
    });
  }

  // Conversation ids whose reference this process already saved: one write per conversation,
  // not one per message. serviceUrl is in the key because Teams may move a conversation.
  const remembered = new Set<string>();

  async function installed(context: TurnContext): Promise<void> {
    await remember(context);
    const tenantId = tenantIdOf(context.activity);
    if (!(await conversations.claimWelcome(tenantId, context.activity.conversation.id))) return;
    const card = welcomeCard({ botName: deps.botName, scope: conversationScope(context.activity) });
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
    logger.info({ conversationId: context.activity.conversation.id, tenantId }, 'installed; welcome card sent');
  }

  return {
    name: 'install',
    register(app) {
      // A chat can be older than this service's store (or its install event was missed): any
      // message keeps the reference current, so proactive messages (sign-in confirmations,
      // notifications) can reach it.
      app.turn('beforeTurn', async (context) => {
        const { activity } = context;
        const seen = `${activity.conversation?.id}|${activity.serviceUrl}`;
        if (activity.type === (ActivityTypes.Message as string) && activity.conversation?.id && !remembered.has(seen)) {
          await remember(context);
          remembered.add(seen);
        }
        return true;
      });
      app.conversationUpdate('membersAdded', async (context) => {
        const botId = context.activity.recipient.id;
        if (!(context.activity.membersAdded ?? []).some((member) => member.id === botId)) return;
        await installed(context);
      });
      app.activity(ActivityTypes.InstallationUpdate, async (context) => {
        const action = (context.activity as Activity & { action?: string }).action ?? '';
        if (action === 'add' || action === 'add-upgrade') {
          await installed(context);
        } else if (action === 'remove' || action === 'remove-upgrade') {
          await conversations.remove(tenantIdOf(context.activity), context.activity.conversation.id);
          logger.info({ conversationId: context.activity.conversation.id }, 'uninstalled; conversation forgotten');
        } else {
          logger.debug({ action }, 'installationUpdate ignored');
        }
      });
    },
  };
}
