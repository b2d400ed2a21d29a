import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/** Runs a script in a fresh Node whose process.binding lacks http_parser, as on Node 24. */
function runWithoutHttpParser(script: string, withCompat: boolean) {
  const prelude = `
    const original = process.binding.bind(process);
    process.binding = (name) => { if (name === 'http_parser') throw new Error('No such module: http_parser'); return original(name); };
    ${withCompat ? "require('./bot/src/http/allow-restify-on-node24.ts');" : ''}
  `;
  return spawnSync(process.execPath, ['--no-deprecation', '--import', 'tsx', '-e', prelude + script], { cwd: ROOT, encoding: 'utf8', timeout: 30000 });
}

const serveOnce = `
  const restify = require('restify');
  const server = restify.createServer();
  server.get('/ping', async (_req, res) => { res.send(200, { pong: true }); });
  server.listen(0, '127.0.0.1', async () => {
    const body = await (await fetch('http://127.0.0.1:' + server.address().port + '/ping')).text();
    process.stdout.write(body);
    server.close();
  });
`;

describe('restify on a Node without the http_parser binding (Node 24)', () => {
  it('fails to load restify without the compatibility module, which is why it exists', () => {
    const result = runWithoutHttpParser(serveOnce, false);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /No such module: http_parser/);
  });

  it('loads restify and serves HTTP with it', () => {
    const result = runWithoutHttpParser(serveOnce, true);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, '{"pong":true}');
  });
});
