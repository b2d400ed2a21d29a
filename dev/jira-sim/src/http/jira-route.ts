import type { Next, Request, Response, Server } from 'restify';
import { authOf, type SimAuth } from '../sim-auth';
import { JiraError } from './jira-error';
import type { Metered } from './meter-request';
import type { RateLimiter } from './rate-limiter';

export type OAuthScope =
  | 'read:jira-work'
  | 'write:jira-work'
  | 'read:jira-user'
  | 'manage:jira-webhook'
  | 'manage:jira-configuration'
  // The Agile API takes Jira Software's own scopes, with granular platform ones, never the classic
  // Jira scopes above (each Agile operation's security block in the spec).
  | 'read:board-scope:jira-software'
  | 'read:board-scope.admin:jira-software'
  | 'write:board-scope:jira-software'
  | 'read:sprint:jira-software'
  | 'write:sprint:jira-software'
  | 'read:issue:jira-software'
  | 'write:issue:jira-software'
  | 'read:project:jira'
  | 'read:issue-details:jira'
  | 'read:jql:jira';

/**
 * A route's OAuth scope, or every scope of a list; 'anonymous' routes also answer callers
 * without credentials.
 */
export type RouteAccess = OAuthScope | readonly OAuthScope[] | 'anonymous' | null;

function grants(scopes: readonly string[] | undefined, access: OAuthScope | readonly OAuthScope[]): boolean {
  return (typeof access === 'string' ? [access] : access).every((scope) => (scopes ?? []).includes(scope));
}

export interface JiraCall {
  /** The caller; undefined only on 'anonymous' routes called without credentials. */
  auth: SimAuth;
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  body: unknown;
  req: Request;
}

export interface JiraReply {
  status: number;
  body?: unknown;
  /** Objects returned, for the points quota (reads cost a point per object). */
  objects?: number;
}

export type JiraHandler = (call: JiraCall) => JiraReply;

export interface Router {
  /** Every route registered, for coverage checks in tests. */
  readonly registered: Array<{ method: string; path: string }>;
  get(path: string, scope: RouteAccess, handler: JiraHandler): void;
  post(path: string, scope: RouteAccess, handler: JiraHandler): void;
  put(path: string, scope: RouteAccess, handler: JiraHandler): void;
  del(path: string, scope: RouteAccess, handler: JiraHandler): void;
}

/** Stands in for a caller without credentials on anonymous routes; it holds no rights. */
const ANONYMOUS: SimAuth = { kind: 'basic', accountId: '' };

/** Jira answers a token without the route's scope with 401, not 403. */
const SCOPE_MISMATCH = { code: 401, message: 'Unauthorized; scope does not match' };

/**
 * Registers Jira API routes with one shape: a synchronous handler over the resolved caller that
 * returns a status and body or throws JiraError. Scope checks and per-object quota costs live here.
 */
export function createRouter(server: Server, limiter: RateLimiter): Router {
  const registered: Array<{ method: string; path: string }> = [];
  const wrap = (method: string, path: string, scope: RouteAccess, handler: JiraHandler) => {
    registered.push({ method, path });
    const routeKey = `${method} ${path}`;
    return function jiraRoute(req: Request, res: Response, next: Next): void {
      const auth = authOf(req) ?? (scope === 'anonymous' ? ANONYMOUS : undefined);
      if (!auth) {
        res.send(401, { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} });
        return next(false);
      }
      if (auth.kind === 'oauth' && scope && scope !== 'anonymous' && !grants(auth.scopes, scope)) {
        res.send(401, SCOPE_MISMATCH);
        return next(false);
      }
      let reply: JiraReply;
      try {
        reply = handler({
          auth,
          params: (req.params ?? {}) as Record<string, string>,
          query: (req.query ?? {}) as Record<string, string | string[] | undefined>,
          body: (req as unknown as { body?: unknown }).body,
          req,
        });
      } catch (err) {
        if (!(err instanceof JiraError)) return next(err);
        reply = { status: err.status, body: err.body() };
      }
      if ((req as unknown as Metered).simMetered) {
        const full = limiter.cost(routeKey, method, reply.status < 400 ? (reply.objects ?? 0) : 0);
        limiter.charge(Math.max(0, full - limiter.settings.baseCost));
        for (const [name, value] of Object.entries(limiter.headers())) res.setHeader(name, value);
      }
      if (reply.body === undefined) res.send(reply.status);
      else res.send(reply.status, reply.body);
      return next();
    };
  };
  return {
    registered,
    get: (path, scope, handler) => void server.get(path, wrap('GET', path, scope, handler)),
    post: (path, scope, handler) => void server.post(path, wrap('POST', path, scope, handler)),
    put: (path, scope, handler) => void server.put(path, wrap('PUT', path, scope, handler)),
    del: (path, scope, handler) => void server.del(path, wrap('DELETE', path, scope, handler)),
  };
}

export function queryString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** Jira's list parameters accept both `a,b` and repeated keys. */
export function queryList(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

export function queryInt(value: string | string[] | undefined, fallback: number, name: string): number {
  const text = queryString(value);
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n)) throw JiraError.badRequest({}, [`The value '${text}' is invalid for the '${name}' parameter.`]);
  return n;
}

export function queryBool(value: string | string[] | undefined, fallback: boolean): boolean {
  const text = queryString(value);
  if (text === undefined) return fallback;
  return text === 'true';
}
