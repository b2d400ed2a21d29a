import type { AdaptiveCard } from '../cards/adaptive-card';
import type { AlertTarget } from './alert-outbox';

/** Proactive sends into a conversation; rejects with the Bot Connector's error (statusCode) on failure. */
export interface AlertSender {
  /** Resolves with the new message's activity id. */
  post(target: AlertTarget, card: AdaptiveCard): Promise<string>;
  update(target: AlertTarget, activityId: string, card: AdaptiveCard): Promise<void>;
  /** Posts into the thread of a channel message; elsewhere (chats have no threads) a plain post. */
  reply(target: AlertTarget, rootActivityId: string, card: AdaptiveCard): Promise<string>;
}
