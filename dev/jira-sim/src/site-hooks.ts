/**
 * The narrow seams between the core and the OAuth and webhook modules: the core needs only to
 * verify a bearer token and to publish a change. Tests can pass their own.
 */
import type { JqlMatcher, WebhookEventPayload } from './webhook-event';

export interface TokenVerifier {
  verifyAccessToken(token: string): { accountId: string; clientId: string; scopes: string[] } | null;
}

export interface ChangePublisher {
  publish(payload: WebhookEventPayload, matches: JqlMatcher): void;
}

export const NO_TOKENS: TokenVerifier = { verifyAccessToken: () => null };
export const NO_PUBLISHER: ChangePublisher = { publish: () => undefined };
