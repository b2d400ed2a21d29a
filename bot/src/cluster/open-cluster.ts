import { sendLimits, type SendLimits } from '../alerts/send-limits';
import { systemClock } from '../jira/clock';
import type { SiteScheduler } from '../jira/site-scheduler';
import type { Logger } from '../log/create-logger';
import type { HubBus } from '../meetings/meeting-hub';
import { openRedis } from './open-redis';
import { redisHubBus } from './redis-hub-bus';
import { redisJiraBudget } from './redis-jira-budget';
import { redisSendLimits } from './redis-send-limits';
import { sharedHoldScheduler } from './shared-hold-scheduler';

/** What cluster mode shares through Redis; start-bot.ts hands each part to its feature. */
export interface Cluster {
  hubBus: HubBus;
  /** Teams' send limits as the delivery worker sees them: every conversation's windows and the per-app window, shared by all instances. */
  sendLimits: SendLimits;
  /** The Jira scheduler: Retry-After holds one instance is given apply on all of them, and the points budget is one for all. */
  jiraScheduler: SiteScheduler;
  /** Ends subscriptions and closes the connections; call after everything that uses them stopped. */
  close(): Promise<void>;
}

/** Opens the Redis connections of cluster mode (one for commands, one for pub/sub). */
export async function openCluster(options: { redisUrl: string }, logger: Logger): Promise<Cluster> {
  const commands = await openRedis(options.redisUrl, 'commands', logger);
  let subscriber;
  try {
    subscriber = await openRedis(options.redisUrl, 'subscriber', logger);
  } catch (error) {
    commands.disconnect();
    throw error;
  }
  const hubBus = await redisHubBus({ publisher: commands, subscriber, logger });
  const jira = await sharedHoldScheduler({ publisher: commands, subscriber, logger, options: { sharedBudget: redisJiraBudget(commands, logger) } });
  return {
    hubBus,
    jiraScheduler: jira.scheduler,
    sendLimits: redisSendLimits({ redis: commands, local: sendLimits({ clock: systemClock }), clock: systemClock, logger }),
    async close() {
      await hubBus.close();
      await jira.close();
      await Promise.allSettled([commands.quit(), subscriber.quit()]);
    },
  };
}
