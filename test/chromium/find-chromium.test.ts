import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findChromium } from '../../scripts/chromium/find-chromium';
import { launchChromium } from '../../scripts/chromium/launch-chromium';

const ROOT = path.resolve(__dirname, '../..');

/** Runs `npm test`'s first step as a fresh shell with only `env` would. */
function ensureChromium(env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/ensure-chromium.ts'], { cwd: ROOT, env, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function fakeExecutable(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, 0o755);
  return file;
}

describe('finding Chromium for the browser tests', function () {
  // Each case starts node, tsx or Chromium; a busy machine can take a while.
  this.timeout(60_000);
  let dir: string;
  /** An environment with no browser anywhere: empty PATH, an empty Playwright cache, no install. */
  let bare: NodeJS.ProcessEnv;

  beforeEach(function () {
    dir = mkdtempSync(path.join(tmpdir(), 'find-chromium-'));
    mkdirSync(path.join(dir, 'bin'));
    bare = { PATH: path.join(dir, 'bin'), HOME: dir, PLAYWRIGHT_BROWSERS_PATH: path.join(dir, 'ms-playwright'), CHROMIUM_NO_INSTALL: '1' };
  });

  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops with one line naming what to install and CHROMIUM_PATH when there is none and it may not install', function () {
    const result = ensureChromium(bare);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0], /^No Chromium for the browser tests: install one \(Debian\/Ubuntu: apt-get install chromium.*set CHROMIUM_PATH/);
  });

  it('says that CHROMIUM_PATH is wrong rather than looking elsewhere', function () {
    fakeExecutable(path.join(dir, 'bin', 'chromium'));
    const result = ensureChromium({ ...bare, CHROMIUM_PATH: path.join(dir, 'nowhere', 'chrome') });
    assert.equal(result.status, 1);
    assert.equal(
      result.stderr.trimEnd(),
      `CHROMIUM_PATH=${path.join(dir, 'nowhere', 'chrome')} is not an executable file: point it at a Chromium or Chrome executable, or unset it.`,
    );
  });

  it('takes CHROMIUM_PATH first, then the usual names on PATH in order', function () {
    const chrome = fakeExecutable(path.join(dir, 'bin', 'google-chrome'));
    assert.deepEqual(findChromium(bare), { found: true, path: chrome, source: 'PATH' });
    const browser = fakeExecutable(path.join(dir, 'bin', 'chromium-browser'));
    assert.deepEqual(findChromium(bare), { found: true, path: browser, source: 'PATH' });
    const elsewhere = fakeExecutable(path.join(dir, 'elsewhere', 'my-chrome'));
    assert.deepEqual(findChromium({ ...bare, CHROMIUM_PATH: elsewhere }), { found: true, path: elsewhere, source: 'CHROMIUM_PATH' });
  });

  it('skips a file on PATH that cannot be run', function () {
    writeFileSync(path.join(dir, 'bin', 'chromium'), 'not a program');
    const chrome = fakeExecutable(path.join(dir, 'bin', 'google-chrome-stable'));
    assert.deepEqual(findChromium(bare), { found: true, path: chrome, source: 'PATH' });
  });

  it('uses a browser Playwright installed when nothing else is there', function () {
    const asked = spawnSync(process.execPath, ['-e', "process.stdout.write(require('playwright-core').chromium.executablePath())"], { cwd: ROOT, env: bare, encoding: 'utf8' });
    const managed = fakeExecutable(asked.stdout);
    assert.ok(managed.startsWith(path.join(dir, 'ms-playwright')), managed);
    const result = ensureChromium(bare);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trimEnd(), `Chromium for the browser tests: ${managed} (from playwright)`);
  });

  it('launches the Chromium CHROMIUM_PATH names, outside PATH', async function () {
    const system = findChromium();
    assert.ok(system.found, 'this machine has a Chromium (the browser tests need one)');
    const link = path.join(dir, 'elsewhere', 'chromium-copy');
    mkdirSync(path.dirname(link));
    symlinkSync(system.path, link);
    const env = { ...bare, CHROMIUM_PATH: link };
    assert.equal(ensureChromium(env).stdout.trimEnd(), `Chromium for the browser tests: ${link} (from CHROMIUM_PATH)`);
    const browser = await launchChromium(env);
    try {
      const page = await browser.newPage();
      await page.setContent('<p id="p">drawn</p>');
      assert.equal(await page.textContent('#p'), 'drawn');
    } finally {
      await browser.close();
    }
  });
});
