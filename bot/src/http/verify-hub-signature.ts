import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/** Key objects per secret: building the HMAC key from a string was a fifth of each check's cost. */
const keys = new Map<string, KeyObject>();
const MAX_KEYS = 1_000;
const keyOf = (secret: string): KeyObject => {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= MAX_KEYS) keys.clear();
    keys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  }
  return key;
};

/**
 * Checks the `X-Hub-Signature: sha256=<hex>` Jira Cloud puts on admin webhooks saved with a
 * secret: HMAC-SHA256 of the raw body (the bytes as received, or their UTF-8 text). Compared in
 * constant time.
 */
export function verifyHubSignature(secret: string, rawBody: string | Buffer, header: string | undefined): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (!match || !secret) return false;
  // A string is hashed as its UTF-8 bytes, which is what Jira signed.
  const expected = createHmac('sha256', keyOf(secret)).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}
