import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MeetingEvent } from './backlog';
import type { HubListener } from './meeting-hub';

export interface EventStreamOptions {
  /** A comment line this often keeps proxies and load balancers from closing an idle stream. */
  heartbeatMs?: number;
  /**
   * A stream that carried no event (heartbeats aside) this long is ended; the tab reconnects at
   * once, so a panel still open loses nothing, and one left open in a forgotten window or behind a
   * dead connection stops holding a socket and a slot of its user's stream cap.
   */
  idleMs?: number;
  /** Called once when the stream ends, whichever side ended it. */
  onClose(): void;
}

/** A reader that stops reading is dropped rather than buffered for without bound; it reconnects. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
export const DEFAULT_IDLE_MS = 10 * 60 * 1000;

/**
 * Answers 200 with the head of a server-sent event stream, on a socket that neither times out nor
 * delays small writes: the head every event stream of the service uses.
 */
export function startEventStream(req: IncomingMessage, res: ServerResponse): void {
  req.socket.setTimeout(0);
  req.socket.setNoDelay(true);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store, no-transform',
    connection: 'keep-alive',
    // nginx and Azure's front ends buffer responses unless told not to.
    'x-accel-buffering': 'no',
  });
}

/** One event of a text/event-stream: its name and its data as one line of JSON. */
export function eventFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Turns a response into a server-sent event stream (text/event-stream) and answers `ready` at
 * once. The returned listener writes hub events; it cleans up (timer, hub registration) when the
 * client goes away, when the server ends it, or when the client is too slow.
 */
export function openEventStream(req: IncomingMessage, res: ServerResponse, options: EventStreamOptions): HubListener {
  let open = true;
  const finish = () => {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
    clearTimeout(idle);
    options.onClose();
  };
  const write = (text: string) => {
    if (!open) return;
    res.write(text);
    if (res.writableLength > MAX_BUFFERED_BYTES) end();
  };
  const end = () => {
    if (!open) return;
    finish();
    res.end();
  };

  startEventStream(req, res);
  const heartbeat = setInterval(() => write(': ping\n\n'), options.heartbeatMs ?? 25_000);
  heartbeat.unref();
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  let idle = setTimeout(end, idleMs);
  idle.unref();
  req.on('close', finish);
  res.on('close', finish);
  res.on('error', finish);

  const send = (event: MeetingEvent) => {
    if (!open) return;
    clearTimeout(idle);
    idle = setTimeout(end, idleMs);
    idle.unref();
    write(eventFrame(event.event, event.data));
  };
  send({ event: 'ready', data: {} });
  return { send, close: end };
}
