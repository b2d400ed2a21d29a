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
    link: httpsLink(payload.linkToMessage),
  };
}

/**
 * Teams links to a message are https. Anything else in a forged payload (`javascript:`, `data:`,
 * plain http) must not become the remote link or a link in its description.
 */
function httpsLink(url: string | undefined): string | undefined {
  if (typeof url !== 'string' || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  return parsed.protocol === 'https:' && !parsed.username && !parsed.password ? parsed.href : undefined;
}
