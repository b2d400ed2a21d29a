import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findRedisServer } from '../../scripts/redis/find-redis-server';

const ROOT = path.resolve(__dirname, '../..');

function fakeExecutable(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, 0o755);
  return file;
}

/** Runs `npm test`'s redis step as a fresh shell with only `env` would. */
function ensureRedisServer(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/ensure-redis-server.ts'], { cwd: ROOT, env, encoding: 'utf8' });
}

describe('finding redis-server for the cluster tests', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'find-redis-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes REDIS_SERVER_BIN first, then redis-server on PATH', () => {
    const onPath = fakeExecutable(path.join(dir, 'bin', 'redis-server'));
    const configured = fakeExecutable(path.join(dir, 'opt', 'redis-7'));
    assert.deepEqual(findRedisServer({ PATH: path.join(dir, 'bin') }), { found: true, path: onPath, source: 'PATH' });
    assert.deepEqual(findRedisServer({ PATH: path.join(dir, 'bin'), REDIS_SERVER_BIN: configured }), { found: true, path: configured, source: 'REDIS_SERVER_BIN' });
  });

  it('says what to install when there is none, and npm test stops at that step', () => {
    const lookup = findRedisServer({ PATH: path.join(dir, 'empty') });
    assert.equal(lookup.found, false);
    const result = ensureRedisServer({ PATH: path.join(dir, 'empty'), HOME: dir, REDIS_NO_INSTALL: '1' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /No redis-server found: .*apt-get install redis-server.*REDIS_SERVER_BIN/);
  });

  it('takes no directory for redis-server, though a directory has the x bit', () => {
    mkdirSync(path.join(dir, 'bin', 'redis-server'), { recursive: true });
    assert.equal(findRedisServer({ PATH: path.join(dir, 'bin') }).found, false);
    assert.equal(findRedisServer({ PATH: '', REDIS_SERVER_BIN: path.join(dir, 'bin') }).found, false);
  });

  it('refuses a REDIS_SERVER_BIN that is not there instead of looking elsewhere', () => {
    fakeExecutable(path.join(dir, 'bin', 'redis-server'));
    const result = ensureRedisServer({ PATH: path.join(dir, 'bin'), HOME: dir, REDIS_SERVER_BIN: path.join(dir, 'nope') });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /REDIS_SERVER_BIN is .*nope, which is not an executable file/);
  });

  it('prints the one it found', () => {
    const bin = fakeExecutable(path.join(dir, 'bin', 'redis-server'));
    const result = ensureRedisServer({ PATH: path.join(dir, 'bin'), HOME: dir });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), `redis-server for the cluster tests: ${bin} (from PATH)`);
  });
});
