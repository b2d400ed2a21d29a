import { randomUUID } from 'node:crypto';
import { teamAadGroupId } from './member-directory';
import { DEFAULT_TENANT_ID } from './teams-member';

/**
 * Builders for the activities Teams sends a bot, shaped after the published samples in
 * ../fixtures (see its README). Values are JSON as on the wire: timestamps are strings.
 */

export type ConversationType = 'personal' | 'groupChat' | 'channel';

export interface Account {
  id: string;
  name?: string;
  aadObjectId?: string;
}

export interface TeamsActivity {
  type: string;
  id: string;
  timestamp: string;
  localTimestamp?: string;
  channelId: 'msteams';
  serviceUrl: string;
  from: Account;
  recipient: Account;
  conversation: {
    id: string;
    conversationType: ConversationType;
    tenantId: string;
    isGroup?: boolean;
    name?: string;
  };
  channelData: Record<string, any>;
  locale?: string;
  entities?: Array<Record<string, any>>;
  text?: string;
  textFormat?: string;
  attachments?: Array<{ contentType: string; content: unknown }>;
  name?: string;
  value?: unknown;
  replyToId?: string;
  action?: string;
  membersAdded?: Account[];
  membersRemoved?: Account[];
  [key: string]: unknown;
}

/** Where an activity happens. Channel and team ids default to current-tenant `@thread.tacv2` ids. */
export interface ActivityScope {
  serviceUrl: string;
  conversationType?: ConversationType;
  /** The channel, chat or 1:1 conversation id; `@thread.skype` ids of older tenants work too. */
  conversationId?: string;
  teamId?: string;
  /** The team's Microsoft 365 group id (its Graph id); derived from the team id by default, as seedTeam does. */
  teamAadGroupId?: string;
  tenantId?: string;
  from?: Account;
  bot?: Account;
}

export const BOT_ACCOUNT: Account = { id: '28:608cacfd-1cea-40c9-b678-4b93e69bb72b', name: 'Jira' };
export const TEAMS_USER: Account = {
  id: '29:1ljv6N86roXr5pjPrCJVIz6xHh5QxjI-HvU0CKHoRjXXQ1D6ioBQfnPL2bLXyEQdbVfJkmSYoz3tJBsqUY9gCeg',
  name: 'Megan Bowen',
  aadObjectId: 'eddfa9d4-346e-4cce-a18f-fa6261ad776b',
};
export const CHANNEL_ID = '19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2';
export const TEAM_ID = '19:8c2d0a5e3f6b4d1e9a7c5b3d1f0e2a4c@thread.tacv2';
/** Tenants created before 2020 still carry `@thread.skype` channel ids. */
export const LEGACY_CHANNEL_ID = '19:6decf54d86d945e4b3924b63a9161a78@thread.skype';
export const GROUP_CHAT_ID = '19:b1e5c7b6f84b4f7c9a2d1a5e3c0d7f21@thread.v2';
export const PERSONAL_CHAT_ID = 'a:1Fu2KoKUcxDrbm-1VMCEqpNJxO9_Jm2BT2Cl9sM8Q2VXmwIvSsk6_wdPSzM7Y5Hy_2EFghlPTWHx9NHr7DnG9RUbmqLsOxtx-cvjdPLKHHoRfeNRcBzM4fHzoqx64Kbvx';

export interface MessageOptions extends ActivityScope {
  text: string;
  /** Mention the bot as Teams does in channels and group chats; defaults to true there, false in 1:1. */
  mention?: boolean;
  replyToId?: string;
  overrides?: Partial<TeamsActivity>;
}

/** A user's message; in a channel or group chat, with the `<at>Bot</at>` text and mention entity Teams adds. */
export function messageActivity(options: MessageOptions): TeamsActivity {
  const base = baseActivity('message', options);
  const type = base.conversation.conversationType;
  const bot = base.recipient;
  const mention = options.mention ?? type !== 'personal';
  const mentionText = `<at>${bot.name}</at>`;
  const text = mention ? `${mentionText} ${options.text}` : options.text;
  const entities = [...(base.entities ?? [])];
  if (mention) entities.unshift({ type: 'mention', text: mentionText, mentioned: { id: bot.id, name: bot.name } });
  // A new channel post opens a thread whose id is the post's own id.
  const conversationId = type === 'channel' && !base.conversation.id.includes(';') ? `${base.conversation.id};messageid=${options.replyToId ?? base.id}` : base.conversation.id;
  return {
    ...base,
    conversation: { ...base.conversation, id: conversationId },
    text,
    textFormat: 'plain',
    attachments: [{ contentType: 'text/html', content: `<p>${mention ? mentionHtml(bot.name ?? '') + '&nbsp;' : ''}${escapeHtml(options.text)}</p>` }],
    entities,
    ...(options.replyToId ? { replyToId: options.replyToId } : {}),
    ...options.overrides,
  };
}

export interface EventOptions extends ActivityScope {
  overrides?: Partial<TeamsActivity>;
}

/** The bot was added to a team (channel scope) or a personal chat, per conversationUpdate.bot-added-to-*.json. */
export function conversationUpdateBotAdded(options: EventOptions): TeamsActivity {
  const base = baseActivity('conversationUpdate', options);
  const channelData = base.conversation.conversationType === 'channel' ? { ...base.channelData, eventType: 'teamMemberAdded' } : base.channelData;
  return { ...base, membersAdded: [{ id: base.recipient.id }], channelData, ...options.overrides };
}

/** The bot was removed from a team or chat, per conversationUpdate.teamMemberRemoved.docs.json. */
export function conversationUpdateBotRemoved(options: EventOptions): TeamsActivity {
  const base = baseActivity('conversationUpdate', options);
  const channelData = base.conversation.conversationType === 'channel' ? { ...base.channelData, eventType: 'teamMemberRemoved' } : base.channelData;
  return { ...base, membersRemoved: [{ id: base.recipient.id }], channelData, ...options.overrides };
}

/** The app was installed, per installationUpdate.add.team-channel.json. */
export function installationUpdateAdd(options: EventOptions): TeamsActivity {
  const base = baseActivity('installationUpdate', options);
  return { ...base, action: 'add', channelData: { ...base.channelData, source: { name: 'message' } }, ...options.overrides };
}

/** The app was uninstalled; Teams sends the same envelope as for `add`. */
export function installationUpdateRemove(options: EventOptions): TeamsActivity {
  return { ...installationUpdateAdd(options), action: 'remove', ...options.overrides };
}

export type InvokeName =
  | 'composeExtension/queryLink'
  | 'composeExtension/anonymousQueryLink'
  | 'composeExtension/query'
  | 'composeExtension/fetchTask'
  | 'composeExtension/submitAction'
  | 'adaptiveCard/action'
  | 'task/fetch'
  | 'task/submit';

export interface InvokeOptions extends ActivityScope {
  /** For adaptiveCard/action, the id of the message that carries the card. */
  replyToId?: string;
  overrides?: Partial<TeamsActivity>;
}

/** An invoke; message extensions carry `source: compose`, card actions the card's message as replyToId. */
export function invokeActivity(name: InvokeName, value: unknown, options: InvokeOptions): TeamsActivity {
  const base = baseActivity('invoke', options);
  const fromCompose = name.startsWith('composeExtension/');
  return {
    ...base,
    name,
    value,
    channelData: fromCompose ? { ...base.channelData, source: { name: 'compose' } } : base.channelData,
    ...(options.replyToId ? { replyToId: options.replyToId } : {}),
    ...options.overrides,
  };
}

/** The value of composeExtension/fetchTask for "more actions" on a message, per the channel-reply sample. */
export function messageActionValue(options: { commandId: string; html: string; messageId?: string; conversationId?: string; from?: Account }) {
  const messageId = options.messageId ?? String(Date.now());
  const channel = (options.conversationId ?? CHANNEL_ID).split(';')[0];
  const from = options.from ?? TEAMS_USER;
  return {
    commandId: options.commandId,
    commandContext: 'message',
    requestId: randomUUID().replaceAll('-', ''),
    messagePayload: {
      linkToMessage: `https://teams.microsoft.com/l/message/${channel}/${messageId}`,
      id: messageId,
      replyToId: null,
      createdDateTime: new Date(Number(messageId) || Date.now()).toISOString(),
      lastModifiedDateTime: null,
      deleted: false,
      summary: null,
      importance: 'normal',
      locale: 'en-us',
      body: { contentType: 'html', content: options.html },
      from: { device: null, conversation: null, user: { userIdentityType: 'aadUser', id: from.aadObjectId, displayName: from.name }, application: null },
      reactions: [],
      mentions: [],
      attachments: [],
    },
    context: { theme: 'default' },
  };
}

/** The value of composeExtension/query: a search command's text, paged as Teams pages it. */
export function searchQueryValue(options: { commandId: string; query: string; parameterName?: string; skip?: number; count?: number }) {
  return {
    commandId: options.commandId,
    parameters: [{ name: options.parameterName ?? 'searchQuery', value: options.query }],
    queryOptions: { skip: options.skip ?? 0, count: options.count ?? 25 },
  };
}

/** The value of adaptiveCard/action for an Action.Execute, per the Universal Actions request format. */
export function cardActionValue(options: { verb: string; data?: Record<string, unknown>; id?: string; trigger?: 'manual' | 'automatic' }) {
  return {
    action: { type: 'Action.Execute', id: options.id ?? options.verb, verb: options.verb, data: options.data ?? {} },
    trigger: options.trigger ?? 'manual',
  };
}

function baseActivity(type: string, scope: ActivityScope): TeamsActivity {
  const conversationType = scope.conversationType ?? 'personal';
  const tenantId = scope.tenantId ?? DEFAULT_TENANT_ID;
  const conversationId = scope.conversationId ?? defaultConversationId(conversationType);
  const now = new Date();
  const channelData: Record<string, any> = { tenant: { id: tenantId } };
  if (conversationType === 'channel') {
    const channelId = conversationId.split(';')[0];
    const teamId = scope.teamId ?? TEAM_ID;
    Object.assign(channelData, {
      teamsChannelId: channelId,
      teamsTeamId: teamId,
      channel: { id: channelId },
      // Teams names the team's group id here: the id Microsoft Graph knows the team by.
      team: { id: teamId, aadGroupId: scope.teamAadGroupId ?? teamAadGroupId(teamId) },
      settings: { selectedChannel: { id: channelId } },
    });
  }
  return {
    type,
    id: type === 'message' ? String(now.getTime()) : `f:${randomUUID()}`,
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString(),
    channelId: 'msteams',
    serviceUrl: scope.serviceUrl,
    from: scope.from ?? TEAMS_USER,
    recipient: scope.bot ?? BOT_ACCOUNT,
    conversation: {
      id: conversationId,
      conversationType,
      tenantId,
      ...(conversationType === 'personal' ? {} : { isGroup: true }),
    },
    channelData,
    locale: 'en-US',
    entities: [{ type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/Berlin' }],
  };
}

function defaultConversationId(type: ConversationType): string {
  switch (type) {
    case 'channel':
      return CHANNEL_ID;
    case 'groupChat':
      return GROUP_CHAT_ID;
    case 'personal':
      return PERSONAL_CHAT_ID;
    default:
      throw new Error(`Unknown conversation type ${type as string}`);
  }
}

function mentionHtml(name: string): string {
  return `<span itemscope="" itemtype="http://schema.skype.com/Mention" itemid="0">${escapeHtml(name)}</span>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}
