import { createHmac, timingSafeEqual } from 'node:crypto';

export interface WebhookJwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  iat?: number;
}

const CLOCK_SKEW_SECONDS = 60;

/**
 * Verifies the `Authorization: Bearer <jwt>` on a dynamic webhook for an OAuth 2.0 app: HS256
 * signed with the app's client secret (Atlassian documents the key and algorithm, so only those,
 * `exp` and, when given, the audience are checked). Resolves undefined for anything forged,
 * expired or malformed. HS256 is checked by hand: one HMAC, no key discovery, no dependency.
 */
export function verifyWebhookJwt(
  authorization: string | undefined,
  clientSecret: string,
  options: { audience?: string; nowMs?: number } = {},
): WebhookJwtClaims | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
  if (!token || !clientSecret) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [headerPart, payloadPart, signaturePart] = parts;
  const header = decode(headerPart) as { alg?: string } | undefined;
  // Only HS256: `none` or an asymmetric alg with the secret as "public key" must never pass.
  if (header?.alg !== 'HS256') return undefined;
  const expected = createHmac('sha256', clientSecret).update(`${headerPart}.${payloadPart}`).digest();
  const given = Buffer.from(signaturePart, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const claims = decode(payloadPart) as WebhookJwtClaims | undefined;
  if (!claims || typeof claims.exp !== 'number') return undefined;
  const now = Math.floor((options.nowMs ?? Date.now()) / 1000);
  if (claims.exp + CLOCK_SKEW_SECONDS < now) return undefined;
  if (options.audience !== undefined && claims.aud !== undefined) {
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(options.audience)) return undefined;
  }
  return claims;
}

function decode(part: string): unknown {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
