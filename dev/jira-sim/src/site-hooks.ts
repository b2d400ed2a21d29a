/**
 * The narrow seams between the core and the OAuth and webhook modules: the core only verifies
 * bearer tokens and publishes changes, so either module can be replaced without touching routes.
 */
import type { JqlMatcher, WebhookEventPayload } from './webhook-event';

export interface TokenVerifier {
  verifyAccessToken(token: string): { accountId: string; clientId: string; scopes: string[] } | null;
}

export interface ChangePublisher {
  publish(payload: WebhookEventPayload, matches: JqlMatcher): void;
}
