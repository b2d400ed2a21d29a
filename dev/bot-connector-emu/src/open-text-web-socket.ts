import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

export interface TextWebSocket {
  onText(listener: (text: string) => void): void;
  close(): Promise<void>;
}

const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * A receive-mostly WebSocket client (RFC 6455) for text frames. Node 20 has no WebSocket global
 * without a flag, and the project needs only to listen to the Agents Playground's stream.
 */
export function openTextWebSocket(url: string, timeoutMs = 5_000): Promise<TextWebSocket> {
  const target = new URL(url);
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = request({
      host: target.hostname,
      port: target.port,
      path: `${target.pathname}${target.search}`,
      timeout: timeoutMs,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13' },
    });
    req.once('timeout', () => req.destroy(new Error(`No WebSocket upgrade from ${url} within ${timeoutMs} ms`)));
    req.once('error', reject);
    req.once('response', (res) => {
      res.resume();
      reject(new Error(`${url} answered HTTP ${res.statusCode} instead of upgrading to a WebSocket`));
    });
    req.once('upgrade', (res, socket, head) => {
      const expected = createHash('sha1')
        .update(key + ACCEPT_GUID)
        .digest('base64');
      if (res.headers['sec-websocket-accept'] !== expected) {
        socket.destroy();
        reject(new Error(`${url} sent a wrong Sec-WebSocket-Accept`));
        return;
      }
      socket.setTimeout(0);
      resolve(wrap(socket, head));
    });
    req.end();
  });
}

function wrap(socket: Socket, head: Buffer): TextWebSocket {
  const listeners: Array<(text: string) => void> = [];
  let buffered = head;
  let fragments: Buffer[] = [];
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (let frame = readFrame(buffered); frame; frame = readFrame(buffered)) {
      buffered = buffered.subarray(frame.size);
      switch (frame.opcode) {
        case 0x0:
        case 0x1:
          fragments.push(frame.payload);
          if (frame.fin) {
            const text = Buffer.concat(fragments).toString('utf8');
            fragments = [];
            for (const listener of listeners) listener(text);
          }
          break;
        case 0x8:
          socket.end(encodeFrame(0x8, Buffer.alloc(0)));
          break;
        case 0x9:
          socket.write(encodeFrame(0xa, frame.payload));
          break;
        default:
          // Binary frames and pongs carry nothing this client needs.
          break;
      }
    }
  };
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
  if (head.length) onData(Buffer.alloc(0));

  return {
    onText: (listener) => listeners.push(listener),
    async close() {
      if (!socket.destroyed) {
        socket.end(encodeFrame(0x8, Buffer.from([0x03, 0xe8])));
        setTimeout(() => socket.destroy(), 500).unref();
      }
      await closed;
    },
  };
}

function readFrame(data: Buffer): { fin: boolean; opcode: number; payload: Buffer; size: number } | undefined {
  if (data.length < 2) return undefined;
  const fin = (data[0] & 0x80) !== 0;
  const opcode = data[0] & 0x0f;
  const masked = (data[1] & 0x80) !== 0;
  let length = data[1] & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return undefined;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return undefined;
    length = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  const maskKey = masked ? data.subarray(offset, offset + 4) : undefined;
  if (masked) offset += 4;
  if (data.length < offset + length) return undefined;
  const payload = Buffer.from(data.subarray(offset, offset + length));
  if (maskKey) for (let i = 0; i < payload.length; i++) payload[i] ^= maskKey[i % 4];
  return { fin, opcode, payload, size: offset + length };
}

/** Client frames must be masked (RFC 6455 5.3); only short control frames are ever sent. */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i] ^= mask[i % 4];
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, masked]);
}
