/**
 * `npm test`'s second step: finds the redis-server the cluster-mode tests start
 * (scripts/redis/find-redis-server.ts) or, on Debian or Ubuntu as root, installs Debian's. Otherwise
 * it stops the run with one line saying what to install, before anything else starts.
 */
import { aptGetInstall } from './debian/apt-get-install';
import { findRedisServer } from './redis/find-redis-server';
import { ensureTool } from './tools/ensure-tool';

ensureTool({
  label: 'redis-server for the cluster tests',
  find: () => findRedisServer(),
  // A set but wrong REDIS_SERVER_BIN is reported, not worked around by installing another one.
  install: () =>
    !process.env.REDIS_SERVER_BIN?.trim() &&
    process.env.REDIS_NO_INSTALL !== '1' &&
    aptGetInstall(['redis-server'], {
      announce: "No redis-server found: installing Debian's redis-server with apt-get (set REDIS_SERVER_BIN to use another one).",
      hint: 'install redis-server by hand or set REDIS_SERVER_BIN.',
    }),
});
