import { spawn } from 'node:child_process';
import { openRedis, type Redis } from '../../src/cluster/open-redis';
import { createLogger } from '../../src/log/create-logger';
import { findRedisServer } from '../../../scripts/redis/find-redis-server';
import { startOnFreePort } from './start-on-free-port';

export interface RedisServer {
  /** redis://127.0.0.1:<port> of a server with nothing in it. */
  url: string;
  stop(): Promise<void>;
}

/** The one npm test's first steps found or installed (scripts/ensure-redis-server.ts). */
function redisServerBin(): string {
  const lookup = findRedisServer();
  if (!lookup.found) throw new Error(lookup.message);
  return lookup.path;
}

/**
 * Starts a throwaway redis-server on a free loopback port, without persistence, in a temp folder,
 * and resolves once it accepts connections. `stop` kills it: nothing in it is worth flushing.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const bin = redisServerBin();
  const server = await startOnFreePort({
    name: `redis-server (${bin})`,
    tempPrefix: 'jira-teams-redis-',
    readyText: 'Ready to accept connections',
    timeoutMs: 10_000,
    spawn: (port, dir) =>
      spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'notice'], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
  });
  return { url: `redis://127.0.0.1:${server.port}`, stop: () => server.stop() };
}

interface RedisServerHook {
  /** The suite's server; read it inside a test or hook, once `before` has run. */
  readonly url: string;
  /** A client of the suite's server (as the service opens one), quit after the suite. */
  client(role?: string): Promise<Redis>;
}

/**
 * Mocha hooks for a suite that talks to Redis: one redis-server started before its tests and
 * stopped after them, with every client opened through `client()` quit first, so no socket or
 * child outlives the file (the leak check would fail it). Mocha runs after-hooks in the order they
 * were given: a suite whose service uses the server registers its own after-hook (closing the
 * service) before calling this, so the service stops before the server does.
 */
export function useRedisServer(): RedisServerHook {
  let server: RedisServer | undefined;
  const clients: Redis[] = [];
  const logger = createLogger({ level: 'silent' });
  before(async () => {
    server = await startRedisServer();
  });
  after(async () => {
    // A client a test disconnected refuses quit; that is fine, it holds no socket.
    await Promise.allSettled(clients.splice(0).map((c) => c.quit()));
    await server?.stop();
  });
  return {
    get url() {
      if (!server) throw new Error('redis-server is not started yet: use it inside a test or hook');
      return server.url;
    },
    async client(role = 'test') {
      const c = await openRedis(this.url, role, logger);
      clients.push(c);
      return c;
    },
  };
}
