import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { readConfig } from '../../src/config';
import { createLogger } from '../../src/log/create-logger';
import { startBot, type BotService } from '../../src/start-bot';
import { captureLogs } from '../support/capture-logs';

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes as they came over the wire, still in their content coding. */
  body: Buffer;
}

/** A request over plain HTTP: fetch would ask for codings of its own and decode the answer. */
function raw(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

/** A chunk as Vite writes one: minified JavaScript, some 30 KB. */
const CHUNK = Array.from({ length: 600 }, (_, n) => `export const row${n}=(a,b)=>a.map(x=>x*${n}+b).filter(Boolean);`).join('\n');

/** The built tab as the bot serves it at /tab/, from a tab/dist laid out as Vite lays it out. */
describe('tab static files', () => {
  let root: string;
  let bot: BotService;
  let missing: BotService;

  const start = (distDir: string) =>
    startBot(readConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: path.join(root, `data-${path.basename(distDir)}`), LOG_LEVEL: 'silent' }), {
      logger: createLogger({ level: 'silent', destination: captureLogs().stream }),
      tabDistDir: distDir,
    });

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tab-dist-'));
    const dist = path.join(root, 'dist');
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Grooming</title><script type="module" src="./assets/index-Bq3xZ9aL.js"></script>');
    fs.writeFileSync(path.join(dist, 'assets', 'index-Bq3xZ9aL.js'), 'console.log("tab")');
    fs.writeFileSync(path.join(dist, 'assets', 'index-Df81kPq2.css'), 'body{margin:0}');
    fs.writeFileSync(path.join(dist, 'assets', 'chunk-C4xW9mQe.js'), CHUNK);
    fs.writeFileSync(path.join(dist, 'assets', 'logo-Hk2Lp9Zs.png'), Buffer.alloc(4096));
    fs.writeFileSync(path.join(dist, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    fs.writeFileSync(path.join(root, 'secret.txt'), 'outside the dist directory');
    bot = await start(dist);
    missing = await start(path.join(root, 'not-built'));
  });
  after(async () => {
    await bot?.close();
    await missing?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html for /tab/ (with any query), never cached stale', async () => {
    const response = await fetch(`${bot.url}/tab/?view=backlog&backlog=abc`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    assert.match(await response.text(), /<title>Grooming<\/title>/);
    const bare = await fetch(`${bot.url}/tab?view=config`, { redirect: 'manual' });
    assert.equal(bare.status, 308);
    assert.equal(bare.headers.get('location'), '/tab/?view=config');
  });

  it("keeps a local run's page on the machine (connect-src 'self'), and leaves a deployed page's connections alone", async () => {
    const local = await fetch(`${bot.url}/tab/`);
    assert.equal(local.headers.get('content-security-policy'), "connect-src 'self'");
    // The same page asked for under a public host name, as behind App Service: no such policy.
    const deployed = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.get(`${bot.url}/tab/`, { headers: { host: 'jira-teams.example.com' } }, resolve);
      request.on('error', reject);
    });
    deployed.resume();
    assert.equal(deployed.statusCode, 200);
    assert.equal(deployed.headers['content-security-policy'], undefined);
  });

  it('serves hashed assets for a year with their content types, other files briefly', async () => {
    const js = await fetch(`${bot.url}/tab/assets/index-Bq3xZ9aL.js`);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(await js.text(), 'console.log("tab")');
    const css = await fetch(`${bot.url}/tab/assets/index-Df81kPq2.css`);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    const svg = await fetch(`${bot.url}/tab/icon.svg`);
    assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
    assert.equal(svg.headers.get('cache-control'), 'public, max-age=300, must-revalidate');
  });

  it('sends text in brotli or gzip as the browser weighs them, and as it is when it takes neither', async () => {
    const url = `${bot.url}/tab/assets/chunk-C4xW9mQe.js`;
    const decode = { br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync };
    const cases: Array<[string | undefined, 'br' | 'gzip' | undefined]> = [
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip, deflate', 'gzip'],
      ['br;q=0.5, gzip', 'gzip'],
      ['br;q=0, *', 'gzip'],
      ['*', 'br'],
      ['x-gzip', 'gzip'],
      ['identity', undefined],
      ['identity;q=1, gzip;q=0.5', undefined],
      ['br;q=0, gzip;q=0', undefined],
      [undefined, undefined],
    ];
    for (const [accept, coding] of cases) {
      const answer = await raw(url, accept === undefined ? {} : { 'accept-encoding': accept });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers['content-encoding'], coding, String(accept));
      assert.equal(answer.headers.vary, 'Accept-Encoding');
      assert.equal(answer.headers['content-type'], 'text/javascript; charset=utf-8');
      assert.equal(answer.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.equal(Number(answer.headers['content-length']), answer.body.length);
      assert.equal((coding ? decode[coding](answer.body) : answer.body).toString(), CHUNK, String(accept));
      if (coding) assert.ok(answer.body.length < CHUNK.length / 4, `${coding}: ${answer.body.length} bytes of ${CHUNK.length}`);
    }
    // HEAD names the coded body's length and sends none.
    const head = await raw(url, { 'accept-encoding': 'br' }, 'HEAD');
    const get = await raw(url, { 'accept-encoding': 'br' });
    assert.equal(head.headers['content-encoding'], 'br');
    assert.equal(head.headers['content-length'], get.headers['content-length']);
    assert.equal(head.body.length, 0);
  });

  it('leaves small files and compressed formats as they are', async () => {
    const png = await raw(`${bot.url}/tab/assets/logo-Hk2Lp9Zs.png`, { 'accept-encoding': 'br, gzip' });
    assert.equal(png.headers['content-encoding'], undefined);
    assert.equal(png.headers.vary, undefined);
    assert.equal(png.body.length, 4096);
    const css = await raw(`${bot.url}/tab/assets/index-Df81kPq2.css`, { 'accept-encoding': 'br, gzip' });
    assert.equal(css.headers['content-encoding'], undefined);
    assert.equal(css.body.toString(), 'body{margin:0}');
  });

  it('answers 304 to a browser whose copy is current, in whichever coding it has it, and 200 once the file changed', async () => {
    const index = path.join(root, 'dist', 'index.html');
    const first = await raw(`${bot.url}/tab/`);
    const etag = first.headers.etag!;
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
    const again = await raw(`${bot.url}/tab/`, { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, etag);
    assert.equal(again.headers['cache-control'], 'no-cache');

    const chunk = `${bot.url}/tab/assets/chunk-C4xW9mQe.js`;
    const br = await raw(chunk, { 'accept-encoding': 'br' });
    const gzip = await raw(chunk, { 'accept-encoding': 'gzip' });
    const plain = await raw(chunk);
    assert.equal(new Set([br.headers.etag, gzip.headers.etag, plain.headers.etag]).size, 3, 'one ETag per coding');
    const cached = await raw(chunk, { 'accept-encoding': 'gzip', 'if-none-match': `"other", W/${br.headers.etag}` });
    assert.equal(cached.status, 304);
    assert.equal(cached.headers.vary, 'Accept-Encoding');
    assert.equal((await raw(chunk, { 'if-none-match': '"other"' })).status, 200);

    // A new build replaces index.html: the old ETag no longer matches, and the new page is sent.
    const built = fs.readFileSync(index);
    fs.writeFileSync(index, '<!doctype html><title>Grooming, rebuilt</title>');
    try {
      const rebuilt = await raw(`${bot.url}/tab/`, { 'if-none-match': etag });
      assert.equal(rebuilt.status, 200);
      assert.match(rebuilt.body.toString(), /rebuilt/);
      assert.notEqual(rebuilt.headers.etag, etag);
    } finally {
      fs.writeFileSync(index, built);
    }
  });

  it('answers 404 for unknown files and for paths leaving the dist directory', async () => {
    assert.equal((await fetch(`${bot.url}/tab/assets/nope-12345678.js`)).status, 404);
    assert.equal((await fetch(`${bot.url}/tab/..%2Fsecret.txt`)).status, 404);
    assert.equal((await fetch(`${bot.url}/tab/%2e%2e/secret.txt`)).status, 404);
    assert.equal((await fetch(`${bot.url}/tab/assets/%2e%2e%2f%2e%2e%2fsecret.txt`)).status, 404);
  });

  it('says how to build the tab when tab/dist is missing (503)', async () => {
    const response = await fetch(`${missing.url}/tab/?view=config`);
    assert.equal(response.status, 503);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await response.text(), /npm run build:tab/);
  });
});
