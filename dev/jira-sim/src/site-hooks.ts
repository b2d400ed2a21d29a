/**
 * The narrow seams between the core and the OAuth and webhook modules: the core only verifies
 * bearer tokens and publishes changes, so either module can be replaced without touching routes.
 */
import type { WebhookEventPayload } from './webhook-event';

export interface TokenVerifier {
  verifyAccessToken(token: string): { accountId: string; clientId: string; scopes: string[] } | null;
}

/**
 * True when the changed issue matches a webhook's JQL. With `asAccountId` (a dynamic webhook's user)
 * currentUser() is that user, and an issue the user cannot browse never matches.
 */
export type ChangeMatcher = (jql: string, asAccountId?: string) => boolean;

export interface ChangePublisher {
  publish(payload: WebhookEventPayload, matches: ChangeMatcher): void;
}
