import { randomBytes } from 'node:crypto';
import { pkceMatches } from './pkce-matches';

/** An error the token endpoint answers with, in auth.atlassian.com's shape and status. */
export interface OAuthFailure {
  status: number;
  error: string;
  description: string;
}

export interface TokenSet {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
}

export interface AccessTokenInfo {
  accountId: string;
  clientId: string;
  scopes: string[];
}

export interface CodeRequest {
  clientId: string;
  accountId: string;
  scopes: string[];
  redirectUri: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
}

export interface TokenLedgerOptions {
  now: () => number;
  accessTokenTtlSeconds: number;
  codeTtlSeconds: number;
  /** Atlassian accepts a rotated refresh token again within this window; later reuse revokes the grant. */
  reuseLeewayMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
// Atlassian's rotating refresh tokens: 90 days of inactivity, 365 days absolute.
const REFRESH_INACTIVITY_MS = 90 * DAY_MS;
const REFRESH_ABSOLUTE_MS = 365 * DAY_MS;
const OFFLINE_ACCESS = 'offline_access';

interface PendingCode extends CodeRequest {
  expiresAt: number;
  redeemedFamily?: TokenFamily;
}

/** One consent's chain of rotating refresh tokens; revoking it kills every token it issued. */
interface TokenFamily {
  clientId: string;
  accountId: string;
  scopes: string[];
  createdAt: number;
  revoked: boolean;
}

interface RefreshRecord {
  family: TokenFamily;
  issuedAt: number;
  rotatedAt?: number;
}

interface AccessRecord {
  family: TokenFamily;
  expiresAt: number;
}

const invalidCode: OAuthFailure = { status: 403, error: 'invalid_grant', description: 'Invalid authorization code' };
const invalidRefresh: OAuthFailure = {
  status: 403,
  error: 'invalid_grant',
  description: 'Unknown or invalid refresh token.',
};

/** Authorization codes, access tokens and rotating refresh tokens, held in memory. */
export function createTokenLedger(options: TokenLedgerOptions) {
  const codes = new Map<string, PendingCode>();
  const refreshTokens = new Map<string, RefreshRecord>();
  const accessTokens = new Map<string, AccessRecord>();
  const families: TokenFamily[] = [];

  function issueTokens(family: TokenFamily): TokenSet {
    const now = options.now();
    const accessToken = opaqueToken('at');
    accessTokens.set(accessToken, { family, expiresAt: now + options.accessTokenTtlSeconds * 1000 });
    const tokens: TokenSet = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: options.accessTokenTtlSeconds,
      scope: family.scopes.join(' '),
    };
    if (family.scopes.includes(OFFLINE_ACCESS)) {
      const refreshToken = opaqueToken('rt');
      refreshTokens.set(refreshToken, { family, issuedAt: now });
      tokens.refresh_token = refreshToken;
    }
    return tokens;
  }

  return {
    issueCode(request: CodeRequest): string {
      const code = opaqueToken('code');
      codes.set(code, { ...request, expiresAt: options.now() + options.codeTtlSeconds * 1000 });
      return code;
    },

    redeemCode(input: { clientId: string; code: string; redirectUri: string; codeVerifier?: string }): TokenSet | OAuthFailure {
      const pending = codes.get(input.code);
      if (!pending || pending.clientId !== input.clientId) return invalidCode;
      if (pending.redeemedFamily) {
        // RFC 6749 §4.1.2: a code presented twice may have leaked, so the tokens it produced die too.
        pending.redeemedFamily.revoked = true;
        return invalidCode;
      }
      if (options.now() >= pending.expiresAt) {
        codes.delete(input.code);
        return invalidCode;
      }
      if (pending.redirectUri !== input.redirectUri) {
        return { status: 403, error: 'invalid_grant', description: 'Invalid redirect_uri' };
      }
      if (pending.codeChallenge !== undefined) {
        const method = pending.codeChallengeMethod ?? 'S256';
        if (!input.codeVerifier || !pkceMatches(input.codeVerifier, pending.codeChallenge, method)) {
          return { status: 403, error: 'invalid_grant', description: 'Failed to verify code verifier' };
        }
      }
      const family: TokenFamily = {
        clientId: pending.clientId,
        accountId: pending.accountId,
        scopes: pending.scopes,
        createdAt: options.now(),
        revoked: false,
      };
      families.push(family);
      pending.redeemedFamily = family;
      return issueTokens(family);
    },

    refresh(input: { clientId: string; refreshToken: string }): TokenSet | OAuthFailure {
      const record = refreshTokens.get(input.refreshToken);
      if (!record || record.family.clientId !== input.clientId || record.family.revoked) return invalidRefresh;
      const now = options.now();
      const lastActivity = record.issuedAt;
      if (now - lastActivity >= REFRESH_INACTIVITY_MS || now - record.family.createdAt >= REFRESH_ABSOLUTE_MS) {
        return invalidRefresh;
      }
      if (record.rotatedAt !== undefined && now - record.rotatedAt > options.reuseLeewayMs) {
        // Reuse outside the leeway looks like a stolen token: Atlassian invalidates the whole family.
        record.family.revoked = true;
        return invalidRefresh;
      }
      record.rotatedAt ??= now;
      return issueTokens(record.family);
    },

    verifyAccessToken(token: string): AccessTokenInfo | null {
      const record = accessTokens.get(token);
      if (!record || record.family.revoked || options.now() >= record.expiresAt) return null;
      return { accountId: record.family.accountId, clientId: record.family.clientId, scopes: [...record.family.scopes] };
    },

    revokeGrant(accountId: string, clientId: string): void {
      for (const family of families) {
        if (family.accountId === accountId && family.clientId === clientId) family.revoked = true;
      }
      // A code consented to before the revocation must not mint tokens after it.
      for (const [code, pending] of codes) {
        if (pending.accountId === accountId && pending.clientId === clientId && !pending.redeemedFamily) codes.delete(code);
      }
    },
  };
}

export function isOAuthFailure(value: TokenSet | OAuthFailure): value is OAuthFailure {
  return 'error' in value;
}

function opaqueToken(kind: string): string {
  return `sim-${kind}-${randomBytes(24).toString('base64url')}`;
}
