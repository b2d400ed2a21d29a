import type { Activity } from 'botbuilder';
import type { ConversationScope } from '../cards/help-card';

/** Maps Teams' conversationType onto the manifest's scope names. */
export function conversationScope(activity: Pick<Activity, 'conversation'>): ConversationScope {
  switch (activity.conversation?.conversationType) {
    case 'channel':
      return 'team';
    case 'groupChat':
      return 'groupChat';
    case 'personal':
      return 'personal';
    default:
      // Older clients and some events omit conversationType: group conversations say isGroup.
      return activity.conversation?.isGroup ? 'groupChat' : 'personal';
  }
}

/** Tenant of the activity; Teams puts it in channelData and, lately, on the conversation. */
export function tenantIdOf(activity: Pick<Activity, 'conversation' | 'channelData'>): string {
  return (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? activity.conversation?.tenantId ?? '';
}
