import type { ConversationReferences } from '../../conversations/conversation-references';
import type { ProactiveAdapter } from '../proactive-adapter';
import type { Logger } from '../../log/create-logger';

export interface TellAskerDeps {
  botAppId?: string;
  conversations: ConversationReferences;
  logger: Logger;
}

/**
 * Writes to the chat where a user typed `connect`, from a turn of somebody else (the one who
 * sent that user's sign-in code). Without a stored reference for that chat there is nowhere to
 * write: nothing was connected either way, so that is logged, not an error. True when sent.
 */
export async function tellAsker(adapter: ProactiveAdapter, deps: TellAskerDeps, asker: { tenantId: string }, conversationId: string, text: string): Promise<boolean> {
  const record = await deps.conversations.get(asker.tenantId, conversationId);
  if (!record) {
    deps.logger.debug({ tenantId: asker.tenantId }, 'no conversation reference to tell the asker of a sign-in in');
    return false;
  }
  await adapter.continueConversationAsync(deps.botAppId ?? '', record.reference, async (context) => {
    await context.sendActivity(text);
  });
  return true;
}
