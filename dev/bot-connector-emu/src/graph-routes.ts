import { randomUUID } from 'node:crypto';
import type { Request } from 'restify';
import type { Answer, ConnectorRoute } from './connector-routes';
import type { ChatSeed, MemberDirectory } from './member-directory';
import type { RecordedCall } from './recorded-call';
import { DEFAULT_TENANT_ID, type TeamsMember } from './teams-member';

/** Where the Graph routes live on the emulation's own origin. */
export const GRAPH_PATH = '/graph/v1.0';

export interface GraphRouteDeps {
  directory: MemberDirectory;
  /** `<emulation>/graph/v1.0`, for `@odata.context` and `@odata.nextLink`. */
  graphUrl(): string;
  pageSize: number;
}

const MEMBER_TYPE = '#microsoft.graph.aadUserConversationMember';
// Graph's own documented form; the parentheses are optional there too.
const USER_ID_FILTER = /^\s*\(?\s*microsoft\.graph\.aadUserConversationMember\/userId\s+eq\s+'([^']*)'\s*\)?\s*$/i;

/**
 * The Microsoft Graph calls a Teams app makes about the conversations it is installed in
 * (`GET /teams/{group-id}/members`, `GET /chats/{chat-id}/members`, `GET /chats/{chat-id}`), in
 * Graph's wire shapes: `@odata.context`, `value`, paging by `@odata.nextLink`, the
 * `aadUserConversationMember/userId` filter, and Graph's error body. A team or chat seeded with
 * `consented: false` answers 403 as Graph does for an app without resource-specific consent.
 */
export function graphRoutes({ directory, graphUrl, pageSize }: GraphRouteDeps): ConnectorRoute[] {
  return [
    {
      method: 'get',
      path: `${GRAPH_PATH}/teams/:conversationId/members`,
      kind: 'graphListTeamMembers',
      answer(req, call) {
        const groupId = call.conversationId!;
        const team = directory.teamByGroupId(groupId);
        if (!team) return graphError(404, 'NotFound', `No team found with Group Id ${groupId}`);
        if (team.consented === false) return missingPermission('TeamMember.Read.Group, TeamMember.Read.All, TeamMember.ReadWrite.All');
        const owners = new Set(team.owners ?? []);
        const all = directory.list(team.id).map((m) => memberJson(m, groupId, m.userRole === 'guest' ? ['guest'] : owners.has(m.aadObjectId) || owners.has(m.id) ? ['owner'] : []));
        const filter = stringQuery(req, '$filter');
        let selected = all;
        if (filter !== undefined) {
          const match = USER_ID_FILTER.exec(filter);
          if (!match) return graphError(400, 'BadRequest', `Invalid filter clause: ${filter}`);
          selected = all.filter((m) => m.userId.toLowerCase() === match[1].toLowerCase());
        }
        return page(req, selected, `teams('${groupId}')/members`, `/teams/${encodeURIComponent(groupId)}/members`, Math.min(999, pageSize));
      },
    },
    {
      method: 'get',
      path: `${GRAPH_PATH}/chats/:conversationId/members`,
      kind: 'graphListChatMembers',
      answer(req, call) {
        const chat = directory.chat(call.conversationId!);
        if (!chat) return graphError(404, 'NotFound', 'Chat not found.');
        if (chat.consented === false) return missingPermission('ChatMember.Read.Chat, Chat.Manage.Chat, ChatMember.Read.All, Chat.ReadBasic.All');
        // Graph lists every member of a group chat as `owner` (external members too); only guests differ.
        const members = chat.members.map((m) => memberJson(m, chat.id, m.userRole === 'guest' ? ['guest'] : ['owner']));
        const context = `chats('${encodeURIComponent(chat.id)}')/members`;
        return page(req, members, context, `/chats/${encodeURIComponent(chat.id)}/members`, pageSize);
      },
    },
    {
      method: 'get',
      path: `${GRAPH_PATH}/chats/:conversationId`,
      kind: 'graphGetChat',
      answer(_req, call) {
        const chat = directory.chat(call.conversationId!);
        if (!chat) return graphError(404, 'NotFound', 'Chat not found.');
        if (chat.consented === false) return missingPermission('ChatSettings.Read.Chat, Chat.Manage.Chat, Chat.ReadBasic.All');
        return { status: 200, body: { '@odata.context': `${graphUrl()}/$metadata#chats/$entity`, ...chatJson(chat) } };
      },
    },
  ];

  function page<T>(req: Request, items: T[], context: string, path: string, defaultSize: number): Answer {
    const top = Number(stringQuery(req, '$top')) || defaultSize;
    const skip = Number(stringQuery(req, '$skiptoken')) || 0;
    const value = items.slice(skip, skip + top);
    const body: Record<string, unknown> = { '@odata.context': `${graphUrl()}/$metadata#${context}`, '@odata.count': items.length, value };
    if (skip + top < items.length) {
      const next = new URLSearchParams();
      for (const name of ['$filter', '$top'] as const) {
        const given = stringQuery(req, name);
        if (given !== undefined) next.set(name, given);
      }
      next.set('$skiptoken', String(skip + top));
      body['@odata.nextLink'] = `${graphUrl()}${path}?${next.toString()}`;
    }
    return { status: 200, body };
  }
}

function memberJson(member: TeamsMember, containerId: string, roles: string[]) {
  return {
    '@odata.type': MEMBER_TYPE,
    // Opaque to clients, as Graph says; shaped like Graph's base64 membership ids.
    id: Buffer.from(`${containerId}##${member.aadObjectId}`).toString('base64'),
    roles,
    displayName: member.name,
    visibleHistoryStartDateTime: '0001-01-01T00:00:00Z',
    userId: member.aadObjectId,
    email: member.email ?? null,
    tenantId: member.tenantId ?? DEFAULT_TENANT_ID,
  };
}

function chatJson(chat: ChatSeed) {
  const created = chat.createdDateTime ?? '2026-01-05T09:00:00.000Z';
  const tenantId = chat.tenantId ?? DEFAULT_TENANT_ID;
  return {
    id: chat.id,
    topic: chat.topic ?? null,
    createdDateTime: created,
    lastUpdatedDateTime: created,
    chatType: chat.chatType ?? 'group',
    webUrl: `https://teams.microsoft.com/l/chat/${encodeURIComponent(chat.id)}/0?tenantId=${tenantId}`,
    tenantId,
    onlineMeetingInfo:
      chat.chatType === 'meeting'
        ? {
            calendarEventId: null,
            joinWebUrl: `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(chat.id)}/0`,
            organizer: chat.organizer
              ? { '@odata.type': '#microsoft.graph.teamworkUserIdentity', id: chat.organizer, displayName: null, userIdentityType: 'aadUser', tenantId }
              : null,
          }
        : null,
    viewpoint: null,
  };
}

function stringQuery(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

function missingPermission(permissions: string): Answer {
  return graphError(403, 'Forbidden', `Missing role permissions on the request. API requires one of '${permissions}'. Roles on the request ''.`);
}

/** Graph's error body: `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`. */
export function graphError(status: number, code: string, message: string, headers?: Record<string, string>): Answer {
  const requestId = randomUUID();
  return {
    status,
    ...(headers ? { headers } : {}),
    body: { error: { code, message, innerError: { date: new Date().toISOString().replace(/\.\d{3}Z$/, ''), 'request-id': requestId, 'client-request-id': requestId } } },
  };
}

export const isGraphCall = (call: RecordedCall) => call.kind.startsWith('graph');
