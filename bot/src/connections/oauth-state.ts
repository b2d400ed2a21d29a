import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { ConnectionOwner } from './connection';

/** What the `state` parameter carries through Atlassian's consent page and back. */
export interface OAuthStatePayload {
  /** Single-use nonce: the key of the pending record that holds the PKCE verifier. */
  nonce: string;
  owner: ConnectionOwner;
  /** The Teams conversation the user asked from, so the callback can answer there. */
  conversationId: string;
  /** Epoch milliseconds after which the state is refused. */
  expiresAt: number;
}

/**
 * A signing key derived from the token key, so no second secret has to be managed. Each purpose
 * gets its own key: a start-link ticket can never pass as a callback state, or the reverse.
 */
export function oauthStateKey(tokenKey: Buffer, purpose: 'state' | 'start' = 'state'): Buffer {
  return Buffer.from(hkdfSync('sha256', tokenKey, Buffer.alloc(0), `jira-teams oauth ${purpose} v1`, 32));
}

export function signOAuthState(payload: OAuthStatePayload, key: Buffer): string {
  const body = Buffer.from(JSON.stringify({ n: payload.nonce, t: payload.owner.tenantId, u: payload.owner.userId, c: payload.conversationId, e: payload.expiresAt })).toString(
    'base64url',
  );
  return `${body}.${mac(body, key)}`;
}

/** The payload when the signature holds and the state has not expired; undefined otherwise. */
export function verifyOAuthState(state: string, key: Buffer, now: number): OAuthStatePayload | undefined {
  const [body, signature, extra] = state.split('.');
  if (!body || !signature || extra !== undefined) return undefined;
  const expected = Buffer.from(mac(body, key));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let raw: { n?: unknown; t?: unknown; u?: unknown; c?: unknown; e?: unknown };
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof raw;
  } catch {
    return undefined;
  }
  const { n, t, u, c, e } = raw;
  if (typeof n !== 'string' || typeof t !== 'string' || typeof u !== 'string' || typeof c !== 'string' || typeof e !== 'number') {
    return undefined;
  }
  if (now >= e) return undefined;
  return { nonce: n, owner: { tenantId: t, userId: u }, conversationId: c, expiresAt: e };
}

function mac(body: string, key: Buffer): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}
