import { SignJWT } from 'jose';

export interface WebhookJwtClaims {
  clientId: string;
  accountId: string;
  issuer: string;
  nowMs: number;
}

// Short, as a per-request token should be; a retry signs a fresh one.
const LIFETIME_SECONDS = 180;

/**
 * The bearer token on a dynamic webhook delivered to an OAuth 2.0 app, HS256 with the app's client secret.
 * Atlassian documents the signing key and algorithm, not the claim set; receivers should check the
 * signature and `exp`. The simulator sets `iss` (the site), `aud` (client id) and `sub` (the user who
 * registered the webhook).
 */
export function signWebhookJwt(clientSecret: string, claims: WebhookJwtClaims): Promise<string> {
  const iat = Math.floor(claims.nowMs / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(claims.issuer)
    .setAudience(claims.clientId)
    .setSubject(claims.accountId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + LIFETIME_SECONDS)
    .sign(new TextEncoder().encode(clientSecret));
}
