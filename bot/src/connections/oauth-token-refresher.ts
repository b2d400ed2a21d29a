import { systemClock, type Clock } from '../jira/clock';
import type { AccessTokenSource } from '../jira/create-jira-client';
import { JiraError, JiraErrorCode } from '../jira/jira-error';
import { StoreConflictError } from '../store/store';
import { TokenEndpointError, type AtlassianAuthClient } from './atlassian-auth-client';
import type { ConnectionOwner, OAuthConnection } from './connection';
import { ConnectionError, ConnectionErrorCode } from './connection-error';
import type { ConnectionRepository } from './connection-repository';

export interface OAuthTokenRefresherDeps {
  auth: AtlassianAuthClient;
  connections: ConnectionRepository;
  clock?: Clock;
  /** Refresh this long before expiry, so a token does not lapse mid-call. */
  refreshBeforeMs?: number;
}

/**
 * Hands out valid access tokens for OAuth connections. A token close to expiry is refreshed
 * first; Atlassian rotates the refresh token on every refresh, so the new pair is saved at once.
 * Concurrent callers for one user share one refresh (single-flight): two refreshes with the same
 * rotating token would race, and the loser could be handed a token already retired. A revoked
 * grant marks the connection as needing reconnect; later calls fail fast without asking Atlassian.
 */
export class OAuthTokenRefresher implements AccessTokenSource {
  private readonly clock: Clock;
  private readonly refreshBeforeMs: number;
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(private readonly deps: OAuthTokenRefresherDeps) {
    this.clock = deps.clock ?? systemClock;
    this.refreshBeforeMs = deps.refreshBeforeMs ?? 5 * 60 * 1000;
  }

  async accessToken(owner: ConnectionOwner, options: { forceRefresh?: boolean } = {}): Promise<string> {
    const key = `${owner.tenantId}\n${owner.userId}`;
    const running = this.inFlight.get(key);
    if (running) return running;

    const connection = await this.usable(owner);
    if (!options.forceRefresh && connection.expiresAt - this.refreshBeforeMs > this.clock.now()) return connection.accessToken;

    const again = this.inFlight.get(key);
    if (again) return again;
    const refresh = this.refresh(owner, connection.accessToken).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, refresh);
    return refresh;
  }

  private async usable(owner: ConnectionOwner): Promise<OAuthConnection> {
    const connection = await this.deps.connections.get(owner);
    if (!connection || connection.kind !== 'oauth') throw disconnected();
    if (connection.status === 'needsReconnect') throw new JiraError(JiraErrorCode.ReconnectRequired, { firstNotice: false });
    return connection;
  }

  private async refresh(owner: ConnectionOwner, staleAccessToken: string): Promise<string> {
    const loaded = await this.deps.connections.load(owner);
    if (!loaded || loaded.connection.kind !== 'oauth') throw disconnected();
    const current = loaded.connection;
    if (current.status === 'needsReconnect') throw new JiraError(JiraErrorCode.ReconnectRequired, { firstNotice: false });
    // Another instance refreshed since we looked: use its token rather than rotating again.
    if (current.accessToken !== staleAccessToken && current.expiresAt - this.refreshBeforeMs > this.clock.now()) {
      return current.accessToken;
    }

    let tokens;
    try {
      tokens = await this.deps.auth.refresh(current.refreshToken);
    } catch (error) {
      if (error instanceof TokenEndpointError && error.grantRevoked) {
        const firstNotice = await this.deps.connections.markNeedsReconnect(owner, this.clock.now());
        throw new JiraError(JiraErrorCode.ReconnectRequired, { firstNotice, cause: error });
      }
      throw new JiraError(JiraErrorCode.Unavailable, { cause: error });
    }

    let base = loaded;
    for (;;) {
      const updated: OAuthConnection = {
        ...(base.connection as OAuthConnection),
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresAt: tokens.expiresAt,
        scopes: tokens.scopes.length > 0 ? tokens.scopes : current.scopes,
        updatedAt: this.clock.now(),
      };
      try {
        await this.deps.connections.save(updated, { ifMatch: base.etag });
        return tokens.accessToken;
      } catch (error) {
        if (!(error instanceof StoreConflictError)) throw error;
      }
      // The row changed after Atlassian rotated the refresh token we read. If it still holds that
      // token, the change was not a refresh (a re-seal under a new key, say): ours is the only live
      // successor, and dropping it would end the grant at the first refresh after Atlassian's reuse
      // leeway, so write it over the new version. A different token means another refresh or a new
      // consent won: keep theirs. A removed or revoked connection stays so.
      const now = await this.deps.connections.load(owner);
      if (!now || now.connection.kind !== 'oauth') throw disconnected();
      if (now.connection.status === 'needsReconnect') throw new JiraError(JiraErrorCode.ReconnectRequired, { firstNotice: false });
      if (now.connection.refreshToken !== current.refreshToken) return now.connection.accessToken;
      base = now;
    }
  }
}

/** Disconnected while a Jira call was under way: no retry can help, the user has to connect. */
function disconnected(): JiraError {
  return new JiraError(JiraErrorCode.Unauthorized, { cause: new ConnectionError(ConnectionErrorCode.NotConnected) });
}
