// Before restify loads: see allow-restify-on-node24.ts.
import '../../../bot/src/http/allow-restify-on-node24';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import restify, { type Next, type Request, type Response, type Server } from 'restify';
import { connectorRoutes, errorBody, type Answer, type ConnectorRoute } from './connector-routes';
import { FaultPlan, type Fault } from './fault-plan';
import { GRAPH_PATH, graphError, graphRoutes, isGraphCall } from './graph-routes';
import { MemberDirectory, baseConversationId, type ChatSeed, type TeamSeed } from './member-directory';
import { MessageStore } from './message-store';
import { RATED_KINDS, SEND_KINDS, type CallKind, type RecordedCall } from './recorded-call';
import { TEAMS_SEND_LIMITS, sendRate, wouldExceed, type SendLimit, type SendRate } from './send-rate';
import type { TeamsMember } from './teams-member';
import type { BotTokenCheck } from './verify-bot-token';

export interface BotConnectorOptions {
  port?: number;
  host?: string;
  /** Answer 401 to calls without a Bearer token (any token is accepted; none is verified). */
  requireAuth?: boolean;
  /** Keep the Authorization header's value in recorded calls; otherwise it is recorded as `Bearer <redacted>`. */
  recordAuthorization?: boolean;
  /** Verify each connector call's bearer token (see createBotTokenCheck); a refused call is answered 401. */
  checkToken?: BotTokenCheck;
  /** Answer 429 (no Retry-After, as Teams does) to a send that would break Teams' per-conversation ceilings. */
  enforceTeamsLimits?: boolean | readonly SendLimit[];
  members?: Record<string, TeamsMember[]>;
  teams?: TeamSeed[];
  /** Group and meeting chats Graph knows (their members answer Bot Connector lookups too). */
  chats?: ChatSeed[];
  /** Page size of `pagedmembers` when the caller asks for none. */
  defaultPageSize?: number;
  /** Page size of Graph member lists when the caller gives no `$top` (Graph's own default is 100). */
  graphPageSize?: number;
}

export interface WaitOptions {
  conversationId?: string;
  timeoutMs?: number;
}

export interface FaultOptions {
  /** Seconds for a Retry-After header; omit to send none. */
  retryAfter?: number;
  /** Fail only calls about this conversation (a channel id also covers its threads). */
  conversationId?: string;
}

export interface BotConnector {
  /** Use as the activities' `serviceUrl`; ends with `/` like Teams' own. */
  url: string;
  /** Microsoft Graph v1.0 as this emulation plays it (`<url>graph/v1.0`), for the bot's GRAPH_BASE_URL. */
  graphUrl: string;
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
  /** Calls `listener` after each recorded call (answered, failed or unknown); returns the unsubscribe. */
  onCall(listener: (call: RecordedCall) => void): () => void;
  /** The next `count` calls (of the conversation, if given) answer `status`. */
  failNext(count: number, status: number, options?: FaultOptions): void;
  /** Every call (of the conversation, if given) answers `status` for `ms`; several windows may overlap. */
  failFor(ms: number, status: number, options?: FaultOptions): void;
  /** Like failNext, for the Graph routes only (`conversationId` is the team's group id or the chat id). */
  failGraphNext(count: number, status: number, options?: FaultOptions): void;
  /** Like failFor, for the Graph routes only. */
  failGraphFor(ms: number, status: number, options?: FaultOptions): void;
  /** Calls to the Graph routes, answered or failed. */
  graphCalls(): RecordedCall[];
  /** Accepted sends (messages, replies, updates) to one conversation and their sliding-window peaks. */
  sendRate(conversationId: string, limits?: readonly SendLimit[]): SendRate;
  seedMembers(conversationId: string, members: readonly TeamsMember[]): void;
  seedTeam(team: TeamSeed): void;
  seedChat(chat: ChatSeed): void;
  /** Forgets calls, messages and faults; seeded members and teams stay. */
  clear(): void;
  close(): Promise<void>;
}

const DEFAULT_WAIT_MS = 5_000;

/** Starts an emulated Bot Connector (Teams flavour) that records what a bot sends and answers in the real shapes. */
export async function startBotConnector(options: BotConnectorOptions = {}): Promise<BotConnector> {
  const host = options.host ?? '127.0.0.1';
  const server = restify.createServer({
    name: 'bot-connector-emu',
    handleUncaughtExceptions: false,
    // Passed through to find-my-way, whose default of 100 would 404 real 1:1 ids (`a:1...`, 130+ characters).
    maxParamLength: 2048,
  });
  const calls: RecordedCall[] = [];
  const messages = new MessageStore();
  const faults = new FaultPlan();
  const graphFaults = new FaultPlan();
  const directory = new MemberDirectory();
  const events = new EventEmitter();
  const limits = options.enforceTeamsLimits === true ? TEAMS_SEND_LIMITS : options.enforceTeamsLimits || undefined;
  let url = '';

  for (const [conversationId, members] of Object.entries(options.members ?? {})) directory.seedMembers(conversationId, members);
  for (const team of options.teams ?? []) directory.seedTeam(team);
  for (const chat of options.chats ?? []) directory.seedChat(chat);

  const acceptedSends = (conversationId: string) => calls.filter((c) => isAccepted(c) && RATED_KINDS.includes(c.kind) && c.conversationId === conversationId);

  const handle = (route: ConnectorRoute) => (req: Request, res: Response, next: Next) => {
    const call = recordStart(req, route.kind, options.recordAuthorization ?? false);
    const respond = () => {
      const answer = (isGraphCall(call) ? graphGate(req, call) : gate(req, call)) ?? route.answer(req, call);
      finish(res, call, answer);
      next();
    };
    if (!options.checkToken || isGraphCall(call)) return respond();
    // The token is checked before anything else, as the Bot Connector does; a refused call changes nothing.
    options.checkToken(req.headers.authorization).then(
      (refusal) => {
        if (refusal === undefined) return respond();
        call.refusal = refusal;
        finish(res, call, { status: 401, body: errorBody('Unauthorized', 'Authorization has been denied for this request.') });
        next();
      },
      (error: unknown) => next(error as Error),
    );
  };

  // Graph's own auth and fault answers, in its error shape; its faults are planned apart from the connector's.
  const graphGate = (req: Request, call: RecordedCall): Answer | undefined => {
    if (options.requireAuth && !/^Bearer \S+/i.test(req.headers.authorization ?? '')) {
      return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    }
    const fault = graphFaults.take(call.conversationId);
    if (!fault) return undefined;
    const headers = fault.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(fault.retryAfterSeconds) };
    return fault.status === 429
      ? graphError(429, 'TooManyRequests', 'Too many requests. Retry after the period in the Retry-After header.', headers)
      : graphError(fault.status, fault.status === 503 ? 'serviceNotAvailable' : 'generalException', `Injected ${fault.status}`, headers);
  };

  // Faults and auth come before any state change, so a failed send leaves no message behind.
  const gate = (req: Request, call: RecordedCall): Answer | undefined => {
    const authorization = req.headers.authorization ?? '';
    if (options.requireAuth && !/^Bearer \S+/i.test(authorization)) {
      return { status: 401, body: errorBody('Unauthorized', 'Authorization has been denied for this request.') };
    }
    const fault = faults.take(call.conversationId);
    if (fault) {
      const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      return { status: fault.status, headers, body: errorBody(fault.status === 429 ? 'TooManyRequests' : 'ServiceError', `Injected ${fault.status}`) };
    }
    if (
      limits &&
      RATED_KINDS.includes(call.kind) &&
      wouldExceed(
        acceptedSends(call.conversationId!).map((c) => c.time),
        call.time,
        limits,
      )
    ) {
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
  const routes = connectorRoutes({ directory, messages, serviceUrl: () => url, defaultPageSize: options.defaultPageSize ?? 200 });
  for (const route of routes) server[route.method](route.path, handle(route));
  for (const route of graphRoutes({ directory, graphUrl: () => `${url}${GRAPH_PATH.slice(1)}`, pageSize: options.graphPageSize ?? 100 })) {
    server[route.method](route.path, handle(route));
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
    conversationId === undefined || c.conversationId === conversationId || (!conversationId.includes(';') && baseConversationId(c.conversationId ?? '') === conversationId);
  const ofKinds = (kinds: readonly CallKind[], conversationId?: string) => calls.filter((c) => isAccepted(c) && kinds.includes(c.kind)).filter(inConversation(conversationId));

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
    graphUrl: `${url}${GRAPH_PATH.slice(1)}`,
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
    onCall(listener) {
      events.on('call', listener);
      return () => events.off('call', listener);
    },
    failNext: (count, status, faultOptions = {}) => faults.failNext(count, toFault(status, faultOptions)),
    failFor: (ms, status, faultOptions = {}) => faults.failFor(ms, toFault(status, faultOptions)),
    failGraphNext: (count, status, faultOptions = {}) => graphFaults.failNext(count, toFault(status, faultOptions)),
    failGraphFor: (ms, status, faultOptions = {}) => graphFaults.failFor(ms, toFault(status, faultOptions)),
    graphCalls: () => calls.filter(isGraphCall),
    sendRate: (conversationId, rateLimits) =>
      sendRate(
        acceptedSends(conversationId).map((c) => c.time),
        rateLimits,
      ),
    seedMembers: (conversationId, members) => directory.seedMembers(conversationId, members),
    seedTeam: (team) => directory.seedTeam(team),
    seedChat: (chat) => directory.seedChat(chat),
    clear() {
      calls.length = 0;
      messages.clear();
      faults.clear();
      graphFaults.clear();
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

function toFault(status: number, options: FaultOptions): Fault {
  return { status, retryAfterSeconds: options.retryAfter, conversationId: options.conversationId };
}

function isAccepted(call: RecordedCall): boolean {
  return call.status >= 200 && call.status < 300;
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
      resolve(server.address());
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
