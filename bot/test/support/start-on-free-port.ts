import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface LocalServer {
  port: number;
  stop(): Promise<void>;
}

export interface LocalServerOptions {
  /** For messages: "redis-server", "Azurite". */
  name: string;
  /** Prefix of the temp folder the child runs in (removed on stop). */
  tempPrefix: string;
  /** What the child prints once it accepts connections. */
  readyText: string;
  timeoutMs: number;
  spawn(port: number, dir: string): ChildProcess;
}

/**
 * Starts a throwaway server process (Azurite, redis-server) on a free loopback port in a temp
 * folder, and resolves once it says it is ready; `stop` kills it (nothing in it is worth flushing)
 * and removes the folder. A port taken between probing and binding is retried twice.
 */
export async function startOnFreePort(options: LocalServerOptions): Promise<LocalServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), options.tempPrefix));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = options.spawn(port, dir);
    try {
      await started(child, options);
    } catch (error) {
      if (attempt < 3) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return {
      port,
      async stop() {
        await stopChild(child);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function started(child: ChildProcess, { name, readyText, timeoutMs }: LocalServerOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`${name} did not start within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(readyText)) {
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null) => fail(new Error(`${name} exited with ${code}:\n${output}`));
    const onError = (error: Error) => fail(new Error(`${name} could not be started: ${error.message}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      // Keep draining so a chatty child never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
    };
    const fail = (error: Error) => {
      cleanup();
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
