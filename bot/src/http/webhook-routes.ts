import type { Request, Response, Server } from 'restify';
import type { WebhookOutcome } from '../alerts/alert-intake';
import { verifyHubSignature } from './verify-hub-signature';
import { verifyWebhookJwt } from './verify-webhook-jwt';
import type { Logger } from '../log/create-logger';
import { readRawBody } from './read-raw-body';
import { exceedsJsonDepth } from './exceeds-json-depth';
import { payloadFromSite } from './payload-from-site';

export const WEBHOOK_BASE_PATH = '/api/jira/webhooks';
/** Admin-registered webhooks (API-token setups) point here: `${PUBLIC_URL}/api/jira/webhooks/admin/<siteId>`. */
export const ADMIN_WEBHOOK_PATH = `${WEBHOOK_BASE_PATH}/admin/:siteId`;
/** Dynamic webhooks registered through an OAuth 2.0 connection: `${PUBLIC_URL}/api/jira/webhooks/dynamic/<siteId>`. */
export const DYNAMIC_WEBHOOK_PATH = `${WEBHOOK_BASE_PATH}/dynamic/:siteId`;

/**
 * Jira's own webhook bodies nest a few levels (ADF in comments a few dozen at most); far deeper
 * is hostile, refused before anything walks it.
 */
export const MAX_WEBHOOK_JSON_DEPTH = 128;

export interface WebhookSite {
  /** The site's base URL, `https://acme.atlassian.net`. */
  url: string;
  /**
   * Secrets an admin webhook of this site may be signed with: the site's own (generated, shown
   * to its Jira admins) and, for JIRA_BASE_URL's site only, the older JIRA_WEBHOOK_SECRET.
   * Empty refuses admin webhooks.
   */
  adminSecrets: readonly string[];
  /** The site's cloud ids (from OAuth connections to it): a dynamic webhook's `iss` may name one. */
  cloudIds?: readonly string[];
  /** Other bases its `self` links may use, e.g. `https://api.atlassian.com/ex/jira/<cloudId>`. */
  aliases?: readonly string[];
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
 * or token is 401 with no detail; a body about another site than the route's is 403; a body
 * nested too deeply is 400 (Jira does not retry a 4xx). The answer comes once the event is
 * stored, so Jira retries whatever we could not keep; processing happens after.
 */
export function webhookRoutes(deps: WebhookRoutesDeps): (server: Server) => void {
  const now = deps.now ?? Date.now;

  const handle = (authenticate: (req: Request, site: WebhookSite, raw: Buffer) => boolean | Promise<boolean>) => async (req: Request, res: Response) => {
    const siteId = String((req.params as Record<string, unknown> | undefined)?.siteId ?? '');
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
    if (exceedsJsonDepth(raw, MAX_WEBHOOK_JSON_DEPTH)) {
      deps.logger.warn({ siteId, webhookId, code: 'WEBHOOK_TOO_DEEP' }, 'webhook refused: nested too deeply');
      res.send(400, { error: 'The body is nested too deeply.' });
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      res.send(400, { error: 'The body is not JSON.' });
      return;
    }
    if (!payloadFromSite(payload, [site.url, ...(site.aliases ?? [])])) {
      // Signed, but about another site: a webhook of site A replayed on site B's route.
      deps.logger.warn({ siteId, webhookId, code: 'WEBHOOK_OTHER_SITE' }, 'webhook refused: payload is from another site');
      res.send(403, { error: 'The body is not from this site.' });
      return;
    }
    const outcome = await deps.intake.receiveWebhook(site.url, payload);
    deps.logger.debug({ siteId, webhookId, outcome }, 'webhook received');
    res.send(outcome === 'ignored' ? 204 : 202);
  };

  return (server) => {
    server.post(
      ADMIN_WEBHOOK_PATH,
      handle((req, site, raw) => {
        const signature = req.header('x-hub-signature');
        return site.adminSecrets.some((secret) => verifyHubSignature(secret, raw, signature));
      }),
    );
    server.post(
      DYNAMIC_WEBHOOK_PATH,
      handle(async (req, site) => {
        const client = deps.oauthClient;
        if (!client) return false;
        const expected = { audience: client.clientId, issuers: [site.url, ...(site.cloudIds ?? [])], nowMs: now() };
        return (await verifyWebhookJwt(req.header('authorization'), client.clientSecret, expected)) !== undefined;
      }),
    );
  };
}
