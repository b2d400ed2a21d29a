import type { ToolLookup } from '../tools/ensure-tool';
import { isExecutableFile, onPath } from '../tools/executables';

/**
 * The redis-server the cluster tests start: REDIS_SERVER_BIN when set, else `redis-server` on PATH.
 * One finder for the tests and for `npm test`'s first steps, so both agree on what is there.
 */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): ToolLookup {
  const configured = env.REDIS_SERVER_BIN?.trim();
  if (configured) {
    return isExecutableFile(configured)
      ? { found: true, path: configured, source: 'REDIS_SERVER_BIN' }
      : { found: false, message: `REDIS_SERVER_BIN is ${configured}, which is not an executable file.` };
  }
  const found = onPath(['redis-server'], env);
  if (found) return { found: true, path: found, source: 'PATH' };
  return {
    found: false,
    message:
      'No redis-server found: the cluster-mode tests start one. Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_SERVER_BIN=/path/to/redis-server.',
  };
}
