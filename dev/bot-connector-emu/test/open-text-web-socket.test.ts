import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { openTextWebSocket } from '../src/open-text-web-socket';

/** Server-side frames are unmasked (RFC 6455 5.1). */
function frame(opcode: number, payload: Buffer, fin = true): Buffer {
  const first = (fin ? 0x80 : 0) | opcode;
  if (payload.length < 126) return Buffer.concat([Buffer.from([first, payload.length]), payload]);
  if (payload.length < 65_536) {
    const header = Buffer.from([first, 126, 0, 0]);
    header.writeUInt16BE(payload.length, 2);
    return Buffer.concat([header, payload]);
  }
  const header = Buffer.alloc(10);
  header[0] = first;
  header[1] = 127;
  header.writeBigUInt64BE(BigInt(payload.length), 2);
  return Buffer.concat([header, payload]);
}

describe('openTextWebSocket', () => {
  let server: Server;
  let url: string;
  let onSocket: (socket: Duplex) => void;
  const received: Buffer[] = [];
  const upgraded = new Set<Duplex>();

  before(async () => {
    server = createServer((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    server.on('upgrade', (req, socket) => {
      // Upgraded sockets leave the HTTP server's books: closeAllConnections() does not end them.
      upgraded.add(socket);
      socket.once('close', () => upgraded.delete(socket));
      const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      socket.on('data', (chunk: Buffer) => received.push(chunk));
      onSocket(socket);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/stream`;
  });

  after(async () => {
    for (const socket of upgraded) socket.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads short, 16-bit and 64-bit lengths and joins fragments, even split across packets', async () => {
    const large = 'x'.repeat(70_000);
    onSocket = (socket) => {
      const bytes = Buffer.concat([
        frame(0x1, Buffer.from('{"a":1}')),
        frame(0x1, Buffer.from('y'.repeat(300))),
        frame(0x1, Buffer.from(large)),
        frame(0x1, Buffer.from('hel'), false),
        frame(0x0, Buffer.from('lo')),
      ]);
      // Deliver in uneven pieces, as TCP may.
      socket.write(bytes.subarray(0, 5));
      setTimeout(() => socket.write(bytes.subarray(5, 400)), 5);
      setTimeout(() => socket.write(bytes.subarray(400)), 10);
    };
    const ws = await openTextWebSocket(url);
    const texts: string[] = [];
    await new Promise<void>((done) => {
      ws.onText((text) => {
        texts.push(text);
        if (texts.length === 4) done();
      });
    });
    assert.deepEqual(
      texts.map((t) => t.length),
      [7, 300, 70_000, 5],
    );
    assert.equal(texts[3], 'hello');
    await ws.close();
  });

  it('answers a ping with a masked pong carrying the same data', async () => {
    received.length = 0;
    let socketRef: Duplex | undefined;
    onSocket = (socket) => {
      socketRef = socket;
      socket.write(frame(0x9, Buffer.from('hi')));
    };
    const ws = await openTextWebSocket(url);
    const deadline = Date.now() + 2_000;
    while (Buffer.concat(received).length < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const pong = Buffer.concat(received);
    assert.equal(pong[0], 0x8a, 'FIN + pong');
    assert.equal(pong[1], 0x80 | 2, 'masked, 2 bytes');
    const mask = pong.subarray(2, 6);
    const data = Buffer.from(pong.subarray(6, 8).map((b, i) => b ^ mask[i % 4]));
    assert.equal(data.toString(), 'hi');
    socketRef?.end();
    await ws.close();
  });

  it('rejects a server that does not upgrade', async () => {
    await assert.rejects(openTextWebSocket('ws://127.0.0.1:1/'), /ECONNREFUSED/);
    const plain = createServer((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((done) => plain.listen(0, '127.0.0.1', done));
    try {
      await assert.rejects(openTextWebSocket(`ws://127.0.0.1:${(plain.address() as AddressInfo).port}/`), /HTTP 404/);
    } finally {
      plain.close();
    }
  });
});
