import type { Request } from 'restify';
import type { MemberDirectory } from './member-directory';
import type { MessageStore } from './message-store';
import type { CallKind, RecordedCall } from './recorded-call';

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ConnectorRoute {
  method: 'get' | 'post' | 'put' | 'del';
  path: string;
  kind: CallKind;
  answer(req: Request, call: RecordedCall): Answer;
}

export interface RouteDeps {
  directory: MemberDirectory;
  messages: MessageStore;
  serviceUrl(): string;
  defaultPageSize: number;
}

/** The Bot Connector v3 and Teams operations botbuilder's ConnectorClient and TeamsInfo call, in their wire shapes. */
export function connectorRoutes({ directory, messages, serviceUrl, defaultPageSize }: RouteDeps): ConnectorRoute[] {
  const send = (req: Request, call: RecordedCall): Answer => {
    const id = messages.nextId();
    messages.put(id, req.body, call.conversationId!, call.activityId);
    return { status: 201, body: { id } };
  };

  return [
    {
      method: 'post',
      path: '/v3/conversations',
      kind: 'createConversation',
      answer(req) {
        const params = req.body ?? {};
        const id = conversationIdFor(params);
        for (const member of params.members ?? []) directory.seedMembers(id, [member]);
        const body: Record<string, unknown> = { id, serviceUrl: serviceUrl() };
        if (params.activity) {
          body.activityId = messages.nextId();
          messages.put(body.activityId as string, params.activity, id);
        }
        return { status: 201, body };
      },
    },
    { method: 'post', path: '/v3/conversations/:conversationId/activities', kind: 'sendToConversation', answer: send },
    { method: 'post', path: '/v3/conversations/:conversationId/activities/:activityId', kind: 'replyToActivity', answer: send },
    {
      method: 'put',
      path: '/v3/conversations/:conversationId/activities/:activityId',
      kind: 'updateActivity',
      answer(req, call) {
        const current = messages.get(call.activityId!);
        if (!current) return notFound('ActivityNotFound', `Unknown activity ${call.activityId}`);
        messages.put(call.activityId!, req.body, call.conversationId!, current.replyToId);
        return { status: 200, body: { id: call.activityId } };
      },
    },
    {
      method: 'del',
      path: '/v3/conversations/:conversationId/activities/:activityId',
      kind: 'deleteActivity',
      answer(_req, call) {
        if (!messages.delete(call.activityId!)) return notFound('ActivityNotFound', `Unknown activity ${call.activityId}`);
        return { status: 200 };
      },
    },
    {
      method: 'get',
      path: '/v3/conversations/:conversationId/members',
      kind: 'getConversationMembers',
      answer: (_req, call) => ({ status: 200, body: directory.list(call.conversationId!) }),
    },
    {
      method: 'get',
      path: '/v3/conversations/:conversationId/members/:memberId',
      kind: 'getConversationMember',
      answer(req, call) {
        const member = directory.find(call.conversationId!, req.params.memberId);
        return member ? { status: 200, body: member } : notFound('MemberNotFoundInConversation', 'The user is not part of the conversation.');
      },
    },
    {
      method: 'get',
      path: '/v3/conversations/:conversationId/pagedmembers',
      kind: 'getConversationPagedMembers',
      answer(_req, call) {
        const all = directory.list(call.conversationId!);
        const size = Number(call.query.pageSize) || defaultPageSize;
        const start = Number(call.query.continuationToken) || 0;
        const members = all.slice(start, start + size);
        const more = start + size < all.length;
        return { status: 200, body: more ? { members, continuationToken: String(start + size) } : { members } };
      },
    },
    {
      method: 'get',
      path: '/v3/teams/:teamId/conversations',
      kind: 'getTeamChannels',
      answer(req) {
        const team = directory.team(req.params.teamId);
        if (!team) return notFound('TeamNotFound', `Unknown team ${req.params.teamId}`);
        // The General channel shares the team's id and, like in Teams, carries no name.
        return { status: 200, body: { conversations: team.channels ?? [{ id: team.id }] } };
      },
    },
    {
      method: 'get',
      path: '/v3/teams/:teamId',
      kind: 'getTeamDetails',
      answer(req) {
        const team = directory.team(req.params.teamId);
        if (!team) return notFound('TeamNotFound', `Unknown team ${req.params.teamId}`);
        return {
          status: 200,
          body: {
            id: team.id,
            name: team.name,
            aadGroupId: team.aadGroupId,
            type: team.type ?? 'standard',
            channelCount: (team.channels ?? [{ id: team.id }]).length,
            memberCount: team.members?.length ?? directory.list(team.id).length,
          },
        };
      },
    },
  ];
}

/** Teams keeps one 1:1 conversation per user, so creating it again yields the same id. */
function conversationIdFor(params: { isGroup?: boolean; members?: Array<{ id: string }>; tenantId?: string; channelData?: any }): string {
  const tenant = params.tenantId ?? params.channelData?.tenant?.id ?? '';
  const members = (params.members ?? []).map((m) => m.id).sort();
  if (!params.isGroup && members.length === 1) return `a:1${Buffer.from(`${tenant}|${members[0]}`).toString('base64url')}`;
  return `19:${Buffer.from(`${tenant}|${members.join(',')}|${Date.now()}`)
    .toString('hex')
    .slice(0, 32)}@thread.v2`;
}

export function notFound(code: string, message: string): Answer {
  return { status: 404, body: errorBody(code, message) };
}

/** The Bot Connector's ErrorResponse shape. */
export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}
