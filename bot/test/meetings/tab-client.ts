import assert from 'node:assert/strict';

export interface TabAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the bot's tab API as the tab does: JSON, with the Teams SSO token as a bearer token. */
export function tabClient(baseUrl: string) {
  return async function call<T = any>(token: string | undefined, method: string, path: string, body?: unknown): Promise<TabAnswer<T>> {
    const response = await fetch(`${baseUrl}/api/tab${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
}

/** Asserts the contract's error answer: status, `{ error: { code, message } }`. */
export function assertTabError(answer: TabAnswer, status: number, code: string, message?: RegExp): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.body?.error?.code, code, JSON.stringify(answer.body));
  assert.equal(typeof answer.body.error.message, 'string');
  if (message) assert.match(answer.body.error.message, message);
}

export interface StreamEvent {
  event: string;
  data: any;
}

/**
 * Reads the event stream as the tab does (fetch, so the Authorization header goes along) and
 * parses server-sent events; comment lines are counted as heartbeats.
 */
export async function openEventStream(url: string, token: string) {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: abort.signal });
  const events: StreamEvent[] = [];
  const waiters: Array<() => void> = [];
  let heartbeats = 0;
  let ended = false;
  const wake = () => waiters.splice(0).forEach((w) => w());
  const pump = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) heartbeats += 1;
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (name) events.push({ event: name, data: data ? JSON.parse(data) : undefined });
          wake();
        }
      }
    } catch {
      // aborted by the test
    } finally {
      ended = true;
      wake();
    }
  })();

  const waitFor = async (what: string, test: () => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(`timed out waiting for ${what}; got ${JSON.stringify(events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };

  return {
    response,
    events,
    heartbeats: () => heartbeats,
    ended: () => ended,
    /** The first event named `name` (after `from` events) for which `match` holds. */
    async next(name: string, match: (data: any) => boolean = () => true, options: { timeoutMs?: number; from?: number } = {}) {
      let found: StreamEvent | undefined;
      await waitFor(`event ${name}`, () => (found = events.slice(options.from ?? 0).find((e) => e.event === name && match(e.data))) !== undefined, options.timeoutMs ?? 10_000);
      return found!;
    },
    waitForEnd: (timeoutMs = 10_000) => waitFor('the stream to end', () => ended, timeoutMs),
    close() {
      abort.abort();
      return pump;
    },
  };
}
