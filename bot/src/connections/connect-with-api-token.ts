import { systemClock, type Clock } from '../jira/clock';
import type { SitePolicy } from '../jira/site-policy/create-site-policy';
import { createSiteFetch } from '../jira/site-policy/create-site-fetch';
import { findSitePolicyError } from '../jira/site-policy/site-policy-error';
import type { ApiTokenConnection, ConnectionOwner } from './connection';
import { ConnectionError, ConnectionErrorCode } from './connection-error';
import type { ConnectionRepository } from './connection-repository';
import { parseSiteUrl } from './parse-site-url';

export interface ApiTokenConnectInput {
  siteUrl: string;
  email: string;
  apiToken: string;
}

export interface ConnectWithApiTokenDeps {
  connections: ConnectionRepository;
  fetch?: typeof fetch;
  clock?: Clock;
  timeoutMs?: number;
  /** Local mode only: lets http:// sites (the simulator) through. Ignored with a sitePolicy, which decides that itself. */
  allowHttp?: boolean;
  /**
   * Which sites may be called, at which addresses (the service always passes it): the check goes
   * over its pinned-address agent unless `fetch` is given.
   */
  sitePolicy?: SitePolicy;
}

/**
 * Connects with an email and API token: checks the site address, proves the pair works with
 * GET /rest/api/3/myself, then saves the connection (encrypted). Nothing is saved unless Jira
 * accepted the token; each failure is a ConnectionError with its own message.
 */
export async function connectWithApiToken(owner: ConnectionOwner, input: ApiTokenConnectInput, deps: ConnectWithApiTokenDeps): Promise<ApiTokenConnection> {
  const siteUrl = parseSiteUrl(input.siteUrl, { allowHttp: deps.sitePolicy ? true : deps.allowHttp });
  if (deps.sitePolicy && !deps.sitePolicy.allows(siteUrl)) {
    throw new ConnectionError(ConnectionErrorCode.SiteNotAllowed, { site: new URL(siteUrl).host });
  }
  const email = input.email.trim();
  const apiToken = input.apiToken.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || apiToken === '') throw new ConnectionError(ConnectionErrorCode.ApiTokenRejected);

  const me = await verifyApiToken(siteUrl, email, apiToken, deps);
  const now = (deps.clock ?? systemClock).now();
  const connection: ApiTokenConnection = {
    kind: 'apiToken',
    owner,
    siteUrl,
    email,
    apiToken,
    accountId: me.accountId,
    displayName: me.displayName,
    status: 'active',
    createdAt: now,
    updatedAt: now,
  };
  await deps.connections.save(connection);
  return connection;
}

async function verifyApiToken(siteUrl: string, email: string, apiToken: string, deps: ConnectWithApiTokenDeps): Promise<{ accountId: string; displayName: string }> {
  let response: Response;
  try {
    const send = deps.fetch ?? (deps.sitePolicy ? createSiteFetch(deps.sitePolicy) : globalThis.fetch);
    response = await send(`${siteUrl}/rest/api/3/myself`, {
      headers: { authorization: `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}`, accept: 'application/json' },
      // A redirect would carry the credentials off to wherever it points; Jira Cloud answers directly.
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
    });
  } catch (error) {
    const refusal = findSitePolicyError(error);
    if (refusal) throw new ConnectionError(ConnectionErrorCode.SiteNotAllowed, { site: refusal.site, cause: refusal });
    throw new ConnectionError(ConnectionErrorCode.SiteUnreachable, { cause: error });
  }
  if (response.status >= 300 && response.status < 400) {
    // Followed, it would carry the credentials wherever it points; Jira Cloud answers directly.
    throw new ConnectionError(ConnectionErrorCode.SiteRedirected, { site: new URL(siteUrl).host, detail: `HTTP ${response.status}` });
  }
  if (response.status === 401 || response.status === 403) throw new ConnectionError(ConnectionErrorCode.ApiTokenRejected);
  if (response.status >= 500) throw new ConnectionError(ConnectionErrorCode.SiteUnreachable, { detail: `HTTP ${response.status}` });
  const isJson = /\bjson\b/i.test(response.headers.get('content-type') ?? '');
  const body = response.ok && isJson ? ((await response.json().catch(() => undefined)) as Record<string, unknown> | undefined) : undefined;
  if (typeof body?.accountId !== 'string') {
    throw new ConnectionError(ConnectionErrorCode.NotJira, { detail: `HTTP ${response.status}` });
  }
  return { accountId: body.accountId, displayName: typeof body.displayName === 'string' ? body.displayName : body.accountId };
}
