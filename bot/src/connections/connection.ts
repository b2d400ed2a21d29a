/**
 * A user's own link to one Jira site. Connections are per Teams user within a tenant and are
 * never shared: every Jira call made for a user runs with that user's token and permissions.
 * These are the decrypted, in-memory shapes; the repository encrypts the secrets at rest.
 */
export interface ConnectionOwner {
  tenantId: string;
  /** The user's Entra object id (aadObjectId) when Teams sends one, else the Teams user id. */
  userId: string;
}

export type ConnectionStatus = 'active' | 'needsReconnect';

interface ConnectionBase {
  owner: ConnectionOwner;
  siteUrl: string;
  accountId: string;
  displayName: string;
  status: ConnectionStatus;
  createdAt: number;
  updatedAt: number;
}

export interface OAuthConnection extends ConnectionBase {
  kind: 'oauth';
  cloudId: string;
  siteName: string;
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
  scopes: string[];
}

export interface ApiTokenConnection extends ConnectionBase {
  kind: 'apiToken';
  email: string;
  apiToken: string;
}

export type Connection = OAuthConnection | ApiTokenConnection;

/** Picks the stable Teams identity of the sender of an activity (`from.aadObjectId`, else `from.id`). */
export function connectionOwner(tenantId: string, from: { id: string; aadObjectId?: string }): ConnectionOwner {
  return { tenantId, userId: from.aadObjectId || from.id };
}
