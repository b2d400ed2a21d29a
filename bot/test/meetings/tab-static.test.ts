import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { readConfig } from '../../src/config';
import { createLogger } from '../../src/log/create-logger';
import { startBot, type BotService } from '../../src/start-bot';
import { captureLogs } from '../support/capture-logs';

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
