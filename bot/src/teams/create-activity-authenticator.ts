import type { Activity } from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import type { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
import type { Config } from '../config';
import type { Logger } from '../log/create-logger';
import { captureBotbuilderConsole } from './capture-botbuilder-console';

/**
 * Stands in for the activity not read yet. Teams is the only channel; its keys are endorsed for
 * msteams. An empty serviceUrl skips only the serviceurl claim check, which the adapter makes later.
 */
const UNREAD_ACTIVITY = { channelId: 'msteams', serviceUrl: '' } as Activity;

/**
 * Checks an activity's Bot Framework token from the Authorization header alone, with the
 * adapter's own settings (issuers, signing keys, app id), so the HTTP layer can turn away an
 * unauthenticated sender before reading its body. The adapter checks again with the activity
 * (the token's serviceUrl claim against the activity's): this check only decides whether the body
 * is worth reading. Undefined in local mode, where the adapter authenticates nothing.
 */
export function createActivityAuthenticator(adapter: TeamsAdapter, bot: Config['bot'], logger: Logger): ((authorization: string | undefined) => Promise<boolean>) | undefined {
  if (!bot.id) return undefined;
  // The adapter keeps it protected; it is the one instance built from the bot's settings. (Its
  // authenticateChannelRequest would check key endorsements for the channel "unknown", which no
  // Bot Connector key carries.)
  const auth = (adapter as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication }).botFrameworkAuthentication;
  return async (authorization) => {
    if (!authorization || !/^Bearer\s+\S+$/i.test(authorization.trim())) return false;
    try {
      await captureBotbuilderConsole(logger, () => auth.authenticateRequest(UNREAD_ACTIVITY, authorization.trim()));
      return true;
    } catch (error) {
      logger.debug({ reason: error instanceof Error ? error.name : typeof error }, 'activity token refused before reading the body');
      return false;
    }
  };
}
