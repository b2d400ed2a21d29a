import { randomUUID } from 'node:crypto';
import type { Logger } from '../log/create-logger';
import type { HubBus, HubMessage } from '../meetings/meeting-hub';
import type { Redis } from './open-redis';

export interface RedisHubBus extends HubBus {
  /** Stops listening; the connections are closed by their owner. */
  close(): Promise<void>;
}

const CHANNEL = 'jira-teams:meeting-hub';
const KINDS = new Set<HubMessage['kind']>(['publish', 'shown', 'issue-changed']);

/**
 * The meeting hub's bus over Redis pub/sub: one channel, each message tagged with the sending
 * instance so it skips its own. Redis delivers one connection's publishes in order, which the hub
 * relies on. Pub/sub keeps nothing: an instance that is down misses what was sent meanwhile, and
 * its panels reconnect and reload when it comes back.
 */
export async function redisHubBus(deps: { publisher: Redis; subscriber: Redis; logger: Logger; channel?: string }): Promise<RedisHubBus> {
  const channel = deps.channel ?? CHANNEL;
  const self = randomUUID();
  const handlers: Array<(message: HubMessage) => void> = [];
  const onMessage = (from: string, text: string) => {
    if (from !== channel) return;
    const message = parse(text);
    if (!message) {
      deps.logger.warn({ channel }, 'ignored a malformed meeting hub message');
      return;
    }
    if (message.from === self) return;
    for (const handler of handlers) handler(message.m);
  };
  deps.subscriber.on('message', onMessage);
  await deps.subscriber.subscribe(channel);
  return {
    send(message) {
      deps.publisher.publish(channel, JSON.stringify({ from: self, m: message })).catch((error: NodeJS.ErrnoException) => {
        // The panels of other instances miss this change until they reload; this instance's got it.
        deps.logger.warn({ code: error.code ?? error.name, kind: message.kind }, 'could not publish a meeting hub message');
      });
    },
    onMessage(handler) {
      handlers.push(handler);
    },
    async close() {
      deps.subscriber.off('message', onMessage);
      await deps.subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}

function parse(text: string): { from: string; m: HubMessage } | undefined {
  try {
    const value = JSON.parse(text) as { from?: unknown; m?: { kind?: unknown } };
    if (typeof value.from !== 'string' || typeof value.m !== 'object' || value.m === null) return undefined;
    if (!KINDS.has(value.m.kind as HubMessage['kind'])) return undefined;
    return value as { from: string; m: HubMessage };
  } catch {
    return undefined;
  }
}
