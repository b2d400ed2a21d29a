import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../jira/clock';
import { StoreConflictError, type ItemKey, type Store } from '../store/store';
import { TokenEndpointError, type AccessibleSite, type AtlassianAuthClient, type TokenSet } from './atlassian-auth-client';
import type { ConnectionOwner, OAuthConnection } from './connection';
import { ConnectionError, ConnectionErrorCode } from './connection-error';
import type { ConnectionRepository } from './connection-repository';
import { createPkcePair } from './create-pkce-pair';
import { createSignInCode } from './create-sign-in-code';
import { signOAuthState, verifyOAuthState } from './oauth-state';
import type { TokenCipher } from './token-cipher';

/** Read and write issues, read users, keep webhooks alive, and stay connected past the first hour. */
// Jira platform classic scopes, plus the one Jira Software scope ranking (PUT /rest/agile/1.0/issue/rank)
// needs: the Agile API takes no platform scope. bot/test/jira/oauth-scopes.test.ts checks each call against the spec.
/**
 * Classic platform scopes, plus the Jira Software (Agile) API's granular ones, which its spec names
 * per operation: ranking (write:issue), boards and their configuration (the backlog pickers and
 * where an accepted estimate goes), sprints and moving issues to a sprint or the backlog.
 * bot/test/jira/oauth-scopes.test.ts checks every operation the service calls against this list.
 */
export const DEFAULT_OAUTH_SCOPES = [
  'read:jira-work',
  'write:jira-work',
  'read:jira-user',
  'manage:jira-webhook',
  'write:issue:jira-software',
  'read:board-scope:jira-software',
  'read:board-scope.admin:jira-software',
  'write:board-scope:jira-software',
  'read:sprint:jira-software',
  'write:sprint:jira-software',
  'read:project:jira',
  'read:issue-details:jira',
  'offline_access',
];

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
  /** How long the code shown after consent may be sent in Teams. */
  codeTtlMs?: number;
}

/**
 * Consent is done, but nothing is connected yet: the browser that consented may not belong to the
 * Teams user who asked (a forwarded or planted link). The page shows `code`; only that Teams user
 * sending it to the bot connects (`confirm`).
 */
export interface SignInAwaitingCode {
  kind: 'awaitingCode';
  /** As shown to the user: `ABCD-EFGH`. */
  code: string;
  siteName: string;
  displayName: string;
  expiresAt: number;
  /** How long the code is valid from now, for the page to say. */
  validForMs: number;
  /** Who asked for the sign-in, and where: told that consent happened (it may not have been them). */
  asker: ConnectionOwner;
  conversationId: string;
}

export type OAuthCallbackResult = SignInAwaitingCode | { kind: 'chooseSite'; choiceId: string; sites: AccessibleSite[]; owner: ConnectionOwner; conversationId: string };

export type SignInCodeResult =
  | { kind: 'connected'; connection: OAuthConnection; conversationId: string }
  /** Someone else sent the asker's code: nothing is connected, and the sign-in is spent. */
  | { kind: 'notYours'; asker: ConnectionOwner; conversationId: string };

export interface OAuthCallbackQuery {
  code?: string;
  state?: string;
  error?: string;
}

interface PendingState {
  sealedVerifier: string;
  expiresAt: number;
}

interface PendingCode {
  tenantId: string;
  userId: string;
  conversationId: string;
  /** The whole connection, tokens included, sealed to this code. */
  sealedConnection: string;
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
 * the code, lists the sites the grant reaches (asking the user to pick one when there are
 * several), and holds the connection behind a one-time code. Nothing is saved until the Teams
 * user the state names sends that code to the bot: whoever opened the link in a browser proves
 * nothing about who they are in Teams.
 */
export class OAuthConnectFlow {
  private readonly clock: Clock;
  private readonly scopes: string[];
  private readonly ttlMs: number;
  private readonly codeTtlMs: number;
  private lastPrune = 0;

  constructor(private readonly deps: OAuthConnectFlowDeps) {
    this.clock = deps.clock ?? systemClock;
    this.scopes = deps.scopes ?? DEFAULT_OAUTH_SCOPES;
    this.ttlMs = deps.ttlMs ?? 10 * 60 * 1000;
    this.codeTtlMs = deps.codeTtlMs ?? 5 * 60 * 1000;
  }

  /**
   * Spends a start-link ticket: true the first time, false ever after (until it expires and is
   * pruned, by which time its signature has expired too). A link opened twice starts once.
   */
  async claimStartTicket(nonce: string, expiresAt: number): Promise<boolean> {
    try {
      await this.deps.store.put<{ expiresAt: number }>(pendingKey('ticket', nonce), { expiresAt }, { ifNoneMatch: '*' });
      return true;
    } catch (error) {
      if (error instanceof StoreConflictError) return false;
      throw error;
    }
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
    await this.deps.store.put<PendingState>(pendingKey('state', nonce), { sealedVerifier: this.deps.cipher.encrypt(verifier, `state/${nonce}`), expiresAt }, { ifNoneMatch: '*' });
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
    if (sites.length === 1) return this.hold(payload.owner, payload.conversationId, tokens, sites[0]);

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

  /** Takes the user's pick among several sites, then holds the connection behind a code. Single-use. */
  async chooseSite(choiceId: string, cloudId: string): Promise<SignInAwaitingCode> {
    const choice = await this.take<PendingChoice>(pendingKey('choice', choiceId));
    const site = choice?.sites.find((s) => s.cloudId === cloudId);
    if (!choice || !site) throw new ConnectionError(ConnectionErrorCode.SiteChoiceInvalid);
    const tokens = JSON.parse(this.deps.cipher.decrypt(choice.sealedTokens, `choice/${choiceId}`)) as TokenSet;
    return this.hold({ tenantId: choice.tenantId, userId: choice.userId }, choice.conversationId, tokens, site);
  }

  /**
   * A code sent in Teams by `sender`. The code is spent whoever sends it: by the asker, the
   * connection is saved; by anyone else, nothing is, and the caller tells the asker. Throws
   * ConnectionError SignInCodeInvalid for a code that is unknown, used or expired.
   */
  async confirm(sender: ConnectionOwner, code: string): Promise<SignInCodeResult> {
    const row = code.replace(/-/g, '').toUpperCase();
    const pending = row ? await this.take<PendingCode>(pendingKey('code', row)) : undefined;
    if (!pending) throw new ConnectionError(ConnectionErrorCode.SignInCodeInvalid);
    const asker = { tenantId: pending.tenantId, userId: pending.userId };
    if (asker.tenantId !== sender.tenantId || asker.userId !== sender.userId) {
      return { kind: 'notYours', asker, conversationId: pending.conversationId };
    }
    const connection = JSON.parse(this.deps.cipher.decrypt(pending.sealedConnection, `code/${row}`)) as OAuthConnection;
    // A new consent replaces whatever the user had before, including a connection needing reconnect.
    await this.deps.connections.save({ ...connection, updatedAt: this.clock.now() });
    return { kind: 'connected', connection, conversationId: pending.conversationId };
  }

  /** Builds the connection and keeps it, sealed, under a fresh one-time code. */
  private async hold(owner: ConnectionOwner, conversationId: string, tokens: TokenSet, site: AccessibleSite): Promise<SignInAwaitingCode> {
    const connection = await this.build(owner, tokens, site);
    const expiresAt = this.clock.now() + this.codeTtlMs;
    for (;;) {
      const code = createSignInCode();
      const row = code.replace('-', '');
      try {
        await this.deps.store.put<PendingCode>(
          pendingKey('code', row),
          {
            tenantId: owner.tenantId,
            userId: owner.userId,
            conversationId,
            sealedConnection: this.deps.cipher.encrypt(JSON.stringify(connection), `code/${row}`),
            expiresAt,
          },
          { ifNoneMatch: '*' },
        );
        return {
          kind: 'awaitingCode',
          code,
          siteName: connection.siteName,
          displayName: connection.displayName,
          expiresAt,
          validForMs: this.codeTtlMs,
          asker: owner,
          conversationId,
        };
      } catch (error) {
        // Two pending sign-ins drew the same 40 bits: draw again.
        if (!(error instanceof StoreConflictError)) throw error;
      }
    }
  }

  private async build(owner: ConnectionOwner, tokens: TokenSet, site: AccessibleSite): Promise<OAuthConnection> {
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

function pendingKey(partition: 'state' | 'choice' | 'ticket' | 'code', row: string): ItemKey {
  return { table: TABLE, partition, row };
}
