import type { Request, Response, Server } from 'restify';
import type { WebhookOutcome } from '../alerts/alert-intake';
import { verifyHubSignature } from './verify-hub-signature';
import { verifyWebhookJwt } from './verify-webhook-jwt';
import type { Logger } from '../log/create-logger';
import { readRawBody } from './read-raw-body';

export const WEBHOOK_BASE_PATH = '/api/jira/webhooks';
/** Admin-registered webhooks (API-token setups) point here: `${PUBLIC_URL}/api/jira/webhooks/admin/<siteId>`. */
export const ADMIN_WEBHOOK_PATH = `${WEBHOOK_BASE_PATH}/admin/:siteId`;
/** Dynamic webhooks registered through an OAuth 2.0 connection: `${PUBLIC_URL}/api/jira/webhooks/dynamic/<siteId>`. */
export const DYNAMIC_WEBHOOK_PATH = `${WEBHOOK_BASE_PATH}/dynamic/:siteId`;

export interface WebhookSite {
  /** The site's base URL, `https://acme.atlassian.net`. */
  url: string;
  /** The secret the admin saved with the webhook in Jira; none means admin webhooks are refused. */
  adminSecret?: string;
}

export interface WebhookRoutesDeps {
  /** Our id for a site (the path segment) -> the site; undefined for unknown ids. */
  site(siteId: string): Promise<WebhookSite | undefined>;
  /** The OAuth 2.0 app whose client secret signs dynamic webhooks; none refuses them. */
  oauthClient?: { clientId: string; clientSecret: string };
  intake: { receiveWebhook(siteUrl: string, payload: unknown): Promise<WebhookOutcome> };
  logger: Logger;
  now?: () => number;
}

/**
 * Jira webhook callbacks: authenticate, hand over, answer. Anything without a valid signature
 * or token is 401 with no detail. The answer comes once the event is stored, so Jira retries
 * whatever we could not keep; processing happens after.
 */
export function webhookRoutes(deps: WebhookRoutesDeps): (server: Server) => void {
  const now = deps.now ?? Date.now;

  const handle = (authenticate: (req: Request, site: WebhookSite, raw: Buffer) => boolean | Promise<boolean>) => async (req: Request, res: Response) => {
    const siteId = String(req.params?.siteId ?? '');
    const webhookId = req.header('x-atlassian-webhook-identifier') || undefined;
    // The routes read their own body (createHttpServer leaves it): the signature is over these bytes.
    const raw = await readRawBody(req);
    if (raw === 'too large') {
      res.send(413, { error: 'The body is too large.' });
      return;
    }
    if (raw === 'unsupported') {
      res.send(415, { error: 'Compressed bodies are not accepted.' });
      return;
    }
    const site = await deps.site(siteId);
    if (!site || raw.length === 0 || !(await authenticate(req, site, raw))) {
      deps.logger.warn({ siteId, webhookId, path: req.path() }, 'webhook refused: not authenticated');
      res.send(401, { error: 'unauthorized' });
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      res.send(400, { error: 'The body is not JSON.' });
      return;
    }
    const outcome = await deps.intake.receiveWebhook(site.url, payload);
    deps.logger.debug({ siteId, webhookId, outcome }, 'webhook received');
    res.send(outcome === 'ignored' ? 204 : 202);
  };

  return (server) => {
    server.post(
      ADMIN_WEBHOOK_PATH,
      handle((req, site, raw) => Boolean(site.adminSecret) && verifyHubSignature(site.adminSecret ?? '', raw, req.header('x-hub-signature'))),
    );
    server.post(
      DYNAMIC_WEBHOOK_PATH,
      handle(async (req) => {
        const client = deps.oauthClient;
        if (!client) return false;
        return (await verifyWebhookJwt(req.header('authorization'), client.clientSecret, { audience: client.clientId, nowMs: now() })) !== undefined;
      }),
    );
  };
}
