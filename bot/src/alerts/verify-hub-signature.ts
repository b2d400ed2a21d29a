import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks the `X-Hub-Signature: sha256=<hex>` Jira Cloud puts on admin webhooks saved with a
 * secret: HMAC-SHA256 of the raw body. Compared in constant time.
 */
export function verifyHubSignature(secret: string, rawBody: string, header: string | undefined): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (!match || !secret) return false;
  const expected = createHmac('sha256', secret).update(rawBody, 'utf8').digest();
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}
