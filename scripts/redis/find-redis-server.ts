import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export type RedisServerLookup = { found: true; path: string; source: string } | { found: false; message: string };

/**
 * The redis-server the cluster tests start: REDIS_SERVER_BIN when set, else `redis-server` on PATH.
 * One finder for the tests and for `npm test`'s first steps, so both agree on what is there.
 */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): RedisServerLookup {
  const configured = env.REDIS_SERVER_BIN?.trim();
  if (configured) {
    return isExecutable(configured)
      ? { found: true, path: configured, source: 'REDIS_SERVER_BIN' }
      : { found: false, message: `REDIS_SERVER_BIN is ${configured}, which is not an executable file.` };
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'redis-server');
    if (isExecutable(candidate)) return { found: true, path: candidate, source: 'PATH' };
  }
  return {
    found: false,
    message:
      'No redis-server found: the cluster-mode tests start one. Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_SERVER_BIN=/path/to/redis-server.',
  };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
