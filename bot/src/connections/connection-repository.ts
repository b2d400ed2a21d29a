import { StoreConflictError, type ItemKey, type Store } from '../store/store';
import type { ApiTokenConnection, Connection, ConnectionOwner, OAuthConnection } from './connection';
import type { TokenCipher } from './token-cipher';

const TABLE = 'connections';

/** What reaches the store: identifying fields in clear, every secret (and the email) sealed. */
interface StoredConnection {
  kind: Connection['kind'];
  siteUrl: string;
  accountId: string;
  displayName: string;
  status: Connection['status'];
  createdAt: number;
  updatedAt: number;
  cloudId?: string;
  siteName?: string;
  expiresAt?: number;
  scopes?: string[];
  sealed: string;
}

type OAuthSecrets = Pick<OAuthConnection, 'accessToken' | 'refreshToken'>;
type ApiTokenSecrets = Pick<ApiTokenConnection, 'email' | 'apiToken'>;

/** A connection without its secrets: who, which site and Jira account, and whether it works. */
export interface ConnectionSummary {
  owner: ConnectionOwner;
  kind: Connection['kind'];
  siteUrl: string;
  /** OAuth connections: the site's cloud id (a dynamic webhook's token may name the site by it). */
  cloudId?: string;
  accountId: string;
  status: Connection['status'];
  updatedAt: number;
}

export interface VersionedConnection {
  connection: Connection;
  etag: string;
}

/**
 * Each Teams user's Jira connection, one per user within a tenant (partition = tenant, row =
 * user). Secrets are sealed with the owner's key as associated data, so a sealed value only
 * opens under the row it was written to.
 */
export class ConnectionRepository {
  constructor(
    private readonly store: Store,
    private readonly cipher: TokenCipher,
  ) {}

  async get(owner: ConnectionOwner): Promise<Connection | undefined> {
    return (await this.load(owner))?.connection;
  }

  /** The connection with its ETag, for writes that must not overwrite a concurrent one (token refresh). */
  async load(owner: ConnectionOwner): Promise<VersionedConnection | undefined> {
    const key = itemKey(owner);
    const item = await this.store.get<StoredConnection>(key);
    if (!item) return undefined;
    const connection = this.open(owner, item.value);
    if (!this.cipher.needsRotation(item.value.sealed)) return { connection, etag: item.etag };
    // Sealed under a previous key: re-seal under the current one while we hold it in clear.
    try {
      return { connection, etag: await this.save(connection, { ifMatch: item.etag }) };
    } catch (error) {
      if (error instanceof StoreConflictError) return this.load(owner);
      throw error;
    }
  }

  /**
   * Every connection's clear fields, nothing decrypted: background work (alert recipients, the
   * site directory) needs to know who is connected where, never their tokens.
   */
  async list(): Promise<ConnectionSummary[]> {
    return (await this.store.list<StoredConnection>(TABLE)).map((item) => ({
      owner: { tenantId: decodeURIComponent(item.key.partition), userId: decodeURIComponent(item.key.row) },
      kind: item.value.kind,
      siteUrl: item.value.siteUrl,
      ...(item.value.cloudId ? { cloudId: item.value.cloudId } : {}),
      accountId: item.value.accountId,
      status: item.value.status,
      updatedAt: item.value.updatedAt,
    }));
  }

  /** Writes the connection; with `ifMatch`, only over that version (throws StoreConflictError otherwise). Returns the new ETag. */
  async save(connection: Connection, options: { ifMatch?: string } = {}): Promise<string> {
    const item = await this.store.put<StoredConnection>(itemKey(connection.owner), this.seal(connection), options);
    return item.etag;
  }

  async remove(owner: ConnectionOwner): Promise<boolean> {
    return this.store.delete(itemKey(owner));
  }

  /**
   * Flags the connection as needing the user to connect again (grant revoked). Resolves true
   * only for the call that changed it, so the user is told once rather than on every failure.
   */
  async markNeedsReconnect(owner: ConnectionOwner, now = Date.now()): Promise<boolean> {
    for (;;) {
      const current = await this.load(owner);
      if (!current || current.connection.status === 'needsReconnect') return false;
      try {
        await this.save({ ...current.connection, status: 'needsReconnect', updatedAt: now }, { ifMatch: current.etag });
        return true;
      } catch (error) {
        if (!(error instanceof StoreConflictError)) throw error;
      }
    }
  }

  private seal(connection: Connection): StoredConnection {
    const common = {
      kind: connection.kind,
      siteUrl: connection.siteUrl,
      accountId: connection.accountId,
      displayName: connection.displayName,
      status: connection.status,
      createdAt: connection.createdAt,
      updatedAt: connection.updatedAt,
    };
    const aad = associatedData(connection.owner);
    if (connection.kind === 'oauth') {
      const secrets: OAuthSecrets = { accessToken: connection.accessToken, refreshToken: connection.refreshToken };
      return {
        ...common,
        cloudId: connection.cloudId,
        siteName: connection.siteName,
        expiresAt: connection.expiresAt,
        scopes: connection.scopes,
        sealed: this.cipher.encrypt(JSON.stringify(secrets), aad),
      };
    }
    const secrets: ApiTokenSecrets = { email: connection.email, apiToken: connection.apiToken };
    return { ...common, sealed: this.cipher.encrypt(JSON.stringify(secrets), aad) };
  }

  private open(owner: ConnectionOwner, stored: StoredConnection): Connection {
    const { sealed, kind, cloudId, siteName, expiresAt, scopes, ...common } = stored;
    const secrets = JSON.parse(this.cipher.decrypt(sealed, associatedData(owner))) as OAuthSecrets & ApiTokenSecrets;
    if (kind === 'oauth') {
      return {
        ...common,
        kind,
        owner,
        cloudId: cloudId ?? '',
        siteName: siteName ?? '',
        expiresAt: expiresAt ?? 0,
        scopes: scopes ?? [],
        accessToken: secrets.accessToken,
        refreshToken: secrets.refreshToken,
      };
    }
    return { ...common, kind, owner, email: secrets.email, apiToken: secrets.apiToken };
  }
}

function itemKey(owner: ConnectionOwner): ItemKey {
  return { table: TABLE, partition: encodeURIComponent(owner.tenantId), row: encodeURIComponent(owner.userId) };
}

function associatedData(owner: ConnectionOwner): string {
  return `${TABLE}/${owner.tenantId}/${owner.userId}`;
}
