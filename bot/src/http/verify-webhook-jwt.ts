import { jwtVerify, type JWTPayload } from 'jose';

export type WebhookJwtClaims = Pick<JWTPayload, 'iss' | 'sub' | 'aud' | 'exp' | 'iat'>;

const CLOCK_SKEW_SECONDS = 60;

/**
 * Verifies the `Authorization: Bearer <jwt>` on a dynamic webhook for an OAuth 2.0 app: HS256
 * signed with the app's client secret. Atlassian documents the key and algorithm, not the claim
 * set, so only those, `exp` (required) and, when the token names one, the audience are checked.
 * Resolves undefined for anything forged, expired or malformed.
 */
export async function verifyWebhookJwt(
  authorization: string | undefined,
  clientSecret: string,
  options: { audience?: string; nowMs?: number } = {},
): Promise<WebhookJwtClaims | undefined> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
  if (!token || !clientSecret) return undefined;
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, new TextEncoder().encode(clientSecret), {
      // Only HS256: `none` or an asymmetric alg with the secret as "public key" must never pass.
      algorithms: ['HS256'],
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: new Date(options.nowMs ?? Date.now()),
    }));
  } catch {
    return undefined;
  }
  // jose's own audience check would refuse a token without `aud`; Atlassian does not promise one.
  if (options.audience !== undefined && claims.aud !== undefined) {
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(options.audience)) return undefined;
  }
  return claims;
}
