import { createHmac } from 'node:crypto';

/**
 * The `X-Hub-Signature` value Jira Cloud sends for an admin webhook saved with a secret:
 * HMAC-SHA256 of the raw body keyed on the secret, in WebSub's `sha256=<hex>` form.
 */
export function hubSignature(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}
