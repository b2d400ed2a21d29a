import type { Request, Response, Server } from 'restify';
import { readRequestBody } from './read-request-body';
import { renderConsentPage, renderErrorPage } from './render-consent-page';
import { createTokenLedger, isOAuthFailure, type AccessTokenInfo, type OAuthFailure } from './token-ledger';

export type { AccessTokenInfo } from './token-ledger';

export interface OAuthSite {
  cloudId: string;
  name: string;
  url: string;
  avatarUrl?: string;
}

export interface OAuthUser {
  accountId: string;
  displayName: string;
  emailAddress: string;
}

/** An app registered in the Atlassian developer console. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Shown on the consent page. */
  name?: string;
  /**
   * Refuse an authorize request without an S256 `code_challenge` (RFC 7636), as an authorization server
   * does for an app registered as a public client, and as RFC 9700 (OAuth 2.0 Security BCP) asks of
   * confidential ones too. The bot's registrations set it so that a bot that stops sending PKCE fails its
   * tests instead of passing on a server that only checks PKCE when it is offered.
   */
  requirePkce?: boolean;
}

export interface OAuthServerDeps {
  site: OAuthSite;
  users: () => OAuthUser[];
  now: () => number;
  clients?: OAuthClient[];
  /** Access token lifetime; Atlassian's is 3600 s. Tests shorten it, or move the clock. */
  accessTokenTtlSeconds?: number;
  /** Authorization code lifetime (default 600 s). */
  codeTtlSeconds?: number;
  /** Window in which a rotated refresh token is still accepted (Atlassian: 10 minutes). */
  refreshReuseLeewayMs?: number;
}

export interface OAuthServer {
  mount(server: Server): void;
  verifyAccessToken(token: string): AccessTokenInfo | null;
  registerClient(client: OAuthClient): void;
  clientSecretOf(clientId: string): string | undefined;
  revokeGrant(accountId: string, clientId: string): void;
  sites: { add(site: OAuthSite): void; list(): OAuthSite[] };
}

const AUDIENCE = 'api.atlassian.com';
const CONSENT_PATH = '/authorize/consent';
/** Passed through the authorize flow unchanged, from the consent page back to the code. */
const AUTHORIZE_PARAMS = ['audience', 'client_id', 'scope', 'redirect_uri', 'state', 'response_type', 'prompt', 'code_challenge', 'code_challenge_method'];

/**
 * An OAuth 2.0 (3LO) authorization server shaped like auth.atlassian.com (authorize, token) and
 * api.atlassian.com (accessible-resources).
 *
 * Tests can skip the consent page: `GET /authorize?...&account_id=<accountId>` consents as that user
 * at once and redirects with the code; `POST /authorize/consent` with the authorize parameters plus
 * `account_id` and `decision=accept|deny` is what the consent form submits.
 */
export function createOAuthServer(deps: OAuthServerDeps): OAuthServer {
  const clients = new Map<string, OAuthClient>();
  for (const client of deps.clients ?? []) clients.set(client.clientId, client);
  const sites: OAuthSite[] = [deps.site];
  const ledger = createTokenLedger({
    now: deps.now,
    accessTokenTtlSeconds: deps.accessTokenTtlSeconds ?? 3600,
    codeTtlSeconds: deps.codeTtlSeconds ?? 600,
    reuseLeewayMs: deps.refreshReuseLeewayMs ?? 10 * 60 * 1000,
  });

  type Checked = { ok: true; client: OAuthClient; params: Record<string, string> } | { ok: false; respond: (res: Response) => void };

  /** Errors that make the redirect URI untrustworthy are shown as a page; the rest go back to the app. */
  function checkAuthorizeRequest(params: Record<string, string>): Checked {
    const client = clients.get(params.client_id ?? '');
    if (!client) return { ok: false, respond: (res) => sendHtml(res, 400, renderErrorPage('Unknown client_id.')) };
    const redirectUri = params.redirect_uri ?? '';
    if (!client.redirectUris.includes(redirectUri)) {
      return { ok: false, respond: (res) => sendHtml(res, 400, renderErrorPage("The redirect_uri does not match the app's callback URL.")) };
    }
    if (params.audience !== AUDIENCE) {
      return { ok: false, respond: (res) => sendHtml(res, 400, renderErrorPage(`The audience must be ${AUDIENCE}.`)) };
    }
    const back = (error: string, description: string) => ({
      ok: false as const,
      respond: (res: Response) => redirect(res, redirectUri, { error, error_description: description, state: params.state }),
    });
    if (params.response_type !== 'code') return back('unsupported_response_type', 'response_type must be code');
    if (scopesOf(params.scope).length === 0) return back('invalid_scope', 'No scope was requested');
    if (client.requirePkce && !params.code_challenge) return back('invalid_request', 'code_challenge is required');
    if (params.code_challenge !== undefined && (params.code_challenge_method ?? 'S256') !== 'S256') {
      return back('invalid_request', 'code_challenge_method must be S256');
    }
    return { ok: true, client, params };
  }

  function consent(res: Response, checked: { client: OAuthClient; params: Record<string, string> }, accountId: string) {
    const { params } = checked;
    if (!deps.users().some((user) => user.accountId === accountId)) {
      sendHtml(res, 400, renderErrorPage('Unknown account.'));
      return;
    }
    const code = ledger.issueCode({
      clientId: checked.client.clientId,
      accountId,
      scopes: scopesOf(params.scope),
      redirectUri: params.redirect_uri,
      codeChallenge: params.code_challenge,
      codeChallengeMethod: params.code_challenge === undefined ? undefined : (params.code_challenge_method ?? 'S256'),
    });
    redirect(res, params.redirect_uri, { code, state: params.state });
  }

  async function authorize(req: Request, res: Response): Promise<void> {
    const params = queryOf(req);
    const checked = checkAuthorizeRequest(params);
    if (!checked.ok) return checked.respond(res);
    if (params.account_id) return consent(res, checked, params.account_id);
    const hidden: Record<string, string> = {};
    for (const name of AUTHORIZE_PARAMS) if (params[name] !== undefined) hidden[name] = params[name];
    sendHtml(
      res,
      200,
      renderConsentPage({
        appName: checked.client.name ?? checked.client.clientId,
        siteName: sites.map((site) => site.name).join(', '),
        scopes: scopesOf(params.scope),
        users: deps.users(),
        hidden,
        action: CONSENT_PATH,
      }),
    );
  }

  async function submitConsent(req: Request, res: Response): Promise<void> {
    const params = await readRequestBody(req);
    const checked = checkAuthorizeRequest(params);
    if (!checked.ok) return checked.respond(res);
    if (params.decision !== 'accept') {
      return redirect(res, params.redirect_uri, {
        error: 'access_denied',
        error_description: 'User did not authorize the request',
        state: params.state,
      });
    }
    consent(res, checked, params.account_id ?? '');
  }

  async function token(req: Request, res: Response): Promise<void> {
    const body = await readRequestBody(req);
    const grantType = body.grant_type;
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return sendFailure(res, {
        status: 400,
        error: grantType ? 'unsupported_grant_type' : 'invalid_request',
        description: grantType ? `Unsupported grant type: ${grantType}` : 'Missing required parameter: grant_type',
      });
    }
    const client = clients.get(body.client_id ?? '');
    if (!client || client.clientSecret !== body.client_secret) {
      return sendFailure(res, { status: 401, error: 'access_denied', description: 'Unauthorized' });
    }
    const required = grantType === 'authorization_code' ? ['code', 'redirect_uri'] : ['refresh_token'];
    const missing = required.find((name) => !body[name]);
    if (missing) return sendFailure(res, { status: 400, error: 'invalid_request', description: `Missing required parameter: ${missing}` });
    const result =
      grantType === 'authorization_code'
        ? ledger.redeemCode({ clientId: client.clientId, code: body.code, redirectUri: body.redirect_uri, codeVerifier: body.code_verifier })
        : ledger.refresh({ clientId: client.clientId, refreshToken: body.refresh_token });
    if (isOAuthFailure(result)) return sendFailure(res, result);
    res.header('cache-control', 'no-store');
    res.send(200, result);
  }

  async function accessibleResources(req: Request, res: Response): Promise<void> {
    const match = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
    const info = match ? ledger.verifyAccessToken(match[1]) : null;
    if (!info) {
      res.send(401, { code: 401, message: 'Unauthorized' });
      return;
    }
    const scopes = info.scopes.filter((scope) => scope !== 'offline_access');
    res.send(
      200,
      sites.map((site) => ({
        id: site.cloudId,
        url: site.url,
        name: site.name,
        scopes,
        avatarUrl: site.avatarUrl ?? `https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/rocket.png`,
      })),
    );
  }

  return {
    mount(server: Server) {
      server.get('/authorize', authorize);
      server.post(CONSENT_PATH, submitConsent);
      server.post('/oauth/token', token);
      server.get('/oauth/token/accessible-resources', accessibleResources);
    },
    verifyAccessToken: (accessToken) => ledger.verifyAccessToken(accessToken),
    registerClient(client) {
      clients.set(client.clientId, client);
    },
    clientSecretOf: (clientId) => clients.get(clientId)?.clientSecret,
    revokeGrant: (accountId, clientId) => ledger.revokeGrant(accountId, clientId),
    sites: {
      add(site) {
        sites.push(site);
      },
      list: () => [...sites],
    },
  };
}

function scopesOf(scope: string | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter(Boolean);
}

function queryOf(req: Request): Record<string, string> {
  const url = new URL(req.url ?? '/', 'http://sim.invalid');
  return Object.fromEntries(url.searchParams);
}

function redirect(res: Response, target: string, params: Record<string, string | undefined>): void {
  const url = new URL(target);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  res.writeHead(302, { location: url.toString(), 'content-length': '0' });
  res.end();
}

function sendHtml(res: Response, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

function sendFailure(res: Response, failure: OAuthFailure): void {
  res.send(failure.status, { error: failure.error, error_description: failure.description });
}
