import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  BOT_ACCOUNT,
  conversationUpdateBotAdded,
  installationUpdateAdd,
  invokeActivity,
  messageActivity,
  postActivity,
  startBotConnector,
  type ActivityScope,
  type BotConnector,
  type InvokeName,
  type TeamsActivity,
} from '../../bot-connector-emu/src';
import { bundlePage } from './bundle-page';
import { ConversationLog, type LogEntry } from './conversation-log';
import { demoPeople, type TeamsPerson } from './demo-people';
import { LOCAL_GROUP_CHAT_ID, LOCAL_MEETING_CHAT_ID, LOCAL_TEAM_ID, LOCAL_TEAM_NAME, localConversations, type LocalConversation } from './local-conversations';
import { readAppManifest, type AppManifestView } from './read-app-manifest';
import { renderClientPage } from './render-client-page';

export interface TeamsClientOptions {
  /** The bot's base URL; activities go to `<botUrl>/api/messages`. */
  botUrl: string;
  port?: number;
  host?: string;
  /** appPackage/manifest.json by default. */
  manifestPath?: string;
  /** Link domains Teams would unfurl besides the manifest's (locally: the simulator's host, which stands in for `*.atlassian.net`). */
  extraLinkDomains?: string[];
  /** A Bot Connector emulation to use (tests share theirs); one is started otherwise, on this port (0: any). */
  connector?: BotConnector;
  connectorPort?: number;
  /** dev/teams-host-emu's URL: the meeting chat then offers the grooming tab's side panel there, and URL dialogs are framed by it. */
  teamsHostUrl?: string;
  /** The tab's configuration page the side panel opens with; `<botUrl>/tab/?view=config` by default. */
  tabConfigUrl?: string;
}

export interface TeamsClient {
  url: string;
  connector: BotConnector;
  people: TeamsPerson[];
  conversations: LocalConversation[];
  manifest: AppManifestView;
  log: ConversationLog;
  /** The page as one person (`handle`, e.g. `alice`), optionally in one conversation and theme. */
  pageUrl(handle: string, options?: { conversationId?: string; theme?: 'light' | 'dark' | 'contrast' }): string;
  close(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../../..');

/**
 * A local Teams client: a web page and the Teams side of the wire. People send messages and invokes
 * through it to the bot's /api/messages with a serviceUrl pointing at the Bot Connector emulation;
 * what the bot sends there is shown live (server-sent events) in every open window.
 */
export async function startTeamsClient(options: TeamsClientOptions): Promise<TeamsClient> {
  const people = demoPeople();
  const conversations = localConversations(people);
  const manifest = readAppManifest(options.manifestPath ?? path.join(ROOT, 'appPackage', 'manifest.json'));
  const linkDomains = [...manifest.linkDomains, ...(options.extraLinkDomains ?? [])];
  const owned = !options.connector;
  const connector = options.connector ?? (await startBotConnector({ host: '127.0.0.1', port: options.connectorPort ?? 0 }));
  seedRosters(connector, people);
  const log = new ConversationLog();
  const unsubscribe = connector.onCall((call) => log.applyBotCall(call));
  const script = await bundlePage();
  const botMessagesUrl = `${options.botUrl.replace(/\/$/, '')}/api/messages`;
  const installed = new Set<string>();
  let lastId = 0;
  const nextId = () => String((lastId = Math.max(Date.now(), lastId + 1)));

  const personOf = (handle: unknown): TeamsPerson => {
    const person = people.find((p) => p.handle === handle);
    if (!person) throw new ClientError(400, `unknown person ${String(handle)}`);
    return person;
  };
  const conversationOf = (id: unknown): LocalConversation => {
    const conversation = conversations.find((c) => c.id === id);
    if (!conversation) throw new ClientError(404, `unknown conversation ${String(id)}`);
    return conversation;
  };
  const scopeOf = (person: TeamsPerson, conversation: LocalConversation, threadId?: string): ActivityScope => ({
    serviceUrl: connector.url,
    conversationType: conversation.type,
    conversationId: threadId ? `${conversation.id};messageid=${threadId}` : conversation.id,
    ...(conversation.teamId ? { teamId: conversation.teamId } : {}),
    tenantId: person.tenantId,
    from: { id: person.id, name: person.name, aadObjectId: person.aadObjectId },
    bot: BOT_ACCOUNT,
  });
  // A meeting chat's activities carry the meeting, as Teams sends them.
  const toBot = (activity: TeamsActivity) => {
    const meetingId = conversations.find((c) => c.id === activity.conversation.id.split(';')[0])?.meetingId;
    if (meetingId) activity.channelData = { ...activity.channelData, meeting: { id: meetingId } };
    return postActivity(botMessagesUrl, activity);
  };

  // Teams tells the bot about the install the first time each person opens a conversation with it.
  const open = async (person: TeamsPerson, conversation: LocalConversation) => {
    if (installed.has(conversation.id)) return;
    installed.add(conversation.id);
    const scope = scopeOf(person, conversation);
    const event = conversation.type === 'personal' ? installationUpdateAdd(scope) : conversationUpdateBotAdded(scope);
    const answer = await toBot(event).catch(() => undefined);
    if (!answer || answer.status >= 300) installed.delete(conversation.id);
  };

  const send = async (body: any) => {
    const person = personOf(body.as);
    const conversation = conversationOf(body.conversationId);
    const text = String(body.text ?? '');
    const attachments = Array.isArray(body.attachments) ? body.attachments : undefined;
    // The page's Teams HTML of the message and whom it @mentions (people and the bot), in order.
    const html = typeof body.html === 'string' && body.html ? body.html : undefined;
    const mentions: Array<{ id: string; name: string; aadObjectId?: string }> = Array.isArray(body.mentions)
      ? body.mentions
          .filter((m: any) => typeof m?.id === 'string' && typeof m?.name === 'string')
          .map((m: any) => ({ id: m.id, name: m.name, ...(m.aadObjectId ? { aadObjectId: String(m.aadObjectId) } : {}) }))
      : [];
    const botTag = `<at>${BOT_ACCOUNT.name}</at>`;
    // In a channel or group chat the bot hears only messages that @mention it, as in Teams.
    const mention = conversation.type !== 'personal' && (mentions.some((m) => m.id === BOT_ACCOUNT.id) || /^@Jira\b/i.test(text));
    const plain = mention
      ? text
          .replace(botTag, '')
          .replace(/^@Jira\s*/i, '')
          .trim()
      : text;
    const id = nextId();
    const threadId = conversation.type === 'channel' ? (body.threadId ? String(body.threadId) : id) : undefined;
    const entry: LogEntry = {
      id,
      conversationId: conversation.id,
      ...(body.threadId ? { threadId: String(body.threadId) } : {}),
      from: { id: person.id, name: person.name },
      fromBot: false,
      time: Date.now(),
      text,
      ...(html ? { html } : {}),
      ...(mentions.length ? { mentions } : {}),
      ...(attachments ? { attachments } : {}),
    };
    // A card's Action.Submit reaches the bot as a message with the inputs as its value, shown to no one.
    const submit = body.submit === true;
    if (!submit) log.add(entry);
    if (conversation.type !== 'personal' && !mention && !submit) return { status: 0, id };
    const activity = messageActivity({
      ...scopeOf(person, conversation, threadId),
      text: plain,
      mention,
      ...(body.threadId ? { replyToId: String(body.threadId) } : {}),
      overrides: { id, ...(attachments ? { attachments } : {}), ...(body.value ? { value: body.value } : {}) },
    });
    if (html) {
      // Teams sends the formatted message as a text/html attachment and each person mentioned as an entity.
      activity.attachments = [{ contentType: 'text/html', content: html }, ...(attachments ?? [])];
      const people = mentions.filter((m) => m.id !== BOT_ACCOUNT.id);
      activity.entities = [...(activity.entities ?? []), ...people.map((m) => ({ type: 'mention', text: `<at>${m.name}</at>`, mentioned: { id: m.id, name: m.name } }))];
    }
    const answer = await toBot(activity);
    return { status: answer.status, id };
  };

  /**
   * A person edits or deletes their own message: every window shows it, and the bot hears it as
   * Teams tells bots (messageUpdate / messageDelete) where it heard the message itself.
   */
  const change = async (body: any, kind: 'edit' | 'delete') => {
    const person = personOf(body.as);
    const conversation = conversationOf(body.conversationId);
    const entry = log.find(String(body.id));
    if (!entry || entry.conversationId !== conversation.id) throw new ClientError(404, 'unknown message');
    if (entry.fromBot || entry.from.id !== person.id) throw new ClientError(403, 'only its author may change a message');
    const heardByBot = conversation.type === 'personal' || (entry.mentions ?? []).some((m) => m.id === BOT_ACCOUNT.id) || /^@Jira\b/i.test(entry.text ?? '');
    if (kind === 'edit') {
      const html = typeof body.html === 'string' ? body.html : undefined;
      log.edit(entry.id, { text: String(body.text ?? ''), ...(html ? { html } : {}) });
    } else {
      log.remove(entry.id);
    }
    if (!heardByBot) return { status: 0 };
    const threadId = conversation.type === 'channel' ? (entry.threadId ?? entry.id) : undefined;
    const base = messageActivity({ ...scopeOf(person, conversation, threadId), text: kind === 'edit' ? String(body.text ?? '') : '', mention: false });
    const activity: TeamsActivity = {
      ...base,
      type: kind === 'edit' ? 'messageUpdate' : 'messageDelete',
      id: entry.id,
      ...(kind === 'delete' ? { text: undefined, attachments: undefined } : {}),
      channelData: { ...base.channelData, eventType: kind === 'edit' ? 'editMessage' : 'softDeleteMessage' },
    };
    const answer = await toBot(activity);
    return { status: answer.status };
  };

  const invoke = async (body: any) => {
    const person = personOf(body.as);
    const conversation = conversationOf(body.conversationId);
    const name = String(body.name) as InvokeName;
    const activity = invokeActivity(name, body.value, {
      ...scopeOf(person, conversation, body.threadId ? String(body.threadId) : undefined),
      ...(body.replyToId ? { replyToId: String(body.replyToId) } : {}),
    });
    if (body.source) activity.channelData = { ...activity.channelData, source: { name: String(body.source) } };
    return toBot(activity);
  };

  /**
   * The meeting ends (its organizer chose End meeting): Teams tells the bot in the meeting chat with the
   * meetingEnd event (name application/vnd.microsoft.meetingEnd, the meeting's details as its value).
   */
  const endMeeting = async (body: any) => {
    const person = personOf(body.as);
    const conversation = conversationOf(body.conversationId);
    if (!conversation.meetingId) throw new ClientError(400, 'this conversation is not a meeting chat');
    const base = messageActivity({ ...scopeOf(person, conversation), text: '', mention: false });
    const activity: TeamsActivity = {
      ...base,
      type: 'event',
      name: 'application/vnd.microsoft.meetingEnd',
      text: undefined,
      textFormat: undefined,
      attachments: undefined,
      entities: undefined,
      value: { Id: conversation.meetingId, MeetingType: 'Scheduled', Title: conversation.title, EndTime: new Date().toISOString() },
    };
    const answer = await toBot(activity);
    return { status: answer.status };
  };

  const server = http.createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      const status = error instanceof ClientError ? error.status : 502;
      json(res, status, { error: error instanceof Error ? error.message : String(error) });
    });
  });

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(renderClientPage());
      return;
    }
    if (req.method === 'GET' && url.pathname === '/client.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(script);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/setup') {
      json(res, 200, {
        people: people.map(({ handle, id, name, aadObjectId, tenantId, email }) => ({ handle, id, name, aadObjectId, tenantId, email })),
        conversations,
        team: { id: LOCAL_TEAM_ID, name: LOCAL_TEAM_NAME },
        groupChatId: LOCAL_GROUP_CHAT_ID,
        bot: BOT_ACCOUNT,
        manifest: { ...manifest, linkDomains },
        ...(options.teamsHostUrl ? { dialogHostUrl: options.teamsHostUrl } : {}),
        ...(options.teamsHostUrl ? { sidePanel: { hostUrl: options.teamsHostUrl, tabUrl: options.tabConfigUrl ?? `${options.botUrl.replace(/\/$/, '')}/tab/?view=config` } } : {}),
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/messages') {
      json(res, 200, log.list(conversationOf(url.searchParams.get('conversationId')).id));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': open\n\n');
      const onChange = (conversationId: string) => res.write(`data: ${JSON.stringify({ conversationId })}\n\n`);
      log.events.on('changed', onChange);
      req.on('close', () => log.events.off('changed', onChange));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/api/open') {
      const body = await readJson(req);
      await open(personOf(body.as), conversationOf(body.conversationId));
      json(res, 200, {});
      return;
    }
    if (req.method === 'POST' && url.pathname === '/api/send') {
      json(res, 200, await send(await readJson(req)));
      return;
    }
    if (req.method === 'POST' && (url.pathname === '/api/edit' || url.pathname === '/api/delete')) {
      json(res, 200, await change(await readJson(req), url.pathname === '/api/edit' ? 'edit' : 'delete'));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/api/meeting/end') {
      json(res, 200, await endMeeting(await readJson(req)));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/api/invoke') {
      json(res, 200, await invoke(await readJson(req)));
      return;
    }
    json(res, 404, { error: 'not found' });
  };

  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(server.address() as AddressInfo));
  });
  const url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;

  return {
    url,
    connector,
    people,
    conversations,
    manifest: { ...manifest, linkDomains },
    log,
    pageUrl(handle, pageOptions = {}) {
      const query = new URLSearchParams({ as: handle });
      if (pageOptions.conversationId) query.set('c', pageOptions.conversationId);
      if (pageOptions.theme) query.set('theme', pageOptions.theme);
      return `${url}/?${query}`;
    },
    async close() {
      unsubscribe();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (owned) await connector.close();
    },
  };
}

/** Everyone is in the team (Alice owns it) and the group chat; each 1:1 chat has its person. */
function seedRosters(connector: BotConnector, people: TeamsPerson[]): void {
  connector.seedTeam({ id: LOCAL_TEAM_ID, name: LOCAL_TEAM_NAME, channels: [{ id: LOCAL_TEAM_ID, name: 'General' }], members: people, owners: [people[0].aadObjectId] });
  connector.seedMembers(LOCAL_TEAM_ID, people);
  connector.seedChat({ id: LOCAL_GROUP_CHAT_ID, chatType: 'group', topic: 'Grooming chat', tenantId: people[0].tenantId, members: people });
  connector.seedChat({
    id: LOCAL_MEETING_CHAT_ID,
    chatType: 'meeting',
    topic: 'Sprint grooming',
    organizer: people[0].aadObjectId,
    tenantId: people[0].tenantId,
    members: people,
  });
  for (const conversation of localConversations(people)) {
    const person = people.find((p) => p.handle === conversation.personOf);
    if (person) connector.seedMembers(conversation.id, [person]);
  }
}

class ClientError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new ClientError(400, 'the body is not JSON');
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
