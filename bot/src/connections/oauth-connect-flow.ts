import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../jira/clock';
import { StoreConflictError, type ItemKey, type Store } from '../store/store';
import { TokenEndpointError, type AccessibleSite, type AtlassianAuthClient, type TokenSet } from './atlassian-auth-client';
import type { ConnectionOwner, OAuthConnection } from './connection';
import { ConnectionError, ConnectionErrorCode } from './connection-error';
import type { ConnectionRepository } from './connection-repository';
import { createPkcePair } from './create-pkce-pair';
import { signOAuthState, verifyOAuthState } from './oauth-state';
import type { TokenCipher } from './token-cipher';

/** Read and write issues, read users, keep webhooks alive, and stay connected past the first hour. */
export const DEFAULT_OAUTH_SCOPES = ['read:jira-work', 'write:jira-work', 'read:jira-user', 'manage:jira-webhook', 'offline_access'];

const TABLE = 'oauthPending';

export interface OAuthConnectFlowDeps {
  auth: AtlassianAuthClient;
  connections: ConnectionRepository;
  store: Store;
  cipher: TokenCipher;
  /** From `oauthStateKey(tokenKeys.current.key)`. */
  stateKey: Buffer;
  clock?: Clock;
  scopes?: string[];
  /** How long a sign-in link and a site choice stay valid. */
  ttlMs?: number;
}

export type OAuthCallbackResult =
  | { kind: 'connected'; connection: OAuthConnection; conversationId: string }
  | { kind: 'chooseSite'; choiceId: string; sites: AccessibleSite[]; owner: ConnectionOwner; conversationId: string };

export interface OAuthCallbackQuery {
  code?: string;
  state?: string;
  error?: string;
}

interface PendingState {
  sealedVerifier: string;
  expiresAt: number;
}

interface PendingChoice {
  tenantId: string;
  userId: string;
  conversationId: string;
  sealedTokens: string;
  sites: AccessibleSite[];
  expiresAt: number;
}

/**
 * Connecting with Atlassian OAuth 2.0 (3LO): an authorization URL with PKCE and a signed,
 * expiring, single-use state bound to the Teams user and conversation; the callback exchanges
 * the code, lists the sites the grant reaches, and saves the connection (or asks the user to
 * pick a site when there are several).
 */
export class OAuthConnectFlow {
  private readonly clock: Clock;
  private readonly scopes: string[];
  private readonly ttlMs: number;
  private lastPrune = 0;

  constructor(private readonly deps: OAuthConnectFlowDeps) {
    this.clock = deps.clock ?? systemClock;
    this.scopes = deps.scopes ?? DEFAULT_OAUTH_SCOPES;
    this.ttlMs = deps.ttlMs ?? 10 * 60 * 1000;
  }

  /** The URL to send the user to (a sign-in card's button). */
  async start(owner: ConnectionOwner, conversationId: string): Promise<string> {
    if (this.clock.now() - this.lastPrune >= this.ttlMs) {
      this.lastPrune = this.clock.now();
      await this.prune();
    }
    const nonce = randomBytes(18).toString('base64url');
    const expiresAt = this.clock.now() + this.ttlMs;
    const { verifier, challenge } = createPkcePair();
    await this.deps.store.put<PendingState>(
      pendingKey('state', nonce),
      { sealedVerifier: this.deps.cipher.encrypt(verifier, `state/${nonce}`), expiresAt },
      { ifNoneMatch: '*' },
    );
    const state = signOAuthState({ nonce, owner, conversationId, expiresAt }, this.deps.stateKey);
    return this.deps.auth.authorizeUrl({ state, challenge, scopes: this.scopes });
  }

  /** Handles the redirect back from Atlassian. Throws ConnectionError with a code for every failure. */
  async complete(query: OAuthCallbackQuery): Promise<OAuthCallbackResult> {
    const payload = query.state ? verifyOAuthState(query.state, this.deps.stateKey, this.clock.now()) : undefined;
    if (!payload) throw new ConnectionError(ConnectionErrorCode.OAuthStateInvalid);
    const pending = await this.take<PendingState>(pendingKey('state', payload.nonce));
    if (!pending) throw new ConnectionError(ConnectionErrorCode.OAuthStateInvalid, { detail: 'already used' });
    if (query.error) throw new ConnectionError(ConnectionErrorCode.OAuthDenied, { detail: query.error });
    if (!query.code) throw new ConnectionError(ConnectionErrorCode.OAuthExchangeFailed, { detail: 'no code' });

    const verifier = this.deps.cipher.decrypt(pending.sealedVerifier, `state/${payload.nonce}`);
    const tokens = await this.exchange(() => this.deps.auth.exchangeCode(query.code!, verifier));
    const sites = await this.exchange(() => this.deps.auth.accessibleSites(tokens.accessToken));
    if (sites.length === 0) throw new ConnectionError(ConnectionErrorCode.NoSites);
    if (sites.length === 1) {
      const connection = await this.save(payload.owner, tokens, sites[0]);
      return { kind: 'connected', connection, conversationId: payload.conversationId };
    }

    const choiceId = randomBytes(18).toString('base64url');
    await this.deps.store.put<PendingChoice>(
      pendingKey('choice', choiceId),
      {
        tenantId: payload.owner.tenantId,
        userId: payload.owner.userId,
        conversationId: payload.conversationId,
        sealedTokens: this.deps.cipher.encrypt(JSON.stringify(tokens), `choice/${choiceId}`),
        sites,
        expiresAt: this.clock.now() + this.ttlMs,
      },
      { ifNoneMatch: '*' },
    );
    return { kind: 'chooseSite', choiceId, sites, owner: payload.owner, conversationId: payload.conversationId };
  }

  /** Completes a connection once the user picked one of several sites. Single-use. */
  async chooseSite(choiceId: string, cloudId: string): Promise<{ connection: OAuthConnection; conversationId: string }> {
    const choice = await this.take<PendingChoice>(pendingKey('choice', choiceId));
    const site = choice?.sites.find((s) => s.cloudId === cloudId);
    if (!choice || !site) throw new ConnectionError(ConnectionErrorCode.SiteChoiceInvalid);
    const tokens = JSON.parse(this.deps.cipher.decrypt(choice.sealedTokens, `choice/${choiceId}`)) as TokenSet;
    const connection = await this.save({ tenantId: choice.tenantId, userId: choice.userId }, tokens, site);
    return { connection, conversationId: choice.conversationId };
  }

  private async save(owner: ConnectionOwner, tokens: TokenSet, site: AccessibleSite): Promise<OAuthConnection> {
    const me = await this.exchange(() => this.deps.auth.myself(tokens.accessToken, site.cloudId));
    const now = this.clock.now();
    const connection: OAuthConnection = {
      kind: 'oauth',
      owner,
      cloudId: site.cloudId,
      siteUrl: site.url,
      siteName: site.name,
      accountId: me.accountId,
      displayName: me.displayName,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt,
      scopes: tokens.scopes,
      status: 'active',
      createdAt: now,
      updatedAt: now,
    };
    // A new consent replaces whatever the user had before, including a connection needing reconnect.
    await this.deps.connections.save(connection);
    return connection;
  }

  private async exchange<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof TokenEndpointError) {
        throw new ConnectionError(ConnectionErrorCode.OAuthExchangeFailed, { cause: error, detail: error.message });
      }
      throw error;
    }
  }

  /** Deletes sign-ins and site choices that were abandoned and have expired. Returns how many. */
  async prune(): Promise<number> {
    const now = this.clock.now();
    let removed = 0;
    for (const item of await this.deps.store.list<{ expiresAt: number }>(TABLE)) {
      if (item.value.expiresAt > now) continue;
      try {
        if (await this.deps.store.delete(item.key, { ifMatch: item.etag })) removed += 1;
      } catch (error) {
        if (!(error instanceof StoreConflictError)) throw error;
      }
    }
    return removed;
  }

  /** Reads and deletes in one step that only one caller can win: what makes states single-use. */
  private async take<T extends { expiresAt: number }>(key: ItemKey): Promise<T | undefined> {
    const item = await this.deps.store.get<T>(key);
    if (!item) return undefined;
    try {
      if (!(await this.deps.store.delete(key, { ifMatch: item.etag }))) return undefined;
    } catch (error) {
      if (error instanceof StoreConflictError) return undefined;
      throw error;
    }
    return item.value.expiresAt > this.clock.now() ? item.value : undefined;
  }
}

function pendingKey(partition: 'state' | 'choice', row: string): ItemKey {
  return { table: TABLE, partition, row };
}
