/** One HTTP call the bot made to the emulated Bot Connector, with the answer it got. */
export interface RecordedCall {
  method: string;
  /** Path as sent, still URL-encoded, without the query string. */
  path: string;
  query: Record<string, string>;
  /** Decoded `{conversationId}` of the route, when it has one. */
  conversationId?: string;
  /** Decoded `{activityId}`: the replied-to id for replies, the target id for updates and deletes. */
  activityId?: string;
  kind: CallKind;
  body: any;
  headers: Record<string, string>;
  time: number;
  status: number;
  response: unknown;
  /** Why the token check (BotConnectorOptions.checkToken) refused the call, when it did. */
  refusal?: string;
}

export type CallKind =
  | 'sendToConversation'
  | 'replyToActivity'
  | 'updateActivity'
  | 'deleteActivity'
  | 'createConversation'
  | 'getConversationMembers'
  | 'getConversationMember'
  | 'getConversationPagedMembers'
  | 'getTeamChannels'
  | 'getTeamDetails'
  | 'graphListTeamMembers'
  | 'graphListChatMembers'
  | 'graphGetChat'
  | 'unknown';

/** Call kinds that put a new message into a conversation. */
export const SEND_KINDS: readonly CallKind[] = ['sendToConversation', 'replyToActivity'];

/** Call kinds Teams counts against its per-conversation send ceilings. */
export const RATED_KINDS: readonly CallKind[] = [...SEND_KINDS, 'updateActivity'];
