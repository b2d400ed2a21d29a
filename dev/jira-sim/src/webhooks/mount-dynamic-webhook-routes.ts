import type { Request, Response, Server } from 'restify';
import { authOf } from '../sim-auth';
import type { Delivery } from './webhook-dispatcher';
import type { DynamicWebhook, DynamicWebhookRegistry, WebhookDetails, WebhookOwner } from './dynamic-webhook-registry';
import { isHttpUrl } from './is-http-url';
import { MalformedBodyError, readJsonBody } from './read-json-body';

/** The OAuth 2.0 scopes the platform spec lists for every /rest/api/3/webhook operation. */
const REQUIRED_SCOPES = ['read:jira-work', 'manage:jira-webhook'];

export interface DynamicWebhookRouteDeps {
  registry: DynamicWebhookRegistry;
  failedDeliveries: (clientId: string) => Delivery[];
}

/** Jira's dynamic webhook API for OAuth 2.0 apps (registerDynamicWebhooks and friends in the platform spec). */
export function mountDynamicWebhookRoutes(server: Server, deps: DynamicWebhookRouteDeps): void {
  const { registry } = deps;

  server.post('/rest/api/3/webhook', async (req: Request, res: Response) => {
    const owner = appOwner(req, res);
    if (!owner) return;
    const body = await jsonBody(req, res);
    if (body === undefined) return;
    const { url, webhooks } = body as { url?: unknown; webhooks?: unknown };
    if (typeof url !== 'string' || !isHttpUrl(url)) return sendErrors(res, 400, ['The webhook URL is invalid or missing']);
    if (!Array.isArray(webhooks) || webhooks.length === 0) return sendErrors(res, 400, ['At least one webhook is required']);
    const results = registry.register(
      owner,
      url,
      webhooks.map((details) => (isObject(details) ? details : {}) as WebhookDetails),
    );
    res.send(200, { webhookRegistrationResult: results });
  });

  server.get('/rest/api/3/webhook', async (req: Request, res: Response) => {
    const owner = appOwner(req, res);
    if (!owner) return;
    const query = new URL(req.url ?? '/', 'http://sim.invalid').searchParams;
    const startAt = nonNegativeInt(query.get('startAt'), 0);
    const maxResults = Math.min(nonNegativeInt(query.get('maxResults'), 100), 100) || 100;
    const all = registry.list(owner);
    const values = all.slice(startAt, startAt + maxResults).map(representation);
    const isLast = startAt + values.length >= all.length;
    const page: Record<string, unknown> = { isLast, maxResults, startAt, total: all.length, values };
    if (!isLast) page.nextPage = `${originOf(req)}/rest/api/3/webhook?startAt=${startAt + values.length}&maxResults=${maxResults}`;
    res.send(200, page);
  });

  server.del('/rest/api/3/webhook', async (req: Request, res: Response) => {
    const owner = appOwner(req, res);
    if (!owner) return;
    const ids = await webhookIds(req, res);
    if (!ids) return;
    registry.remove(owner, ids);
    res.send(202);
  });

  server.put('/rest/api/3/webhook/refresh', async (req: Request, res: Response) => {
    const owner = appOwner(req, res);
    if (!owner) return;
    const ids = await webhookIds(req, res);
    if (!ids) return;
    res.send(200, { expirationDate: registry.refresh(owner, ids) });
  });

  server.get('/rest/api/3/webhook/failed', async (req: Request, res: Response) => {
    const owner = appOwner(req, res);
    if (!owner) return;
    const query = new URL(req.url ?? '/', 'http://sim.invalid').searchParams;
    const maxResults = nonNegativeInt(query.get('maxResults'), 100) || 100;
    const after = nonNegativeInt(query.get('after') ?? query.get('failedAfter'), -1);
    const values = deps
      .failedDeliveries(owner.clientId)
      .filter((delivery) => (delivery.settledAt ?? 0) > after)
      .sort((a, b) => (a.settledAt ?? 0) - (b.settledAt ?? 0))
      .slice(0, maxResults)
      .map((delivery) => ({ id: delivery.id, body: delivery.body, url: delivery.url, failureTime: delivery.settledAt ?? delivery.createdAt }));
    const page: Record<string, unknown> = { maxResults, values };
    const last = values.at(-1);
    if (last) page.next = `${originOf(req)}/rest/api/3/webhook/failed?failedAfter=${last.failureTime}&maxResults=${maxResults}`;
    res.send(200, page);
  });
}

function representation(webhook: DynamicWebhook): Record<string, unknown> {
  const value: Record<string, unknown> = {
    id: webhook.id,
    jqlFilter: webhook.jqlFilter,
    events: webhook.events,
    expirationDate: webhook.expiresAt,
    url: webhook.url,
  };
  if (webhook.fieldIdsFilter) value.fieldIdsFilter = webhook.fieldIdsFilter;
  if (webhook.issuePropertyKeysFilter) value.issuePropertyKeysFilter = webhook.issuePropertyKeysFilter;
  return value;
}

/** Only an OAuth 2.0 app holding the webhook scopes may manage dynamic webhooks; it acts for one user. */
function appOwner(req: Request, res: Response): WebhookOwner | undefined {
  const auth = authOf(req);
  if (!auth) {
    res.send(401, { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} });
    return undefined;
  }
  if (auth.kind !== 'oauth' || !auth.clientId) {
    sendErrors(res, 403, ['Only Connect and OAuth 2.0 apps can use this operation.']);
    return undefined;
  }
  if (!REQUIRED_SCOPES.every((scope) => auth.scopes?.includes(scope))) {
    // api.atlassian.com answers a token without the operation's scopes before Jira sees it.
    res.send(401, { code: 401, message: 'Unauthorized; scope does not match' });
    return undefined;
  }
  return { clientId: auth.clientId, accountId: auth.accountId };
}

async function jsonBody(req: Request, res: Response): Promise<unknown> {
  try {
    const body = await readJsonBody(req);
    if (isObject(body)) return body;
    sendErrors(res, 400, ['The request body is missing or is not a JSON object']);
  } catch (error) {
    if (!(error instanceof MalformedBodyError)) throw error;
    sendErrors(res, 400, [error.message]);
  }
  return undefined;
}

async function webhookIds(req: Request, res: Response): Promise<number[] | undefined> {
  const body = await jsonBody(req, res);
  if (body === undefined) return undefined;
  const ids = (body as { webhookIds?: unknown }).webhookIds;
  if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id))) {
    sendErrors(res, 400, ['webhookIds must be a list of webhook IDs']);
    return undefined;
  }
  if (ids.length === 0) {
    sendErrors(res, 400, ['webhookIds must not be empty']);
    return undefined;
  }
  return ids as number[];
}

function sendErrors(res: Response, status: number, errorMessages: string[]): void {
  res.send(status, { errorMessages, errors: {} });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function nonNegativeInt(text: string | null, fallback: number): number {
  const value = Number(text);
  return text !== null && text !== '' && Number.isInteger(value) && value >= 0 ? value : fallback;
}

function originOf(req: Request): string {
  return `http://${req.headers.host ?? '127.0.0.1'}`;
}
