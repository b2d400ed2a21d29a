import type { Activity } from 'botbuilder';
import type { TeamsMessage } from '../../jira/adf/message-to-adf';

interface MessagePayload {
  id?: string;
  linkToMessage?: string;
  body?: { contentType?: string; content?: string };
  from?: { user?: { displayName?: string } | null; application?: { displayName?: string } | null } | null;
}

/**
 * The message a message action was started from (`value.messagePayload`), or undefined when
 * the action came from the compose box or a command.
 */
export function teamsMessageOf(activity: Pick<Activity, 'value' | 'conversation'>): TeamsMessage | undefined {
  const payload = (activity.value as { messagePayload?: MessagePayload } | undefined)?.messagePayload;
  if (!payload?.body) return undefined;
  return {
    content: payload.body.content ?? '',
    contentType: payload.body.contentType === 'text' ? 'text' : 'html',
    authorName: payload.from?.user?.displayName ?? payload.from?.application?.displayName ?? undefined,
    conversationName: activity.conversation?.name || undefined,
    link: payload.linkToMessage,
  };
}
