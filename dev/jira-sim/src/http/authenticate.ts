import type { Next, Request, Response } from 'restify';
import type { SimAuth } from '../sim-auth';
import type { TokenVerifier } from '../site-hooks';
import type { SiteState } from '../site/site-state';

export interface AuthenticateDeps {
  state: SiteState;
  cloudId: string;
  tokens: TokenVerifier;
}

const GATEWAY_PREFIX = '/ex/jira/';
/** Site paths Jira answers without credentials (its spec lists anonymous access for them). */
const ANONYMOUS_PATHS = new Set(['/rest/api/3/serverInfo']);
const NOT_AUTHENTICATED = {
  errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
  errors: {},
};

function basicIdentity(state: SiteState, header: string): SimAuth | null {
  const decoded = Buffer.from(header.slice('basic '.length).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const user = state.userByEmail(decoded.slice(0, colon));
  if (!user || !user.active || user.apiToken !== decoded.slice(colon + 1)) return null;
  return { kind: 'basic', accountId: user.accountId };
}

/**
 * Resolves who is calling and stores it as `req.simAuth`. Site paths (`/rest/...`) take Basic
 * email:apiToken; the API gateway form (`/ex/jira/{cloudId}/rest/...`) takes an OAuth bearer
 * token and is rewritten to the site path, as api.atlassian.com forwards it.
 * Other paths (OAuth endpoints, `/_sim`) pass through unauthenticated.
 */
export function authenticate(deps: AuthenticateDeps) {
  return function authenticateRequest(req: Request, res: Response, next: Next): void {
    const url = req.url ?? '/';
    const header = String(req.headers.authorization ?? '');
    const target = req as unknown as { simAuth?: SimAuth };
    if (url.startsWith(GATEWAY_PREFIX)) {
      const rest = url.slice(GATEWAY_PREFIX.length);
      const slash = rest.indexOf('/');
      const cloudId = slash < 0 ? rest : rest.slice(0, slash);
      if (cloudId !== deps.cloudId) {
        res.send(404, { errorMessages: ['Site not found'], errors: {} });
        return next(false);
      }
      req.url = slash < 0 ? '/' : rest.slice(slash);
      const token = /^bearer /i.test(header) ? header.slice('bearer '.length).trim() : '';
      const verified = token ? deps.tokens.verifyAccessToken(token) : null;
      if (!verified || !deps.state.user(verified.accountId)) {
        res.send(401, { code: 401, message: 'Unauthorized' });
        return next(false);
      }
      target.simAuth = { kind: 'oauth', accountId: verified.accountId, clientId: verified.clientId, scopes: verified.scopes };
      return next();
    }
    if (!url.startsWith('/rest/')) return next();
    if (!header && ANONYMOUS_PATHS.has(url.split('?')[0])) return next();
    const identity = /^basic /i.test(header) ? basicIdentity(deps.state, header) : null;
    if (!identity) {
      res.send(401, NOT_AUTHENTICATED);
      return next(false);
    }
    target.simAuth = identity;
    return next();
  };
}
