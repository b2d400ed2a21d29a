// Before restify loads: see allow-restify-on-node24.ts.
import './allow-restify-on-node24';
import restify, { type Server } from 'restify';
import type { Logger } from '../log/create-logger';
import type { ReadinessCheck } from './readiness';
import { mountAppPages } from './app-pages';
import { MAX_BODY_BYTES } from './read-raw-body';
import { WEBHOOK_BASE_PATH } from './webhook-routes';

export interface HttpDeps {
  logger: Logger;
  /** Hands a Bot Framework activity to the adapter; the adapter authenticates and answers. */
  processActivity(req: restify.Request, res: restify.Response): Promise<void>;
  readiness: ReadinessCheck;
  /** Further route modules (OAuth callback, webhooks, tab API) mount themselves here. */
  routes?: ReadonlyArray<(server: Server) => void>;
}

/** Thin HTTP layer: parse, hand over, answer. No Teams or Jira logic lives here. */
export function createHttpServer(deps: HttpDeps): Server {
  const server = restify.createServer({ name: 'jira-teams', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // Teams messages with pasted content can be large; 4 MB is well above any activity Teams sends.
  // Jira webhook routes read their own body: the signature is over its bytes, and skipping the
  // parser's copies and string round trip is a good share of what each webhook costs.
  for (const parse of restify.plugins.bodyParser({ mapParams: false, maxBodySize: MAX_BODY_BYTES })) {
    server.use((req, res, next) => (req.path().startsWith(`${WEBHOOK_BASE_PATH}/`) ? next() : parse(req, res, next)));
  }

  server.post('/api/messages', async (req, res) => {
    try {
      await deps.processActivity(req, res);
    } catch (error) {
      deps.logger.error({ err: error, path: req.path() }, 'activity processing failed');
      if (!res.headersSent) res.send(500, { error: 'The bot could not process this activity.' });
    }
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
