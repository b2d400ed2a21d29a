import { spawn } from 'node:child_process';
import { startOnFreePort } from './start-on-free-port';

export interface RedisServer {
  /** redis://127.0.0.1:<port> of a server with nothing in it. */
  url: string;
  stop(): Promise<void>;
}

/** Debian's redis-server; tests of cluster mode need it (apt-get install redis-server). */
const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

/**
 * Starts a throwaway redis-server on a free loopback port, without persistence, in a temp folder,
 * and resolves once it accepts connections. `stop` kills it: nothing in it is worth flushing.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const server = await startOnFreePort({
    name: `redis-server (${REDIS_SERVER})`,
    tempPrefix: 'jira-teams-redis-',
    readyText: 'Ready to accept connections',
    timeoutMs: 10_000,
    spawn: (port, dir) =>
      spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'notice'], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
  });
  return { url: `redis://127.0.0.1:${server.port}`, stop: () => server.stop() };
}
