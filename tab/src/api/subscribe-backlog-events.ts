import { TabApiError } from './tab-api-error';
import type { TabApi } from './create-tab-api';
import { signalEstimation } from './estimation-signals';
import { createEventStreamParser } from './parse-event-stream';
import type { BacklogEvent } from './types';

export type StreamState = 'connecting' | 'live' | 'retrying' | 'stopped';

export interface EventSubscription {
  close(): void;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
/** A stream that stayed up this long resets the backoff: the next drop retries fast again. */
const HEALTHY_MS = 60_000;
/** The bot pings every 25 s; twice that in silence means the connection is dead without a close. */
const SILENCE_MS = 60_000;

/**
 * Keeps the backlog's live stream open: fetch + ReadableStream (EventSource cannot send the
 * Authorization header), reconnecting with exponential backoff and jitter. `onEvent` gets
 * `{ type: 'ready' }` on every (re)connect; the caller reloads after a reconnect since events
 * may have been missed. Errors the user must act on (not connected, gone) stop the retries.
 */
export function subscribeBacklogEvents(
  api: TabApi,
  backlogId: string,
  handlers: { onEvent(event: BacklogEvent): void; onState(state: StreamState, error?: TabApiError): void },
): EventSubscription {
  let closed = false;
  let controller: AbortController | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;

  const connect = async () => {
    if (closed) return;
    controller = new AbortController();
    const signal = controller.signal;
    handlers.onState(attempt === 0 ? 'connecting' : 'retrying');
    const openedAt = Date.now();
    let silence: ReturnType<typeof setTimeout> | undefined;
    const armSilence = () => {
      clearTimeout(silence);
      silence = setTimeout(() => controller?.abort(), SILENCE_MS);
    };
    try {
      const response = await api.openEvents(backlogId, signal);
      if (!response.body) throw new TabApiError(0, 'network', 'The live stream had no body.');
      const parse = createEventStreamParser((message) => {
        const event = toBacklogEvent(message.event, message.data);
        if (!event) return;
        if (event.type === 'ready') handlers.onState('live');
        if (event.type === 'ready' || event.type === 'estimation') signalEstimation(backlogId, event);
        handlers.onEvent(event);
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      armSilence();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        armSilence();
        parse(value);
      }
    } catch (error) {
      if (error instanceof TabApiError && isFinal(error)) {
        clearTimeout(silence);
        closed = true;
        handlers.onState('stopped', error);
        return;
      }
    } finally {
      clearTimeout(silence);
    }
    if (closed) return;
    attempt = Date.now() - openedAt > HEALTHY_MS ? 1 : attempt + 1;
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempt - 1));
    handlers.onState('retrying');
    retryTimer = setTimeout(connect, delay / 2 + Math.random() * (delay / 2));
  };

  void connect();
  return {
    close() {
      closed = true;
      clearTimeout(retryTimer);
      controller?.abort();
    },
  };
}

function isFinal(error: TabApiError): boolean {
  return ['notConnected', 'reconnectRequired', 'notFound', 'forbidden', 'otherSite', 'tabSignInNotConfigured'].includes(error.code);
}

function toBacklogEvent(name: string, data: string): BacklogEvent | undefined {
  let payload: Record<string, unknown>;
  try {
    payload = data ? (JSON.parse(data) as Record<string, unknown>) : {};
  } catch {
    return undefined;
  }
  const by = typeof payload.by === 'string' ? payload.by : undefined;
  switch (name) {
    case 'ready':
      return { type: 'ready' };
    case 'backlog-changed':
      return { type: 'backlog-changed' };
    case 'issue-changed':
    case 'issue-created':
      return typeof payload.key === 'string' ? { type: name, key: payload.key, by } : undefined;
    case 'estimation':
      return typeof payload.key === 'string' ? { type: 'estimation', key: payload.key, phase: typeof payload.phase === 'string' ? payload.phase : '', by } : undefined;
    case 'ranked':
      return Array.isArray(payload.keys) ? { type: 'ranked', keys: payload.keys.filter((k): k is string => typeof k === 'string'), by } : undefined;
    default:
      return undefined;
  }
}
