import { systemClock, type Clock } from '../jira/clock';
import type { SitePolicy } from '../jira/site-policy/create-site-policy';
import { createSiteFetch } from '../jira/site-policy/create-site-fetch';

export interface TokenSet {
  accessToken: string;
  /** Atlassian rotates refresh tokens: every refresh returns a new one and retires the old. */
  refreshToken: string;
  expiresAt: number;
  scopes: string[];
}

/** A Jira site the user's grant reaches (accessible-resources). */
export interface AccessibleSite {
  cloudId: string;
  name: string;
  url: string;
  scopes: string[];
}

/** The token endpoint or gateway refused or did not answer; `oauthError` is the OAuth error code (or 'network'). */
export class TokenEndpointError extends Error {
  constructor(
    readonly status: number,
    readonly oauthError: string,
  ) {
    super(`Atlassian auth answered ${status || 'nothing'} (${oauthError})`);
    this.name = 'TokenEndpointError';
  }

  /** The grant is gone (revoked, expired refresh token, rotated token reused late): only a new consent helps. */
  get grantRevoked(): boolean {
    return this.oauthError === 'invalid_grant' || this.oauthError === 'unauthorized_client';
  }
}

export interface AtlassianAuthClientOptions {
  clientId: string;
  clientSecret: string;
  /** https://auth.atlassian.com, or the simulator. */
  authUrl: string;
  /** https://api.atlassian.com, or the simulator. */
  apiUrl: string;
  redirectUri: string;
  fetch?: typeof fetch;
  clock?: Clock;
  timeoutMs?: number;
  /**
   * Which sites may be called (the service always passes it): auth and API calls go over its
   * pinned-address agent unless `fetch` is given, and sites outside it are left out of
   * accessible-resources.
   */
  sitePolicy?: SitePolicy;
}

/** The HTTP side of Atlassian OAuth 2.0 (3LO): token endpoint, accessible-resources, and `myself` on a site. */
export class AtlassianAuthClient {
  private readonly fetch: typeof fetch;
  private readonly clock: Clock;

  constructor(private readonly options: AtlassianAuthClientOptions) {
    this.fetch = options.fetch ?? (options.sitePolicy ? createSiteFetch(options.sitePolicy) : globalThis.fetch);
    this.clock = options.clock ?? systemClock;
  }

  authorizeUrl(params: { state: string; challenge: string; scopes: string[] }): string {
    const url = new URL('/authorize', this.options.authUrl);
    const query = {
      audience: 'api.atlassian.com',
      client_id: this.options.clientId,
      scope: params.scopes.join(' '),
      redirect_uri: this.options.redirectUri,
      state: params.state,
      response_type: 'code',
      prompt: 'consent',
      code_challenge: params.challenge,
      code_challenge_method: 'S256',
    };
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url.toString();
  }

  exchangeCode(code: string, verifier: string): Promise<TokenSet> {
    return this.token({ grant_type: 'authorization_code', code, redirect_uri: this.options.redirectUri, code_verifier: verifier });
  }

  refresh(refreshToken: string): Promise<TokenSet> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  async accessibleSites(accessToken: string): Promise<AccessibleSite[]> {
    const body = await this.getJson(`${this.options.apiUrl}/oauth/token/accessible-resources`, accessToken);
    if (!Array.isArray(body)) throw new TokenEndpointError(200, 'invalid_response');
    const { sitePolicy } = this.options;
    return (
      (body as unknown[])
        .filter((r): r is { id: string; name: string; url: string; scopes?: string[] } => {
          const resource = r as { id?: unknown; url?: unknown } | null;
          return typeof resource?.id === 'string' && typeof resource.url === 'string';
        })
        // A site's URL becomes the connection's links and link host: only what the policy would call.
        .filter((r) => !sitePolicy || sitePolicy.allows(r.url))
        .map((r) => ({ cloudId: r.id, name: r.name ?? r.url, url: r.url.replace(/\/+$/, ''), scopes: r.scopes ?? [] }))
    );
  }

  async myself(accessToken: string, cloudId: string): Promise<{ accountId: string; displayName: string }> {
    const body = (await this.getJson(`${this.options.apiUrl}/ex/jira/${cloudId}/rest/api/3/myself`, accessToken)) as {
      accountId?: unknown;
      displayName?: unknown;
    };
    if (typeof body?.accountId !== 'string') throw new TokenEndpointError(200, 'invalid_response');
    return { accountId: body.accountId, displayName: typeof body.displayName === 'string' ? body.displayName : body.accountId };
  }

  private async token(grant: Record<string, string>): Promise<TokenSet> {
    const sentAt = this.clock.now();
    const response = await this.send(`${this.options.authUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ ...grant, client_id: this.options.clientId, client_secret: this.options.clientSecret }),
    });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) throw new TokenEndpointError(response.status, typeof body.error === 'string' ? body.error : 'unknown');
    const { access_token, refresh_token, expires_in, scope } = body;
    if (typeof access_token !== 'string' || typeof refresh_token !== 'string' || typeof expires_in !== 'number') {
      // Without a refresh token (no offline_access) the connection would die within the hour.
      throw new TokenEndpointError(response.status, 'invalid_response');
    }
    return {
      accessToken: access_token,
      refreshToken: refresh_token,
      expiresAt: sentAt + expires_in * 1000,
      scopes: typeof scope === 'string' ? scope.split(/\s+/).filter(Boolean) : [],
    };
  }

  private async getJson(url: string, accessToken: string): Promise<unknown> {
    const response = await this.send(url, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
    if (!response.ok) throw new TokenEndpointError(response.status, response.status === 401 ? 'invalid_token' : 'http_error');
    return response.json().catch(() => undefined);
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      this.options.sitePolicy?.check(url);
      // A redirect would carry the client secret, a code or a token wherever it points.
      response = await this.fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
    } catch (error) {
      throw Object.assign(new TokenEndpointError(0, 'network'), { cause: error });
    }
    if (response.status >= 300 && response.status < 400) throw new TokenEndpointError(response.status, 'redirect');
    return response;
  }
}
