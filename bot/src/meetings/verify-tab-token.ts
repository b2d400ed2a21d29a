import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { ConnectionOwner } from '../connections/connection';
import { TabError } from './tab-error';
import { UNNAMED_PERSON } from '../jira/views/unnamed-person';

export interface TabUser {
  /** The same owner key as Jira connections: the Entra tenant and object id. */
  owner: ConnectionOwner;
  /** Display name from the token, shown to other attendees as who made a change. */
  name: string;
}

export interface TabSsoSettings {
  audiences: string[];
  jwksUrl: string;
  /** `{tenantid}` stands for the token's own `tid`. */
  issuerTemplate: string;
  /** The delegated scope the tab's token must carry (`scp`); default `access_as_user`, as Teams SSO apps expose. */
  scope?: string;
  /** Tenants whose users may call; empty or absent: any tenant (a multi-tenant app). */
  tenants?: readonly string[];
}

export const DEFAULT_TAB_SCOPE = 'access_as_user';

/** Entra and Teams clocks drift a little; a minute is the usual allowance. */
const CLOCK_TOLERANCE_SECONDS = 60;
const SIGN_IN_AGAIN = 'Your Teams sign-in could not be verified. Reload the tab; if this stays, sign out of Teams and in again.';

/**
 * Verifies the Teams SSO token of a tab request: RS256 signature against the JWKS (fetched once,
 * refetched when an unknown key id shows up), audience, expiry, the issuer of the tenant the
 * token itself names, an allowed tenant, and that it is a delegated token carrying the app's scope. Any failure is one 401 with no detail about why, for the caller or the log.
 */
export function tabTokenVerifier(settings: TabSsoSettings, deps: { keys?: JWTVerifyGetKey } = {}) {
  const keys = deps.keys ?? createRemoteJWKSet(new URL(settings.jwksUrl));
  const scope = settings.scope ?? DEFAULT_TAB_SCOPE;
  const tenants = new Set((settings.tenants ?? []).map((t) => t.toLowerCase()));
  return async function verifyTabToken(authorization: string | undefined): Promise<TabUser> {
    const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/i.exec(authorization ?? '');
    if (!match) throw new TabError('unauthenticated', 'Sign in to Teams to use this tab: the request carried no Teams sign-in token.');
    let payload;
    try {
      ({ payload } = await jwtVerify(match[1], keys, {
        algorithms: ['RS256'],
        audience: settings.audiences,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'tid', 'oid', 'iss'],
      }));
    } catch {
      throw new TabError('unauthenticated', SIGN_IN_AGAIN);
    }
    const { tid, oid, name, iss, scp, idtyp } = payload as { tid?: unknown; oid?: unknown; name?: unknown; iss?: unknown; scp?: unknown; idtyp?: unknown };
    // The issuer is checked once the signature holds, so the tid it is built from can be trusted.
    if (typeof tid !== 'string' || typeof oid !== 'string' || !tid || !oid || iss !== settings.issuerTemplate.replace(/\{tenantid\}/gi, tid)) {
      throw new TabError('unauthenticated', SIGN_IN_AGAIN);
    }
    // An app-only token (client credentials: `roles`, no `scp`, `idtyp: app`) names no signed-in
    // user, only a service principal whose oid would then pass for a person. Only a delegated token
    // issued for this app's own scope says a user is using this tab.
    if (idtyp === 'app' || typeof scp !== 'string' || !scp.split(' ').includes(scope)) {
      throw new TabError('unauthenticated', SIGN_IN_AGAIN);
    }
    if (tenants.size > 0 && !tenants.has(tid.toLowerCase())) throw new TabError('unauthenticated', SIGN_IN_AGAIN);
    return { owner: { tenantId: tid, userId: oid }, name: typeof name === 'string' && name.trim() ? name.trim() : UNNAMED_PERSON };
  };
}

export type VerifyTabToken = ReturnType<typeof tabTokenVerifier>;
