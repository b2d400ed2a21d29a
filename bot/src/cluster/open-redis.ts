import { Redis } from 'ioredis';
import type { Logger } from '../log/create-logger';

export type { Redis } from 'ioredis';

/**
 * Connects to Redis and resolves once it answers. `role` names the connection in logs (a
 * subscriber connection can run nothing but pub/sub commands, so cluster mode holds two). Errors
 * are logged by code only: the URL carries the cache's access key.
 */
export async function openRedis(url: string, role: string, logger: Logger): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectionName: `jira-teams-${role}`,
    // A command waits through a short outage, then fails, so a caller can decide instead of hanging.
    maxRetriesPerRequest: 3,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 5_000),
  });
  let lastCode: string | undefined;
  client.on('error', (error: NodeJS.ErrnoException) => {
    const code = error.code ?? error.name;
    // A down server reports each retry: say it once per change of cause.
    if (code === lastCode) return;
    lastCode = code;
    logger.warn({ code, role }, 'redis connection failed; retrying');
  });
  client.on('ready', () => {
    if (lastCode !== undefined) logger.info({ role }, 'redis connection restored');
    lastCode = undefined;
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
    throw Object.assign(new Error(`Could not connect to Redis (REDIS_URL) as ${role}: ${code}`), { code: 'redisUnavailable' });
  }
  return client;
}
