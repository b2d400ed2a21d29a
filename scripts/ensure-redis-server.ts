/**
 * `npm test`'s second step: finds the redis-server the cluster-mode tests start
 * (scripts/redis/find-redis-server.ts) or, on Debian or Ubuntu as root, installs Debian's. Otherwise
 * it stops the run with one line saying what to install, before anything else starts.
 */
import { aptGetInstall } from './debian/apt-get-install';
import { findRedisServer } from './redis/find-redis-server';

function main(): void {
  let lookup = findRedisServer();
  const mayInstall = !lookup.found && !process.env.REDIS_SERVER_BIN?.trim() && process.env.REDIS_NO_INSTALL !== '1';
  if (
    mayInstall &&
    aptGetInstall(['redis-server'], {
      announce: "No redis-server found: installing Debian's redis-server with apt-get (set REDIS_SERVER_BIN to use another one).",
      hint: 'install redis-server by hand or set REDIS_SERVER_BIN.',
    })
  ) {
    lookup = findRedisServer();
  }
  if (!lookup.found) {
    console.error(lookup.message);
    process.exitCode = 1;
    return;
  }
  console.log(`redis-server for the cluster tests: ${lookup.path} (from ${lookup.source})`);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
