import { createHash } from 'node:crypto';

/**
 * RFC 7636 check. Only S256 is accepted: Atlassian documents S256, and a `plain` challenge would let a
 * leaked authorization URL redeem the code.
 */
export function pkceMatches(verifier: string, challenge: string, method: string): boolean {
  if (method !== 'S256') return false;
  const digest = createHash('sha256').update(verifier, 'ascii').digest('base64url');
  return digest === challenge;
}
