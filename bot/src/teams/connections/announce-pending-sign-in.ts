import { escapeCardLine } from '../../cards/adaptive-card';
import type { SignInAwaitingCode } from '../../connections/oauth-connect-flow';
import type { ProactiveAdapter } from '../proactive-adapter';
import { tellAsker, type TellAskerDeps } from './tell-asker';

/**
 * Once consent is given on a user's sign-in link, tells that user in the chat they asked from,
 * naming the Atlassian account that consented. The asker learns of a link someone else opened
 * even when that person never sends the code (and nothing gets connected).
 */
export function announcePendingSignIn(deps: TellAskerDeps & { adapter: ProactiveAdapter }): (pending: SignInAwaitingCode) => Promise<void> {
  return async (pending) => {
    const minutes = Math.max(1, Math.round(pending.validForMs / 60_000));
    await tellAsker(
      deps.adapter,
      deps,
      pending.asker,
      pending.conversationId,
      `Someone just signed in to Atlassian from your sign-in link as **${escapeCardLine(pending.displayName)}** (${escapeCardLine(pending.siteName)}). ` +
        `If that was you, send the code from that page here within ${minutes} minutes to finish connecting. If it was not you, do nothing: nothing is connected.`,
    );
  };
}
