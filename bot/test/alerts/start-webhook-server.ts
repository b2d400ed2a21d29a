import type { Server } from 'restify';
import { createHttpServer } from '../../src/http/create-http-server';
import { webhookRoutes, type WebhookRoutesDeps } from '../../src/http/webhook-routes';

/** The service's real HTTP layer with only the webhook routes mounted, on 127.0.0.1 and a free port. */
export async function startWebhookServer(deps: WebhookRoutesDeps): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createHttpServer({
    logger: deps.logger,
    processActivity: async (_req, res) => {
      res.send(404);
    },
    readiness: async () => ({ ready: true, checks: {} }),
    routes: [webhookRoutes(deps)],
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
