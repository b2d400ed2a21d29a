import type { Request, Response, Server } from 'restify';
import { authOf } from '../sim-auth';
import { ISSUE_FILTER_KEY, type AdminWebhook, type AdminWebhookInput, type AdminWebhookRegistry } from './admin-webhook-registry';
import { isHttpUrl } from './is-http-url';
import { MalformedBodyError, readJsonBody } from './read-json-body';

const BASE = '/rest/webhooks/1.0/webhook';
/** The classic scope for Jira administration, which an OAuth app needs to manage admin webhooks. */
const ADMIN_SCOPE = 'manage:jira-configuration';

export interface AdminWebhookRouteDeps {
  registry: AdminWebhookRegistry;
  /** Jira administrators (global ADMINISTER) may manage these webhooks; by default everyone is one. */
  isAdmin?: (accountId: string) => boolean;
}

/**
 * Jira's admin webhook REST API (not in the platform spec): what an administrator sets up, optionally with
 * a secret that signs each delivery.
 */
export function mountAdminWebhookRoutes(server: Server, deps: AdminWebhookRouteDeps): void {
  const { registry } = deps;
  const caller = (req: Request, res: Response) => administrator(req, res, deps.isAdmin ?? (() => true));

  server.post(BASE, async (req: Request, res: Response) => {
    const user = caller(req, res);
    if (!user) return;
    const input = await webhookInput(req, res, user);
    if (!input) return;
    res.send(201, representation(req, registry.create(input)));
  });

  server.get(BASE, async (req: Request, res: Response) => {
    if (!caller(req, res)) return;
    res.send(
      200,
      registry.list().map((webhook) => representation(req, webhook)),
    );
  });

  server.get(`${BASE}/:id`, async (req: Request, res: Response) => {
    if (!caller(req, res)) return;
    const webhook = registry.get(Number(req.params.id));
    if (!webhook) return notFound(res);
    res.send(200, representation(req, webhook));
  });

  server.put(`${BASE}/:id`, async (req: Request, res: Response) => {
    const user = caller(req, res);
    if (!user) return;
    const existing = registry.get(Number(req.params.id));
    if (!existing) return notFound(res);
    const input = await webhookInput(req, res, user, existing);
    if (!input) return;
    const updated = registry.update(existing.id, input);
    if (!updated) return notFound(res);
    res.send(200, representation(req, updated));
  });

  server.del(`${BASE}/:id`, async (req: Request, res: Response) => {
    if (!caller(req, res)) return;
    if (!registry.remove(Number(req.params.id))) return notFound(res);
    res.send(204);
  });
}

function representation(req: Request, webhook: AdminWebhook): Record<string, unknown> {
  return {
    self: `http://${req.headers.host ?? '127.0.0.1'}${BASE}/${webhook.id}`,
    name: webhook.name,
    url: webhook.url,
    events: webhook.events,
    filters: { [ISSUE_FILTER_KEY]: webhook.jqlFilter ?? '' },
    excludeBody: webhook.excludeBody,
    enabled: webhook.enabled,
    lastUpdatedUser: webhook.lastUpdatedUser,
    lastUpdated: webhook.lastUpdated,
  };
}

function administrator(req: Request, res: Response, isAdmin: (accountId: string) => boolean): string | undefined {
  const auth = authOf(req);
  if (!auth) {
    res.send(401, { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} });
    return undefined;
  }
  if (auth.kind === 'oauth' && !auth.scopes?.includes(ADMIN_SCOPE)) {
    res.send(401, { code: 401, message: 'Unauthorized; scope does not match' });
    return undefined;
  }
  if (!isAdmin(auth.accountId)) {
    res.send(403, { errorMessages: ['You must be a Jira administrator to manage webhooks.'], errors: {} });
    return undefined;
  }
  return auth.accountId;
}

/** On update, fields left out keep their value, the secret included. */
async function webhookInput(req: Request, res: Response, user: string, existing?: AdminWebhook): Promise<AdminWebhookInput | undefined> {
  let body: unknown;
  try {
    body = await readJsonBody(req);
  } catch (error) {
    if (!(error instanceof MalformedBodyError)) throw error;
    return badRequest(res, { body: error.message });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return badRequest(res, { body: 'A JSON object is required' });
  const fields = body as Record<string, unknown>;
  const name = fields.name ?? existing?.name;
  const url = fields.url ?? existing?.url;
  const events = fields.events ?? existing?.events ?? [];
  const filters = fields.filters as Record<string, unknown> | undefined;
  const jqlFilter = filters === undefined ? existing?.jqlFilter : filters[ISSUE_FILTER_KEY];
  const errors: Record<string, string> = {};
  if (typeof name !== 'string' || name.trim() === '') errors.name = 'The webhook name is required';
  if (typeof url !== 'string' || !isHttpUrl(url)) errors.url = 'The webhook URL must be an absolute http or https URL';
  if (!Array.isArray(events) || !events.every((event) => typeof event === 'string')) errors.events = 'events must be a list of event names';
  if (jqlFilter !== undefined && typeof jqlFilter !== 'string') errors.filters = `filters.${ISSUE_FILTER_KEY} must be a JQL string`;
  if (fields.secret !== undefined && typeof fields.secret !== 'string') errors.secret = 'secret must be a string';
  if (Object.keys(errors).length > 0) return badRequest(res, errors);
  return {
    name: name as string,
    url: url as string,
    events: events as string[],
    jqlFilter: jqlFilter as string | undefined,
    excludeBody: typeof fields.excludeBody === 'boolean' ? fields.excludeBody : (existing?.excludeBody ?? false),
    enabled: typeof fields.enabled === 'boolean' ? fields.enabled : (existing?.enabled ?? true),
    secret: (fields.secret as string | undefined) ?? existing?.secret,
    lastUpdatedUser: user,
  };
}

function badRequest(res: Response, errors: Record<string, string>): undefined {
  res.send(400, { errorMessages: [], errors });
  return undefined;
}

function notFound(res: Response): void {
  res.send(404, { errorMessages: ['Webhook not found'], errors: {} });
}
