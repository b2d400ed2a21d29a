import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AlertTimings } from '../../../src/alerts/create-alerts';
import type { Env } from '../../../src/config';
import type { InstanceMessage } from './cluster-instance';

export interface ClusterInstance {
  /** "bot-1", "bot-2"...: for messages. */
  name: string;
  /** The instance's own http://127.0.0.1:<port>, bypassing the front. */
  url: string;
  pid: number;
  /** False once the process exited (killed or stopped). */
  readonly alive: boolean;
  /** `kill -9`: resolves once the process is gone. Nothing is flushed, nothing released. */
  kill(): Promise<void>;
  /** Graceful stop (in-flight sends finish, leases are given up); resolves once it exited. */
  stop(): Promise<void>;
  /** The last 64 KB the process wrote (pino JSON at `logLevel`), for a failing test's message. */
  output(): string;
}

export interface BotCluster {
  /** The round-robin front: every request goes to the next live instance. */
  url: string;
  instances: ClusterInstance[];
  /** Requests the front passed to each instance, by name (refused ones included). */
  forwarded: Map<string, number>;
  /** Stops the front and every live instance (gracefully); safe to call twice. */
  close(): Promise<void>;
}

export interface BotClusterOptions {
  /** How many instances; default 3. */
  instances?: number;
  /**
   * The service's environment for every instance (STORE=azure, AZURE_STORAGE_CONNECTION_STRING,
   * REDIS_URL, JIRA_BASE_URL, TOKEN_ENCRYPTION_KEY...); PORT, HOST and DATA_DIR are set per instance.
   */
  env: Env;
  /** Test-only alert worker timings (shorter leases and sweeps) for every instance. */
  timings?: AlertTimings;
  /** Default "warn": what output() keeps. */
  logLevel?: string;
  /** How long an instance may take to start (tsx compiles on the first start; a busy machine is slow); default 90 s. */
  startTimeoutMs?: number;
}

const OUTPUT_KEPT = 64 * 1024;
const ENTRY = path.join(__dirname, 'cluster-instance.ts');

/**
 * Starts N bot instances as child processes (`node --import tsx`, so SIGKILL is a real crash) on
 * the store and Redis `env` names, and a small round-robin HTTP front on loopback before them,
 * as App Service's load balancer spreads requests over instances. A request to an instance that
 * refuses or drops the connection (one that was killed) is answered 502 by the front, which then
 * skips that instance; the client retries, as Jira retries a failed webhook.
 */
export async function startBotCluster(options: BotClusterOptions): Promise<BotCluster> {
  const count = options.instances ?? 3;
  const started = await Promise.allSettled(Array.from({ length: count }, (_, i) => startInstance(`bot-${i + 1}`, options)));
  const instances = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(instances.map((i) => i.kill()));
    throw failed.reason;
  }
  const front = await startRoundRobinFront(instances);
  let closing: Promise<void> | undefined;
  return {
    url: front.url,
    instances,
    forwarded: front.forwarded,
    close() {
      closing ??= (async () => {
        await front.close();
        await Promise.all(instances.map((i) => i.stop()));
      })();
      return closing;
    },
  };
}

async function startInstance(name: string, options: BotClusterOptions): Promise<ClusterInstance> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-cluster-'));
  const child: ChildProcess = fork(ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      JIRA_ALLOWED_SITES: 'http://127.0.0.1:*',
      LOG_LEVEL: options.logLevel ?? 'warn',
      ...options.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      JIRA_TEAMS_TEST_ALERT_TIMINGS: JSON.stringify(options.timings ?? {}),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanup = () => fs.rmSync(dataDir, { recursive: true, force: true });
  void exited.then(cleanup);

  const timeoutMs = options.startTimeoutMs ?? 90_000;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs / 1000} s`), timeoutMs);
    const onMessage = (message: InstanceMessage) => {
      if (message.type === 'ready') {
        done();
        resolve(message.url);
      } else fail(message.message);
    };
    const onExit = (code: number | null, signal: string | null) => fail(`exited (${signal ?? code}) while starting`);
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const fail = (why: string) => {
      done();
      child.kill('SIGKILL');
      reject(new Error(`Cluster instance ${name} ${why}:\n${output}`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });

  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    name,
    url,
    pid: child.pid!,
    get alive() {
      return !gone();
    },
    async kill() {
      if (!gone()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (gone()) return exited;
      child.send({ type: 'stop' });
      // A stop that hangs (a stuck send) must not hang the test run: it gets 15 s, then SIGKILL.
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
    output: () => output,
  };
}

/** The front: node:http forwarding each request, body streamed, to the next live instance. */
async function startRoundRobinFront(instances: readonly ClusterInstance[]): Promise<{ url: string; forwarded: Map<string, number>; close(): Promise<void> }> {
  // A connection per request: a reused keep-alive socket the instance just closed fails with
  // ECONNRESET, which would read as a dead instance.
  const agent = new http.Agent({ keepAlive: false, maxSockets: 256 });
  const forwarded = new Map<string, number>(instances.map((i) => [i.name, 0]));
  const down = new Set<string>();
  let next = 0;
  const pick = () => {
    for (let tries = 0; tries < instances.length; tries++) {
      const instance = instances[next++ % instances.length];
      if (instance.alive && !down.has(instance.name)) return instance;
    }
    return undefined;
  };
  const server = http.createServer((req, res) => {
    const instance = pick();
    if (!instance) {
      // Not chained: restify, loaded in the same process by the emulations, patches writeHead to return nothing.
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"error":"no instance is up"}');
      return;
    }
    forwarded.set(instance.name, (forwarded.get(instance.name) ?? 0) + 1);
    const target = new URL(req.url ?? '/', instance.url);
    const upstream = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host }, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' || !instance.alive) down.add(instance.name);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `upstream ${instance.name}: ${error.code ?? error.message}` }));
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}
