import { randomBytes } from 'node:crypto';
import type { Config } from '../config';
import { systemClock, type Clock } from '../jira/clock';
import { createJiraClient, type JiraClient } from '../jira/create-jira-client';
import { JiraError, JiraErrorCode } from '../jira/jira-error';
import { RequestPipeline } from '../jira/request-pipeline';
import { SiteScheduler, type JiraPriority } from '../jira/site-scheduler';
import { createSitePolicy, type SitePolicy } from '../jira/site-policy/create-site-policy';
import type { Store } from '../store/store';
import { AtlassianAuthClient } from './atlassian-auth-client';
import { connectWithApiToken, type ApiTokenConnectInput } from './connect-with-api-token';
import type { ApiTokenConnection, Connection, ConnectionOwner } from './connection';
import { ConnectionError, ConnectionErrorCode } from './connection-error';
import { ConnectionRepository } from './connection-repository';
import { loadTokenKeys, type LoadTokenKeysDeps } from './load-token-keys';
import { OAuthConnectFlow } from './oauth-connect-flow';
import { oauthStateKey, signOAuthState, verifyOAuthState, type OAuthStatePayload } from './oauth-state';
import { OAuthTokenRefresher } from './oauth-token-refresher';
import { TokenCipher } from './token-cipher';

export const AUTH_START_PATH = '/auth/atlassian/start';
export const AUTH_CALLBACK_PATH = '/auth/atlassian/callback';
export const AUTH_SITE_PATH = '/auth/atlassian/site';

/** Everything the bot, the HTTP routes and other features need to use per-user Jira connections. */
export interface ConnectionServices {
  repository: ConnectionRepository;
  /** Seals secrets at rest with the token keys (tokens here; per-site webhook secrets in alerts). */
  cipher: TokenCipher;
  /** Absent when ATLASSIAN_CLIENT_ID/SECRET are not set: only API-token connections then. */
  oauth?: {
    flow: OAuthConnectFlow;
    tokens: OAuthTokenRefresher;
    /** A short link for the user's sign-in button; it starts the flow only when opened, once. */
    startLink(owner: ConnectionOwner, conversationId: string): string;
    /** The user and conversation a start link was made for, if it is genuine and fresh. */
    readStartTicket(ticket: string): OAuthStatePayload | undefined;
  };
  scheduler: SiteScheduler;
  pipeline: RequestPipeline;
  /** Which Jira and Atlassian sites the server may call, at which addresses: every call here goes through it. */
  sitePolicy: SitePolicy;
  /**
   * The jira.js clients acting as this user. Throws ConnectionError NotConnected when there is
   * no connection, JiraError ReconnectRequired when its grant was revoked.
   */
  jiraFor(owner: ConnectionOwner, options?: { priority?: JiraPriority }): Promise<{ connection: Connection; jira: JiraClient }>;
  connectWithApiToken(owner: ConnectionOwner, input: ApiTokenConnectInput): Promise<ApiTokenConnection>;
}

export interface ConnectionServicesDeps extends LoadTokenKeysDeps {
  clock?: Clock;
  fetch?: typeof fetch;
  scheduler?: SiteScheduler;
}

/** Short, and spent when opened (auth-routes): a forwarded or old link starts nothing. */
const START_LINK_TTL_MS = 10 * 60 * 1000;
/** jira.js builds ~100 API group objects per client (about 0.4 ms); unfurls reuse them. */
const CLIENT_CACHE_SIZE = 500;

/** Composition for connections: keys -> cipher -> repository -> OAuth (if configured) -> Jira clients. */
export async function createConnectionServices(config: Config, store: Store, deps: ConnectionServicesDeps = {}): Promise<ConnectionServices> {
  const clock = deps.clock ?? systemClock;
  const keys = await loadTokenKeys(config, deps);
  const cipher = new TokenCipher(keys.current, keys.previous);
  const repository = new ConnectionRepository(store, cipher);
  const scheduler = deps.scheduler ?? new SiteScheduler({ clock });
  const pipeline = new RequestPipeline({ scheduler, clock });
  const sitePolicy = createSitePolicy({ listedOrigins: config.jira.allowedSites });

  const clients = new Map<string, JiraClient>();
  let oauth: ConnectionServices['oauth'];
  if (config.jira.oauth) {
    const auth = new AtlassianAuthClient({
      ...config.jira.oauth,
      authUrl: config.jira.authUrl,
      apiUrl: config.jira.apiUrl,
      redirectUri: `${config.publicUrl}${AUTH_CALLBACK_PATH}`,
      fetch: deps.fetch,
      sitePolicy,
      clock,
    });
    const startKey = oauthStateKey(keys.current.key, 'start');
    oauth = {
      flow: new OAuthConnectFlow({ auth, connections: repository, store, cipher, stateKey: oauthStateKey(keys.current.key), clock }),
      tokens: new OAuthTokenRefresher({ auth, connections: repository, clock }),
      startLink(owner, conversationId) {
        const ticket = signOAuthState({ nonce: randomBytes(9).toString('base64url'), owner, conversationId, expiresAt: clock.now() + START_LINK_TTL_MS }, startKey);
        return `${config.publicUrl}${AUTH_START_PATH}?ticket=${encodeURIComponent(ticket)}`;
      },
      readStartTicket: (ticket) => verifyOAuthState(ticket, startKey, clock.now()),
    };
  }

  return {
    repository,
    cipher,
    oauth,
    scheduler,
    pipeline,
    sitePolicy,
    async jiraFor(owner, options = {}) {
      const connection = await repository.get(owner);
      if (!connection) throw new ConnectionError(ConnectionErrorCode.NotConnected);
      if (connection.status === 'needsReconnect') throw new JiraError(JiraErrorCode.ReconnectRequired, { firstNotice: false });
      if (connection.kind === 'oauth' && !oauth) throw new ConnectionError(ConnectionErrorCode.OAuthNotConfigured);
      // updatedAt is in the key so a reconnect or a new API token never reuses the old client.
      const key = [owner.tenantId, owner.userId, options.priority ?? 'interactive', connection.kind, connection.updatedAt].join('\n');
      let jira = clients.get(key);
      if (jira) {
        clients.delete(key);
      } else {
        jira = createJiraClient(connection, { pipeline, apiUrl: config.jira.apiUrl, tokens: oauth?.tokens, priority: options.priority, sitePolicy });
        if (clients.size >= CLIENT_CACHE_SIZE) clients.delete(clients.keys().next().value!);
      }
      clients.set(key, jira);
      return { connection, jira };
    },
    connectWithApiToken: (owner, input) => connectWithApiToken(owner, input, { connections: repository, fetch: deps.fetch, clock, sitePolicy }),
  };
}
