import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks the `X-Hub-Signature: sha256=<hex>` Jira Cloud puts on admin webhooks saved with a
 * secret: HMAC-SHA256 of the raw body (the bytes as received, or their UTF-8 text). Compared in
 * constant time.
 */
export function verifyHubSignature(secret: string, rawBody: string | Buffer, header: string | undefined): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (!match || !secret) return false;
  // A string is hashed as its UTF-8 bytes, which is what Jira signed.
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}
