import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import restify, { type Next, type Request, type Response, type Server } from 'restify';
import { FaultPlan } from './fault-plan';
import { MemberDirectory, baseConversationId, type TeamSeed } from './member-directory';
import { SEND_KINDS, type CallKind, type RecordedCall } from './recorded-call';
import { TEAMS_SEND_LIMITS, sendRate, wouldExceed, type SendLimit, type SendRate } from './send-rate';
import type { TeamsMember } from './teams-member';

export interface BotConnectorOptions {
  port?: number;
  host?: string;
  /** Answer 401 to calls without a Bearer token (any token is accepted; none is verified). */
  requireAuth?: boolean;
  /** Keep the Authorization header's value in recorded calls; otherwise it is recorded as `Bearer <redacted>`. */
  recordAuthorization?: boolean;
  /** Answer 429 (no Retry-After, as Teams does) to a send that would break Teams' per-conversation ceilings. */
  enforceTeamsLimits?: boolean | readonly SendLimit[];
  members?: Record<string, TeamsMember[]>;
  teams?: TeamSeed[];
  /** Page size of `pagedmembers` when the caller asks for none. */
  defaultPageSize?: number;
}

export interface WaitOptions {
  conversationId?: string;
  timeoutMs?: number;
}

export interface FaultOptions {
  /** Seconds for a Retry-After header; omit to send none. */
  retryAfter?: number;
}

export interface BotConnector {
  /** Use as the activities' `serviceUrl`; ends with `/` like Teams' own. */
  url: string;
  /** Every call in arrival order, including failed and unknown ones. */
  readonly calls: readonly RecordedCall[];
  /** Messages accepted into a conversation (sends and replies); a channel id also matches its threads. */
  activities(conversationId?: string): RecordedCall[];
  updates(conversationId?: string): RecordedCall[];
  deletes(conversationId?: string): RecordedCall[];
  /** The current body of a sent message after its updates; undefined if unknown or deleted. */
  message(activityId: string): any;
  waitForActivities(count: number, options?: WaitOptions): Promise<RecordedCall[]>;
  waitFor(predicate: (calls: readonly RecordedCall[]) => boolean, options?: { timeoutMs?: number }): Promise<void>;
  failNext(count: number, status: number, options?: FaultOptions): void;
  failFor(ms: number, status: number, options?: FaultOptions): void;
  /** Accepted sends (messages, replies, updates) to one conversation and their sliding-window peaks. */
  sendRate(conversationId: string, limits?: readonly SendLimit[]): SendRate;
  seedMembers(conversationId: string, members: readonly TeamsMember[]): void;
  seedTeam(team: TeamSeed): void;
  /** Forgets calls, messages and faults; seeded members and teams stay. */
  clear(): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Route = (req: Request, call: RecordedCall) => Answer;

const DEFAULT_WAIT_MS = 5_000;

/** Starts an emulated Bot Connector (Teams flavour) that records what a bot sends and answers in the real shapes. */
export async function startBotConnector(options: BotConnectorOptions = {}): Promise<BotConnector> {
  const host = options.host ?? '127.0.0.1';
  const server = restify.createServer({
    name: 'bot-connector-emu',
    handleUncaughtExceptions: false,
    // Passed through to find-my-way, whose default of 100 would 404 real 1:1 ids (`a:1...`, 130+ characters).
    maxParamLength: 2048,
  } as restify.ServerOptions);
  const calls: RecordedCall[] = [];
  const messages = new Map<string, any>();
  const faults = new FaultPlan();
  const directory = new MemberDirectory();
  const events = new EventEmitter();
  const limits = options.enforceTeamsLimits === true ? TEAMS_SEND_LIMITS : options.enforceTeamsLimits || undefined;
  let lastId = 0;
  let url = '';

  for (const [conversationId, members] of Object.entries(options.members ?? {})) directory.seedMembers(conversationId, members);
  for (const team of options.teams ?? []) directory.seedTeam(team);

  // Teams message ids are epoch milliseconds; keep them unique when several land in one millisecond.
  const nextId = () => String((lastId = Math.max(Date.now(), lastId + 1)));
  const acceptedSends = (conversationId: string) =>
    calls.filter((c) => isAccepted(c) && [...SEND_KINDS, 'updateActivity'].includes(c.kind) && c.conversationId === conversationId);

  const storeMessage = (id: string, body: any, conversationId: string, replyToId?: string): void => {
    messages.set(id, { ...body, id, conversation: { ...body?.conversation, id: conversationId }, ...(replyToId ? { replyToId } : {}) });
  };

  const send: Route = (req, call) => {
    const id = nextId();
    storeMessage(id, req.body, call.conversationId!, call.activityId);
    return { status: 201, body: { id } };
  };

  const routes: Array<[method: string, path: string, kind: CallKind, route: Route]> = [
    ['post', '/v3/conversations', 'createConversation', (req) => {
      const params = req.body ?? {};
      const id = conversationIdFor(params);
      for (const member of params.members ?? []) directory.seedMembers(id, [member]);
      const answer: Record<string, unknown> = { id, serviceUrl: url };
      if (params.activity) {
        const activityId = nextId();
        storeMessage(activityId, params.activity, id);
        answer.activityId = activityId;
      }
      return { status: 201, body: answer };
    }],
    ['post', '/v3/conversations/:conversationId/activities', 'sendToConversation', send],
    ['post', '/v3/conversations/:conversationId/activities/:activityId', 'replyToActivity', send],
    ['put', '/v3/conversations/:conversationId/activities/:activityId', 'updateActivity', (req, call) => {
      if (!messages.has(call.activityId!)) return notFound('ActivityNotFound', `Unknown activity ${call.activityId}`);
      storeMessage(call.activityId!, req.body, call.conversationId!, messages.get(call.activityId!).replyToId);
      return { status: 200, body: { id: call.activityId } };
    }],
    ['del', '/v3/conversations/:conversationId/activities/:activityId', 'deleteActivity', (_req, call) => {
      if (!messages.delete(call.activityId!)) return notFound('ActivityNotFound', `Unknown activity ${call.activityId}`);
      return { status: 200 };
    }],
    ['get', '/v3/conversations/:conversationId/members', 'getConversationMembers', (_req, call) => ({
      status: 200,
      body: directory.list(call.conversationId!),
    })],
    ['get', '/v3/conversations/:conversationId/members/:memberId', 'getConversationMember', (req, call) => {
      const member = directory.find(call.conversationId!, req.params.memberId);
      return member
        ? { status: 200, body: member }
        : notFound('MemberNotFoundInConversation', 'The user is not part of the conversation.');
    }],
    ['get', '/v3/conversations/:conversationId/pagedmembers', 'getConversationPagedMembers', (_req, call) => {
      const all = directory.list(call.conversationId!);
      const size = Number(call.query.pageSize) || options.defaultPageSize || 200;
      const start = Number(call.query.continuationToken) || 0;
      const members = all.slice(start, start + size);
      const more = start + size < all.length;
      return { status: 200, body: more ? { members, continuationToken: String(start + size) } : { members } };
    }],
    ['get', '/v3/teams/:teamId/conversations', 'getTeamChannels', (req) => {
      const team = directory.team(req.params.teamId);
      if (!team) return notFound('TeamNotFound', `Unknown team ${req.params.teamId}`);
      // The General channel shares the team's id and, like in Teams, carries no name.
      const channels = team.channels ?? [{ id: team.id }];
      return { status: 200, body: { conversations: channels } };
    }],
    ['get', '/v3/teams/:teamId', 'getTeamDetails', (req) => {
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
    }],
  ];

  const handle = (kind: CallKind, route: Route) => (req: Request, res: Response, next: Next) => {
    const call = recordStart(req, kind, options.recordAuthorization ?? false);
    const answer = gate(req, call) ?? route(req, call);
    finish(res, call, answer);
    next();
  };

  // Faults and auth come before any state change, so a failed send leaves no message behind.
  const gate = (req: Request, call: RecordedCall): Answer | undefined => {
    const authorization = req.headers.authorization ?? '';
    if (options.requireAuth && !/^Bearer \S+/i.test(authorization)) {
      return { status: 401, body: errorBody('Unauthorized', 'Authorization has been denied for this request.') };
    }
    const fault = faults.take();
    if (fault) {
      const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      return { status: fault.status, headers, body: errorBody(fault.status === 429 ? 'TooManyRequests' : 'ServiceError', `Injected ${fault.status}`) };
    }
    const sends = [...SEND_KINDS, 'updateActivity'];
    if (limits && sends.includes(call.kind) && wouldExceed(acceptedSends(call.conversationId!).map((c) => c.time), call.time, limits)) {
      return { status: 429, body: errorBody('TooManyRequests', 'Too many requests for this conversation.') };
    }
    return undefined;
  };

  const finish = (res: Response, call: RecordedCall, answer: Answer) => {
    call.status = answer.status;
    call.response = answer.body;
    calls.push(call);
    events.emit('call', call);
    for (const [name, value] of Object.entries(answer.headers ?? {})) res.header(name, value);
    if (answer.body === undefined) {
      res.status(answer.status);
      res.end();
    } else {
      res.send(answer.status, answer.body);
    }
  };

  server.pre(restify.plugins.pre.dedupeSlashes());
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.jsonBodyParser({ mapParams: false }));
  for (const [method, path, kind, route] of routes) {
    (server as unknown as Record<string, (path: string, handler: unknown) => void>)[method](path, handle(kind, route));
  }
  // Record calls to APIs this emulation lacks, so a test sees what the bot tried.
  const unknownRoute = (status: number, code: string) => (req: Request, res: Response, _err: unknown, callback: () => void) => {
    const call = recordStart(req, 'unknown', options.recordAuthorization ?? false);
    finish(res, call, { status, body: errorBody(code, `The emulation has no ${req.method} ${call.path}`) });
    callback();
  };
  server.on('NotFound', unknownRoute(404, 'NotFound'));
  server.on('MethodNotAllowed', unknownRoute(405, 'MethodNotAllowed'));

  const address = await listen(server, options.port ?? 0, host);
  url = `http://${host}:${address.port}/`;

  const inConversation = (conversationId?: string) => (c: RecordedCall) =>
    conversationId === undefined ||
    c.conversationId === conversationId ||
    (!conversationId.includes(';') && baseConversationId(c.conversationId ?? '') === conversationId);
  const ofKinds = (kinds: readonly CallKind[], conversationId?: string) =>
    calls.filter((c) => isAccepted(c) && kinds.includes(c.kind)).filter(inConversation(conversationId));

  const waitFor: BotConnector['waitFor'] = (predicate, waitOptions = {}) =>
    new Promise((resolve, reject) => {
      if (predicate(calls)) return resolve();
      const onCall = () => {
        if (!predicate(calls)) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Timed out after ${waitOptions.timeoutMs ?? DEFAULT_WAIT_MS} ms; calls so far:\n${describe(calls)}`));
      }, waitOptions.timeoutMs ?? DEFAULT_WAIT_MS);
      const cleanup = () => {
        clearTimeout(timer);
        events.off('call', onCall);
      };
      events.on('call', onCall);
    });

  return {
    url,
    calls,
    activities: (conversationId) => ofKinds(SEND_KINDS, conversationId),
    updates: (conversationId) => ofKinds(['updateActivity'], conversationId),
    deletes: (conversationId) => ofKinds(['deleteActivity'], conversationId),
    message: (activityId) => messages.get(activityId),
    async waitForActivities(count, waitOptions = {}) {
      const found = () => ofKinds(SEND_KINDS, waitOptions.conversationId);
      await waitFor(() => found().length >= count, waitOptions).catch((err: Error) => {
        const where = waitOptions.conversationId ? ` in ${waitOptions.conversationId}` : '';
        throw new Error(`Expected ${count} activities${where}, got ${found().length}. ${err.message}`);
      });
      return found();
    },
    waitFor,
    failNext: (count, status, faultOptions = {}) => faults.failNext(count, { status, retryAfterSeconds: faultOptions.retryAfter }),
    failFor: (ms, status, faultOptions = {}) => faults.failFor(ms, { status, retryAfterSeconds: faultOptions.retryAfter }),
    sendRate: (conversationId, rateLimits) => sendRate(acceptedSends(conversationId).map((c) => c.time), rateLimits),
    seedMembers: (conversationId, members) => directory.seedMembers(conversationId, members),
    seedTeam: (team) => directory.seedTeam(team),
    clear() {
      calls.length = 0;
      messages.clear();
      faults.clear();
    },
    close: () => close(server),
  };
}

function recordStart(req: Request, kind: CallKind, keepAuthorization: boolean): RecordedCall {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  if (headers.authorization && !keepAuthorization) headers.authorization = headers.authorization.replace(/^(\S+)\s.*$/, '$1 <redacted>');
  const params = (req.params ?? {}) as Record<string, string | undefined>;
  return {
    method: req.method ?? 'GET',
    path: (req.url ?? '').split('?')[0],
    query: { ...((req.query ?? {}) as Record<string, string>) },
    conversationId: params.conversationId,
    activityId: params.activityId,
    kind,
    body: req.body,
    headers,
    time: Date.now(),
    status: 0,
    response: undefined,
  };
}

/** Teams keeps one 1:1 conversation per user, so creating it again yields the same id. */
function conversationIdFor(params: { isGroup?: boolean; members?: Array<{ id: string }>; tenantId?: string; channelData?: any }): string {
  const tenant = params.tenantId ?? params.channelData?.tenant?.id ?? '';
  const members = (params.members ?? []).map((m) => m.id).sort();
  if (!params.isGroup && members.length === 1) return `a:1${Buffer.from(`${tenant}|${members[0]}`).toString('base64url')}`;
  return `19:${Buffer.from(`${tenant}|${members.join(',')}|${Date.now()}`).toString('hex').slice(0, 32)}@thread.v2`;
}

function isAccepted(call: RecordedCall): boolean {
  return call.status >= 200 && call.status < 300;
}

function notFound(code: string, message: string): Answer {
  return { status: 404, body: errorBody(code, message) };
}

/** The Bot Connector's ErrorResponse shape. */
function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

function describe(calls: readonly RecordedCall[]): string {
  if (calls.length === 0) return '  (none)';
  return calls.map((c) => `  ${c.status} ${c.method} ${c.path}`).join('\n');
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets from the bot's HTTP agent would hold close() open.
    (server.server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
  });
}
