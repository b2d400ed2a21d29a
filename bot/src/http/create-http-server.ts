// Before restify loads: see allow-restify-on-node24.ts.
import './allow-restify-on-node24';
import restify, { type Server } from 'restify';
import type { Logger } from '../log/create-logger';
import type { ReadinessCheck } from './readiness';
import { mountAppPages } from './app-pages';
import { readActivity } from './read-activity';
import { WEBHOOK_BASE_PATH } from './webhook-routes';

export const ACTIVITIES_PATH = '/api/messages';
/** The tab API, sign-in forms and pages take small JSON or form bodies. */
export const MAX_OTHER_BODY_BYTES = 64 * 1024;

export interface HttpDeps {
  logger: Logger;
  /**
   * Hands a Bot Framework activity to the adapter; the adapter authenticates and answers.
   * `req.body` is the checked activity.
   */
  processActivity(req: restify.Request, res: restify.Response): Promise<void>;
  /**
   * Checks the Authorization header of an activity before its body is read: false turns it away
   * with 401 unread. Absent in local mode (no BOT_ID), where there is nothing to check.
   */
  authenticateActivity?(authorization: string | undefined): Promise<boolean>;
  readiness: ReadinessCheck;
  /** Further route modules (OAuth callback, webhooks, tab API) mount themselves here. */
  routes?: ReadonlyArray<(server: Server) => void>;
}

/** Thin HTTP layer: parse, hand over, answer. No Teams or Jira logic lives here. */
export function createHttpServer(deps: HttpDeps): Server {
  const server = restify.createServer({ name: 'jira-teams', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // Jira webhook routes read their own body: the signature is over its bytes, and skipping the
  // parser's copies and string round trip is a good share of what each webhook costs. Activities
  // are read only once their token holds (below).
  const ownBody = (path: string) => path.startsWith(`${WEBHOOK_BASE_PATH}/`) || path === ACTIVITIES_PATH;
  for (const parse of restify.plugins.bodyParser({ mapParams: false, maxBodySize: MAX_OTHER_BODY_BYTES })) {
    server.use((req, res, next) => {
      if (ownBody(req.path())) next();
      else parse(req, res, next);
    });
  }

  server.post(ACTIVITIES_PATH, async (req, res) => {
    try {
      // Authenticate first: an unauthenticated sender gets no parsing and no memory for its body.
      if (deps.authenticateActivity && !(await deps.authenticateActivity(req.header('authorization')))) {
        req.resume();
        res.header('connection', 'close');
        res.send(401, { error: 'The request carried no valid Bot Framework token.' });
        return;
      }
      const read = await readActivity(req);
      if ('error' in read) {
        deps.logger.debug({ status: read.status, problem: read.error }, 'activity refused');
        res.send(read.status, { error: read.error });
        return;
      }
      req.body = read.activity;
      await deps.processActivity(req, res);
    } catch (error) {
      deps.logger.error({ err: error, path: req.path() }, 'activity processing failed');
      if (!res.headersSent) res.send(500, { error: 'The bot could not process this activity.' });
    }
  });

  // Tunnels, the Agents Playground and uptime probes ask with HEAD whether the endpoint is there;
  // without a route restify answers 405 and logs a rejected request for each probe.
  server.head(ACTIVITIES_PATH, async (_req, res) => {
    res.status(200);
    res.end();
  });

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'alive' });
  });

  server.get('/readyz', async (_req, res) => {
    const result = await deps.readiness();
    res.send(result.ready ? 200 : 503, result);
  });

  mountAppPages(server);
  for (const mount of deps.routes ?? []) mount(server);

  server.on('restifyError', (req: restify.Request, res: restify.Response, error: Error & { statusCode?: number }, next: () => void) => {
    deps.logger.warn({ path: req.path(), method: req.method, status: error.statusCode, err: error }, 'request rejected');
    next();
  });
  return server;
}
