import axios, { AxiosHeaders, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { AgileClient, Version3Client } from 'jira.js';
import { JiraError } from './jira-error';
import type { HttpResult, RequestPipeline } from './request-pipeline';
import type { JiraPriority } from './site-scheduler';
import type { SitePolicy } from './site-policy/create-site-policy';
import { jiraErrorForRefusal } from './site-policy/jira-error-for-refusal';
import { findSitePolicyError, SitePolicyError, SitePolicyErrorCode } from './site-policy/site-policy-error';

/** Whose token an OAuth call uses: the Teams user within a tenant (connections decide what that means). */
export interface TokenOwner {
  tenantId: string;
  userId: string;
}

/**
 * What a Jira call needs to know about the user's connection. Jira defines it, connections
 * supply it, so the dependency runs one way (connections -> jira).
 */
export type JiraCredential = { kind: 'apiToken'; siteUrl: string; email: string; apiToken: string } | { kind: 'oauth'; siteUrl: string; cloudId: string; owner: TokenOwner };

export interface AccessTokenSource {
  /**
   * A valid access token for the owner's OAuth connection, refreshed first when near expiry or
   * when forced. Throws JiraError Unauthorized when the user has no usable connection any more.
   */
  accessToken(owner: TokenOwner, options?: { forceRefresh?: boolean }): Promise<string>;
}

export interface JiraClientDeps {
  pipeline: RequestPipeline;
  /** Atlassian's API gateway (config.jira.apiUrl); OAuth calls go to `${apiUrl}/ex/jira/${cloudId}`. */
  apiUrl: string;
  /** Required for OAuth connections. */
  tokens?: AccessTokenSource;
  priority?: JiraPriority;
  /** Per-attempt socket timeout; the pipeline's deadline bounds the whole call. */
  attemptTimeoutMs?: number;
  /**
   * Which sites may be called and at which addresses (the service always passes it). Without
   * one, only the rest holds: no redirect is followed and no proxy is used.
   */
  sitePolicy?: SitePolicy;
}

export interface JiraClient {
  v3: Version3Client;
  agile: AgileClient;
  /** The site's base URL for REST calls (site URL, or the gateway path for OAuth). */
  host: string;
  /** Browse links for users always point at the site itself. */
  siteUrl: string;
}

/**
 * The jira.js clients for one user's connection, with every request sent through the pipeline
 * (scheduling, retries, rate limits, coded errors). jira.js hands its axios config an adapter,
 * so the hook sits below jira.js and above the socket: auth is set per attempt (a refreshed
 * OAuth token is picked up mid-retry) and jira.js sees either a response or a JiraError.
 */
export function createJiraClient(connection: JiraCredential, deps: JiraClientDeps): JiraClient {
  const priority = deps.priority ?? 'interactive';
  const host = connection.kind === 'oauth' ? `${deps.apiUrl}/ex/jira/${connection.cloudId}` : connection.siteUrl;
  const site = connection.kind === 'oauth' ? connection.cloudId : connection.siteUrl;
  const authorization = authorizationFor(connection, deps);
  const inner = axios.getAdapter(axios.defaults.adapter);

  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    const url = new URL(axios.getUri(config));
    const agent = agentFor(url, deps.sitePolicy);
    let response: AxiosResponse | undefined;
    await deps.pipeline.send(
      { site, method: (config.method ?? 'get').toUpperCase(), path: url.pathname, priority },
      async ({ signal, refreshAuth }): Promise<HttpResult> => {
        const headers = AxiosHeaders.from(config.headers);
        headers.set('Authorization', await authorization(refreshAuth));
        try {
          response = await inner({
            ...config,
            headers,
            signal,
            timeout: deps.attemptTimeoutMs ?? config.timeout,
            validateStatus: () => true,
            // A redirect would carry the credentials and a comment's text wherever it points
            // (307 keeps the body); Jira Cloud answers REST calls directly. A proxy would do
            // its own DNS, undoing the policy's address check.
            maxRedirects: 0,
            proxy: false,
            ...(agent ? { httpAgent: agent, httpsAgent: agent } : {}),
          });
        } catch (error) {
          const refusal = findSitePolicyError(error);
          throw refusal ? jiraErrorForRefusal(refusal) : error;
        }
        if (isRedirect(response.status)) {
          throw jiraErrorForRefusal(new SitePolicyError(SitePolicyErrorCode.Redirected, url.host), response.status);
        }
        return { status: response.status, headers: { ...response.headers }, data: response.data };
      },
      { canRefreshAuth: connection.kind === 'oauth' },
    );
    return response as AxiosResponse;
  };

  const config = {
    host,
    baseRequestConfig: { adapter },
    middlewares: {
      // jira.js wraps whatever the adapter threw; hand callers the coded error itself.
      onError: (error: unknown) => {
        throw unwrapJiraError(error) ?? error;
      },
      onResponse: undefined,
    },
  };
  return { v3: new Version3Client(config), agile: new AgileClient(config), host, siteUrl: connection.siteUrl };
}

/** The policy's pinned-address agent for the URL, or a JiraError naming the refused site. */
function agentFor(url: URL, policy: SitePolicy | undefined) {
  if (!policy) return undefined;
  try {
    return policy.agentFor(url);
  } catch (error) {
    const refusal = findSitePolicyError(error);
    throw refusal ? jiraErrorForRefusal(refusal) : error;
  }
}

/** 304 answers a conditional request and goes nowhere; every other 3xx sends the call elsewhere. */
function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

function authorizationFor(connection: JiraCredential, deps: JiraClientDeps): (refresh: boolean) => Promise<string> {
  if (connection.kind === 'apiToken') {
    const basic = `Basic ${Buffer.from(`${connection.email}:${connection.apiToken}`).toString('base64')}`;
    return async () => basic;
  }
  const { tokens } = deps;
  if (!tokens) throw new Error('createJiraClient: an OAuth connection needs deps.tokens');
  return async (refresh) => `Bearer ${await tokens.accessToken(connection.owner, { forceRefresh: refresh })}`;
}

/** Finds our coded error inside jira.js's HttpException wrapper (kept as its `response` or `cause`). */
export function unwrapJiraError(error: unknown): JiraError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
    if (current instanceof JiraError) return current;
    const { response, cause } = current as { response?: unknown; cause?: unknown };
    current = response instanceof JiraError ? response : cause;
  }
  return undefined;
}
