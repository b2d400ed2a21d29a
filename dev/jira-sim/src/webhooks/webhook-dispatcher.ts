import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { WebhookEventName } from '../webhook-event';

export interface RetryPolicy {
  /** Total POSTs per delivery, the first included. Jira retries up to 5 times, so 6. */
  attempts: number;
  /** Delay before retry n is baseDelayMs * 2^(n-1). */
  baseDelayMs: number;
  /** A receiver slower than this counts as failed and is retried. */
  timeoutMs: number;
}

// 1 + 2 + 4 + 8 + 16 minutes: the last retry lands about 30 minutes after the event, the window Jira announces.
export const JIRA_RETRY_POLICY: RetryPolicy = { attempts: 6, baseDelayMs: 60_000, timeoutMs: 10_000 };

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

/** One webhook callback and what became of it; kept for tests and the simulator's control endpoints. */
export interface Delivery {
  /** Sent as X-Atlassian-Webhook-Identifier, the same on every retry. */
  id: string;
  kind: 'admin' | 'dynamic';
  webhookIds: number[];
  clientId?: string;
  url: string;
  event: WebhookEventName;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  /** HTTP status of each attempt, or 0 where the connection failed or timed out. */
  responses: number[];
  lastError?: string;
  createdAt: number;
  settledAt?: number;
}

export interface DeliveryRequest {
  kind: Delivery['kind'];
  webhookIds: number[];
  clientId?: string;
  url: string;
  event: WebhookEventName;
  body: string;
  /** Headers that depend on the attempt (a signature, a fresh JWT). */
  headers: () => Promise<Record<string, string>>;
}

// Jira's retry policy: these statuses, a failed connection or a timeout are retried; other answers are final.
const RETRIED_STATUSES = new Set([408, 409, 425, 429]);

/** POSTs webhook callbacks in the background, retrying with exponential backoff as Jira does. */
export function createWebhookDispatcher(options: { now: () => number; retry: RetryPolicy; retainSettled?: number }) {
  const records: Delivery[] = [];
  // Bounded so a 10,000-event benchmark does not keep every body; pending deliveries are always kept.
  const retainSettled = options.retainSettled ?? 1000;
  // Keep-alive, as Jira's client does; destroyed on close so no socket outlives the hub.
  const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }) };
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<http.ClientRequest>();
  const settledWaiters = new Set<() => void>();
  let closed = false;
  let settledCount = 0;

  function settle(delivery: Delivery, status: DeliveryStatus) {
    delivery.status = status;
    delivery.settledAt = options.now();
    settledCount += 1;
    if (settledCount > retainSettled) {
      const oldest = records.findIndex((record) => record.status !== 'pending');
      records.splice(oldest, 1);
      settledCount -= 1;
    }
    for (const wake of [...settledWaiters]) wake();
  }

  async function attempt(delivery: Delivery, request: DeliveryRequest): Promise<void> {
    if (closed) return;
    const retry = delivery.attempts;
    delivery.attempts += 1;
    let signed: Record<string, string>;
    try {
      signed = await request.headers();
    } catch (error) {
      delivery.lastError = `could not sign: ${(error as Error).message}`;
      return settle(delivery, 'failed');
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Atlassian Webhook HTTP Client',
      'x-atlassian-webhook-identifier': delivery.id,
      // Jira sends cascaded events (a deleted issue's comments) as Secondary; every event here is primary.
      'x-atlassian-webhook-flow': 'Primary',
      ...signed,
    };
    if (retry > 0) headers['x-atlassian-webhook-retry'] = String(retry);
    const outcome = await post(delivery.url, delivery.body, headers, { timeoutMs: options.retry.timeoutMs, inFlight, agents });
    if (closed) return;
    delivery.responses.push(outcome.status);
    if (outcome.status >= 200 && outcome.status < 300) return settle(delivery, 'delivered');
    delivery.lastError = outcome.error ?? `HTTP ${outcome.status}`;
    const retryable = outcome.status === 0 || outcome.status >= 500 || RETRIED_STATUSES.has(outcome.status);
    if (!retryable || delivery.attempts >= options.retry.attempts) return settle(delivery, 'failed');
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        void attempt(delivery, request);
      },
      options.retry.baseDelayMs * 2 ** (delivery.attempts - 1),
    );
    timers.add(timer);
  }

  return {
    dispatch(request: DeliveryRequest): Delivery {
      const delivery: Delivery = {
        id: randomUUID(),
        kind: request.kind,
        webhookIds: request.webhookIds,
        clientId: request.clientId,
        url: request.url,
        event: request.event,
        body: request.body,
        status: 'pending',
        attempts: 0,
        responses: [],
        createdAt: options.now(),
      };
      records.push(delivery);
      // Never inside the caller's request: Jira answers the API call first and calls back later.
      setImmediate(() => void attempt(delivery, request));
      return delivery;
    },

    deliveries: (): Delivery[] => records.map((record) => ({ ...record, webhookIds: [...record.webhookIds], responses: [...record.responses] })),

    /** Resolves once no delivery is pending (or after timeoutMs); lets tests wait without sleeping. */
    idle(timeoutMs = 5000): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (records.every((record) => record.status !== 'pending')) {
            cleanup();
            resolve();
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error('webhook deliveries still pending'));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          settledWaiters.delete(check);
        };
        settledWaiters.add(check);
        check();
      });
    },

    async close(): Promise<void> {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const request of inFlight) request.destroy();
      inFlight.clear();
      agents['http:'].destroy();
      agents['https:'].destroy();
      for (const record of records.filter((candidate) => candidate.status === 'pending')) settle(record, 'cancelled');
    },
  };
}

interface PostContext {
  timeoutMs: number;
  inFlight: Set<http.ClientRequest>;
  agents: { 'http:': http.Agent; 'https:': https.Agent };
}

function post(url: string, body: string, headers: Record<string, string>, context: PostContext): Promise<{ status: number; error?: string }> {
  const { timeoutMs, inFlight } = context;
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ status: 0, error: 'invalid URL' });
      return;
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      resolve({ status: 0, error: `unsupported protocol ${target.protocol}` });
      return;
    }
    const transport = target.protocol === 'https:' ? https : http;
    const request = transport.request(target, {
      method: 'POST',
      agent: context.agents[target.protocol],
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    inFlight.add(request);
    const done = (outcome: { status: number; error?: string }) => {
      inFlight.delete(request);
      resolve(outcome);
    };
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no response within ${timeoutMs} ms`)));
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => done({ status: response.statusCode ?? 0 }));
      response.on('error', (error) => done({ status: 0, error: error.message }));
    });
    request.on('error', (error) => done({ status: 0, error: error.message }));
    request.end(body);
  });
}
