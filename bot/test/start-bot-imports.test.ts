import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/**
 * A single instance (SQLite store, no REDIS_URL) is the default deployment, and resident memory
 * is one of its targets: the Azure Tables SDK and ioredis load only when the configuration names
 * them. A static import anywhere on the path from start-bot.ts would bring them back, so this
 * starts the whole service in a fresh process and looks at what it loaded.
 */
describe('modules a single instance loads', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-imports-'));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves without the Azure Tables SDK, ioredis or the cluster modules', function () {
    // A fresh process compiles the whole service through tsx first: seconds on a quiet machine, more on a busy one.
    this.timeout(120_000);
    const script = `
      require('./bot/src/http/allow-restify-on-node24');
      const { readConfig } = require('./bot/src/config');
      const { startBot } = require('./bot/src/start-bot');
      const { createLogger } = require('./bot/src/log/create-logger');
      const config = readConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: process.env.TEST_DATA_DIR, LOG_LEVEL: 'silent' });
      startBot(config, { logger: createLogger({ level: 'silent' }) }).then(async (bot) => {
        const answer = await fetch(bot.url + '/healthz');
        const loaded = Object.keys(require.cache).map((f) => path.relative(process.cwd(), f).split(path.sep).join('/'));
        await bot.close();
        process.stdout.write(JSON.stringify({
          healthz: answer.status,
          store: loaded.some((f) => f.endsWith('bot/src/store/sqlite-store.ts')),
          unwanted: loaded.filter((f) => /node_modules\\/(@azure\\/data-tables|ioredis)\\/|bot\\/src\\/(cluster\\/|store\\/azure)/.test(f)),
        }));
      });`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--disable-warning=DEP0111', '-e', `const path = require('node:path');${script}`], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, TEST_DATA_DIR: dataDir },
    });
    const result = JSON.parse(out) as { healthz: number; store: boolean; unwanted: string[] };
    assert.equal(result.healthz, 200, 'the service should have answered /healthz');
    assert.ok(result.store, 'the service should have opened its SQLite store');
    assert.deepEqual(result.unwanted, []);
  });
});
