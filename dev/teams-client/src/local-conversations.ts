import type { ConversationType } from '../../bot-connector-emu/src';
import type { TeamsPerson } from './demo-people';

/** A conversation the client shows; `personOf` is set on 1:1 chats with the bot. */
export interface LocalConversation {
  id: string;
  type: ConversationType;
  title: string;
  /** Channels only: the team. */
  teamId?: string;
  teamName?: string;
  /** Personal chats only: whose chat with the bot it is. */
  personOf?: string;
  /** Meeting chats only: the meeting's id (Teams puts it in channelData.meeting). */
  meetingId?: string;
}

export const LOCAL_TEAM_ID = '19:4c6f63616c207465616d20666f72204a@thread.tacv2';
export const LOCAL_TEAM_NAME = 'Product team';
export const LOCAL_GROUP_CHAT_ID = '19:4c6f63616c2067726f757020636861@thread.v2';
export const LOCAL_MEETING_CHAT_ID = '19:meeting_NGM2ZjYzNjE2YzIwNmQ2NTY1NzQ2OTZl@thread.v2';
/** Teams' meeting ids are base64 of `0#<chat id>#0`. */
export const LOCAL_MEETING_ID = Buffer.from(`0#${LOCAL_MEETING_CHAT_ID}#0`).toString('base64');

/**
 * A 1:1 chat's id as the Bot Connector emulation gives it when the bot creates it (createConversation),
 * so a proactive notification lands in the chat the client shows.
 */
export function personalChatId(person: Pick<TeamsPerson, 'id' | 'tenantId'>): string {
  return `a:1${Buffer.from(`${person.tenantId ?? ''}|${person.id}`).toString('base64url')}`;
}

/** Every person's chat with the bot, the team's General channel (it shares the team's id, as in Teams), a group chat and a meeting's chat. */
export function localConversations(people: readonly TeamsPerson[]): LocalConversation[] {
  return [
    ...people.map((p) => ({ id: personalChatId(p), type: 'personal' as const, title: 'Jira (chat with the bot)', personOf: p.handle })),
    { id: LOCAL_TEAM_ID, type: 'channel', title: 'General', teamId: LOCAL_TEAM_ID, teamName: LOCAL_TEAM_NAME },
    { id: LOCAL_GROUP_CHAT_ID, type: 'groupChat', title: 'Grooming chat' },
    { id: LOCAL_MEETING_CHAT_ID, type: 'groupChat', title: 'Sprint grooming (meeting)', meetingId: LOCAL_MEETING_ID },
  ];
}
