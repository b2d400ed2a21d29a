import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { Logger } from '../log/create-logger';
import type { Meetings } from '../meetings/create-meetings';
import { mountEstimationRoutes } from './estimation-routes';
import { eventFrame, openEventStream, startEventStream } from '../meetings/open-event-stream';
import { TabError } from '../meetings/tab-error';
import type { TabUser } from '../meetings/verify-tab-token';

export const TAB_API_PATH = '/api/tab';

export interface TabRoutesDeps {
  meetings: Pick<Meetings, 'service' | 'hub' | 'verify' | 'estimation'>;
  logger: Logger;
  heartbeatMs?: number;
  /** See openEventStream's idleMs. */
  streamIdleMs?: number;
}

const ISSUE_KEY = /^[A-Za-z][A-Za-z0-9_]*-[1-9]\d{0,9}$/;
const issueKey = z
  .string()
  .trim()
  .regex(ISSUE_KEY, 'expected an issue key like PHX-12')
  .transform((k) => k.toUpperCase());
const jqlText = z.string({ message: 'expected a JQL query' }).trim().min(1, 'expected a JQL query').max(4000, 'expected at most 4000 characters');
const jiraId = z.coerce.number({ message: 'expected a Jira id' }).int('expected a Jira id').positive('expected a Jira id').max(Number.MAX_SAFE_INTEGER);
const projectKey = z
  .string({ message: 'expected a project key' })
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,49}$/, 'expected a project key like PHX');
// A backlog is a typed query or a picked project, board, sprint or saved filter (docs/tab-api.md).
const backlogSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('project'), projectKey }),
  z.object({ kind: z.literal('board'), boardId: jiraId }),
  z.object({ kind: z.literal('sprint'), sprintId: jiraId }),
  z.object({ kind: z.literal('filter'), filterId: jiraId.transform(String) }),
]);
const backlogBody = z
  .object({
    name: z.string({ message: 'expected a name' }).trim().min(1, 'expected a name').max(200, 'expected at most 200 characters'),
    jql: jqlText.optional(),
    source: backlogSource.optional(),
  })
  .refine((b) => (b.jql === undefined) !== (b.source === undefined), { message: 'expected exactly one of jql and source' })
  .transform((b) => (b.source ? { name: b.name, source: b.source } : { name: b.name, jql: b.jql! }));
// Teams conversation ids: `19:...@thread.v2` (chats, meetings), `19:...@thread.tacv2` / `.skype` (teams).
const conversationBody = z.object({
  conversationId: z
    .string()
    .trim()
    .min(1)
    .max(512)
    .regex(/^[^\s/?#]+$/, 'expected a Teams conversation id')
    .optional(),
});
const newBacklogBody = z.intersection(backlogBody, conversationBody);
const editBody = z
  .object({
    priorityId: z.string().trim().min(1).max(64).optional(),
    estimate: z.number({ message: 'expected a number or null' }).finite().min(0, 'expected 0 or more').max(1_000_000).nullable().optional(),
    assigneeAccountId: z.string().trim().min(1).max(128).nullable().optional(),
  })
  .strict()
  .refine((b) => b.priorityId !== undefined || b.estimate !== undefined || b.assigneeAccountId !== undefined, {
    message: 'expected at least one of priorityId, estimate, assigneeAccountId',
  });
const transitionBody = z.object({ transitionId: z.string({ message: 'expected a transition id' }).trim().min(1).max(64) });
const rankBody = z
  .object({
    keys: z.array(issueKey, { message: 'expected a list of issue keys' }).min(1, 'expected at least one key').max(50, 'expected at most 50 keys'),
    before: issueKey.optional(),
    after: issueKey.optional(),
  })
  .refine((b) => (b.before === undefined) !== (b.after === undefined), { message: 'expected exactly one of before and after' })
  .refine((b) => !b.keys.includes((b.before ?? b.after)!), { message: 'an issue cannot be ranked relative to itself' });
const createBody = z.object({
  projectKey,
  issueTypeId: z.string({ message: 'expected an issue type id' }).trim().min(1).max(64),
  summary: z.string({ message: 'expected a summary' }).trim().min(1, 'expected a summary').max(255, 'expected at most 255 characters'),
});
const pageQuery = z.object({
  pageSize: z.coerce.number().int('expected 1 to 100').min(1, 'expected 1 to 100').max(100, 'expected 1 to 100').default(100),
  pageToken: z.string().max(4096).optional(),
});
const assignableQuery = z.object({ issueKey, query: z.string().trim().max(100).optional() });
const pickerQuery = z.object({ query: z.string().trim().max(100).optional() });
const boardQuery = pickerQuery.extend({ projectKey: projectKey.optional() });
const sprintMoveBody = z.object({
  keys: z.array(issueKey, { message: 'expected a list of issue keys' }).min(1, 'expected at least one key').max(50, 'expected at most 50 keys'),
  sprintId: jiraId.nullable(),
});

function parse<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  throw new TabError('badRequest', `The request was not understood (${where}${issue.message}). Reload the tab and try again.`);
}

const INTERNAL = { code: 'internal', message: 'Something went wrong in the Jira app. Try again; if it keeps happening, tell the admin who runs it.' };

const param = (req: Request, name: string) => String((req.params as Record<string, unknown> | undefined)?.[name] ?? '');
const key = (req: Request) => parse(issueKey, param(req, 'key'));

/**
 * The grooming tab's API (docs/tab-api.md): authenticate the Teams SSO token, parse, hand over
 * to the backlog service, answer. Errors leave as `{ error: { code, message } }`; logs carry the
 * route, the backlog id and the code, never the token, names or the JQL.
 */
export function tabRoutes(deps: TabRoutesDeps): (server: Server) => void {
  const { meetings, logger } = deps;
  const { service } = meetings;

  const authenticate = async (req: Request): Promise<TabUser> => {
    if (!meetings.verify) {
      throw new TabError('tabSignInNotConfigured', 'Teams sign-in is not set up for this app yet. Ask the admin who runs it to set TAB_SSO_AUDIENCE (see the README).');
    }
    return meetings.verify(req.header('authorization'));
  };

  const fail = (req: Request, res: Response, error: unknown) => {
    const route = req.getRoute()?.path;
    const backlogId = param(req, 'id') || undefined;
    if (error instanceof TabError) {
      logger.debug({ route, backlogId, code: error.code, status: error.status }, 'tab request refused');
      if (error.retryAfterSeconds) res.header('retry-after', String(error.retryAfterSeconds));
      res.header('cache-control', 'no-store');
      res.send(error.status, { error: { code: error.code, message: error.message } });
      return;
    }
    logger.error({ route, backlogId, err: error }, 'tab request failed');
    res.send(500, { error: INTERNAL });
  };

  const handle = (work: (req: Request, user: TabUser) => Promise<{ status?: number; body: unknown }>) => async (req: Request, res: Response) => {
    try {
      const user = await authenticate(req);
      const { status = 200, body } = await work(req, user);
      res.header('cache-control', 'no-store');
      res.send(status, body);
    } catch (error) {
      fail(req, res, error);
    }
  };

  return (server) => {
    const base = `${TAB_API_PATH}/backlogs`;
    server.post(
      base,
      handle(async (req, user) => ({ status: 201, body: { backlog: await service.createBacklog(user, parse(newBacklogBody, req.body)) } })),
    );
    server.get(
      `${base}/:id`,
      handle(async (req, user) => ({ body: { backlog: await service.getBacklog(user, param(req, 'id')) } })),
    );
    server.put(
      `${base}/:id`,
      handle(async (req, user) => ({ body: { backlog: await service.updateBacklog(user, param(req, 'id'), parse(backlogBody, req.body)) } })),
    );
    server.get(
      `${base}/:id/issues`,
      handle(async (req, user) => ({ body: await service.listIssues(user, param(req, 'id'), parse(pageQuery, req.query)) })),
    );
    // The backlog and every page of it in one response, each page sent as Jira returns it
    // (docs/tab-api.md): the panel loads them all anyway, and one request per page would add the
    // tab's round trip and a token check to each.
    server.get(`${base}/:id/pages`, async (req: Request, res: Response) => {
      const backlogId = param(req, 'id');
      let pageSize: number;
      let pages: Awaited<ReturnType<typeof service.openPages>>;
      let page: Awaited<ReturnType<typeof pages.page>>;
      try {
        const user = await authenticate(req);
        ({ pageSize } = parse(pageQuery, req.query));
        pages = await service.openPages(user, backlogId);
        // The first page before the answer starts: a refusal is still a plain error response.
        page = await pages.page({ pageSize });
      } catch (error) {
        fail(req, res, error);
        return;
      }
      let gone = false;
      res.once('close', () => (gone = true));
      startEventStream(req, res);
      const send = (event: string, body: unknown) => res.write(eventFrame(event, body));
      send('page', { backlog: pages.backlog, ...page });
      try {
        while (page.nextPageToken && !gone) {
          page = await pages.page({ pageSize, pageToken: page.nextPageToken });
          send('page', page);
        }
      } catch (error) {
        const known = error instanceof TabError;
        if (!known) logger.error({ route: req.getRoute()?.path, backlogId, err: error }, 'tab request failed');
        send('error', { error: known ? { code: error.code, message: error.message } : INTERNAL });
      }
      res.end();
    });
    server.get(
      `${base}/:id/issues/:key`,
      handle(async (req, user) => ({ body: { issue: await service.getIssue(user, param(req, 'id'), key(req)) } })),
    );
    server.get(
      `${base}/:id/options`,
      handle(async (req, user) => ({ body: await service.options(user, param(req, 'id')) })),
    );
    server.get(
      `${base}/:id/issues/:key/transitions`,
      handle(async (req, user) => ({ body: { transitions: await service.transitions(user, param(req, 'id'), key(req)) } })),
    );
    server.get(
      `${base}/:id/assignable`,
      handle(async (req, user) => ({ body: { users: await service.assignable(user, param(req, 'id'), parse(assignableQuery, req.query)) } })),
    );
    server.patch(
      `${base}/:id/issues/:key`,
      handle(async (req, user) => ({ body: { issue: await service.editIssue(user, param(req, 'id'), key(req), parse(editBody, req.body)) } })),
    );
    server.post(
      `${base}/:id/issues/:key/transitions`,
      handle(async (req, user) => ({
        body: { issue: await service.transitionIssue(user, param(req, 'id'), key(req), parse(transitionBody, req.body).transitionId) },
      })),
    );
    server.post(
      `${base}/:id/rank`,
      handle(async (req, user) => ({ body: { issues: await service.rankIssues(user, param(req, 'id'), parse(rankBody, req.body)) } })),
    );
    server.post(
      `${base}/:id/issues`,
      handle(async (req, user) => ({ status: 201, body: { issue: await service.createIssue(user, param(req, 'id'), parse(createBody, req.body)) } })),
    );
    server.get(
      `${base}/:id/sprints`,
      handle(async (req, user) => ({ body: await service.sprints(user, param(req, 'id')) })),
    );
    server.post(
      `${base}/:id/sprint-moves`,
      handle(async (req, user) => ({ body: { issues: await service.moveToSprint(user, param(req, 'id'), parse(sprintMoveBody, req.body)) } })),
    );

    // The configuration page's pickers: no backlog yet, only the caller's own connection.
    const pickers = `${TAB_API_PATH}/pickers`;
    server.get(
      `${pickers}/projects`,
      handle(async (req, user) => ({ body: { projects: await service.pickProjects(user, parse(pickerQuery, req.query).query) } })),
    );
    server.get(
      `${pickers}/boards`,
      handle(async (req, user) => ({ body: { boards: await service.pickBoards(user, parse(boardQuery, req.query)) } })),
    );
    server.get(
      `${pickers}/boards/:boardId/sprints`,
      handle(async (req, user) => ({ body: { sprints: await service.pickSprints(user, parse(jiraId, param(req, 'boardId'))) } })),
    );
    server.get(
      `${pickers}/filters`,
      handle(async (req, user) => ({ body: { filters: await service.pickFilters(user, parse(pickerQuery, req.query).query) } })),
    );

    mountEstimationRoutes(server, base, { estimation: meetings.estimation, handle, parse });

    server.get(`${base}/:id/events`, async (req: Request, res: Response) => {
      const backlogId = param(req, 'id');
      let panel;
      try {
        const user = await authenticate(req);
        // The same checks as every other call: tenant, connection, site.
        panel = { user, siteUrl: (await service.getBacklog(user, backlogId)).siteUrl };
        meetings.hub.admit(backlogId, user);
      } catch (error) {
        fail(req, res, error);
        return;
      }
      let unsubscribe = () => {};
      const stream = openEventStream(req, res, {
        heartbeatMs: deps.heartbeatMs,
        idleMs: deps.streamIdleMs,
        onClose: () => {
          unsubscribe();
          logger.debug({ backlogId, open: meetings.hub.listenerCount(backlogId) }, 'tab event stream closed');
        },
      });
      unsubscribe = meetings.hub.subscribe(backlogId, stream, panel);
      logger.debug({ backlogId, open: meetings.hub.listenerCount(backlogId) }, 'tab event stream opened');
    });

    // Restify answers a body it cannot parse, an unknown path or method itself; under the tab API
    // those answers keep the contract's error shape too. Restify runs each listener of an error
    // event with a callback it expects once, so these events must keep a single listener.
    const contractShape = (code: 'badRequest' | 'notFound', message: string) => (req: Request, _res: Response, err: Error, next: () => void) => {
      if (req.path().startsWith(`${TAB_API_PATH}/`)) Object.assign(err, { toJSON: () => ({ error: { code, message } }) });
      next();
    };
    server.on('InvalidContent', contractShape('badRequest', 'The request body is not valid JSON. Reload the tab and try again.'));
    server.on('UnsupportedMediaType', contractShape('badRequest', 'Send the request body as JSON (content-type: application/json).'));
    server.on('NotFound', contractShape('notFound', 'There is no such tab API route. Reload the tab: it may be older than the service.'));
    server.on('MethodNotAllowed', contractShape('badRequest', 'This tab API route does not take that method. Reload the tab: it may be older than the service.'));
  };
}
