import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as restify from 'restify';
import type { SimAuth } from '../../src/sim-auth';
import type { WebhookEventPayload } from '../../src/webhook-event';
import { createWebhookHub, type WebhookHub, type WebhookHubDeps } from '../../src/webhooks/create-webhook-hub';

export const APP = { clientId: 'teams-app', clientSecret: 'app-client-secret' };
export const ALICE_APP: SimAuth = { kind: 'oauth', accountId: 'acc-alice', clientId: APP.clientId, scopes: ['read:jira-work', 'manage:jira-webhook'] };
export const BOB_APP: SimAuth = { ...ALICE_APP, accountId: 'acc-bob' };
export const ALICE_BASIC: SimAuth = { kind: 'basic', accountId: 'acc-alice' };

export function fixture(name: string): WebhookEventPayload {
  return JSON.parse(readFileSync(path.join(__dirname, 'fixtures', name), 'utf8')) as WebhookEventPayload;
}

export interface ReceivedCall {
  /** Path and query the webhook was posted to. */
  url: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  receivedAt: number;
}

/** A local webhook receiver; `answers` scripts its status codes in order, then it answers 200. */
export interface Receiver {
  url: string;
  calls: ReceivedCall[];
  answers: number[];
  /** When true, the receiver never answers (to exercise timeouts). */
  hang: boolean;
  waitForCalls(count: number, timeoutMs?: number): Promise<ReceivedCall[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const calls: ReceivedCall[] = [];
  const waiters = new Set<() => void>();
  const receiver: Receiver = {
    url: '',
    calls,
    answers: [],
    hang: false,
    waitForCalls(count, timeoutMs = 3000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (calls.length >= count) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(calls.slice(0, count));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} webhook calls, got ${calls.length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      calls.push({ url: req.url ?? '', headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() });
      for (const wake of [...waiters]) wake();
      if (receiver.hang) return;
      res.statusCode = receiver.answers.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jira/webhook`;
  return receiver;
}

export interface SimHarness {
  base: string;
  hub: WebhookHub;
  clock: { now: number };
  /** Calls the simulator as the given caller (the test's stand-in for the core's auth pre-handler). */
  call(as: SimAuth | undefined, method: string, route: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export async function startSim(overrides: Partial<WebhookHubDeps> = {}): Promise<SimHarness> {
  const clock = { now: Date.UTC(2026, 0, 1) };
  const hub = createWebhookHub({
    now: () => clock.now,
    retry: { attempts: 6, baseDelayMs: 5, timeoutMs: 1000 },
    clientSecretOf: (clientId) => (clientId === APP.clientId ? APP.clientSecret : undefined),
    issuer: 'https://acme.atlassian.net',
    ...overrides,
  });
  const server = restify.createServer();
  server.pre((req, _res, next) => {
    const header = req.headers['x-test-auth'];
    if (typeof header === 'string') (req as { simAuth?: SimAuth }).simAuth = JSON.parse(header) as SimAuth;
    next();
  });
  hub.mount(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    hub,
    clock,
    async call(as, method, route, body) {
      const headers: Record<string, string> = {};
      if (as) headers['x-test-auth'] = JSON.stringify(as);
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${base}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
    },
    async close() {
      await hub.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
