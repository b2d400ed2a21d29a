import { jwtVerify, type JWTPayload } from 'jose';
import { siteKey } from '../jira/site-url';

export type WebhookJwtClaims = Pick<JWTPayload, 'iss' | 'sub' | 'aud' | 'exp' | 'iat'>;

const CLOCK_SKEW_SECONDS = 60;

export interface WebhookJwtExpectations {
  /** Our OAuth client id: the token must name it in `aud`. */
  audience: string;
  /** What `iss` may be for the route's site: its URL (any case, trailing slashes ignored) or its cloud id. */
  issuers: readonly string[];
  nowMs?: number;
}

/**
 * Verifies the `Authorization: Bearer <jwt>` on a dynamic webhook for an OAuth 2.0 app: HS256
 * signed with the app's client secret, which is what Atlassian documents. Because one secret
 * signs every site's callbacks, the signature alone does not say which site sent it: the token
 * must also carry `exp`, `aud` (our client id) and `iss` naming the route's own site, or it is
 * refused. Resolves undefined for anything forged, expired, unbound or malformed.
 */
export async function verifyWebhookJwt(authorization: string | undefined, clientSecret: string, expected: WebhookJwtExpectations): Promise<WebhookJwtClaims | undefined> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
  if (!token || !clientSecret || !expected.audience) return undefined;
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, new TextEncoder().encode(clientSecret), {
      // Only HS256: `none` or an asymmetric alg with the secret as "public key" must never pass.
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'iss', 'aud'],
      audience: expected.audience,
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: new Date(expected.nowMs ?? Date.now()),
    }));
  } catch {
    return undefined;
  }
  // Compared by hand rather than with jose's `issuer`: a site URL may differ in case or trailing slash.
  const issuer = typeof claims.iss === 'string' ? siteKey(claims.iss) : '';
  if (!issuer || !expected.issuers.some((allowed) => siteKey(allowed) === issuer)) return undefined;
  return claims;
}
