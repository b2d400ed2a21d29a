import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');

interface LoadedModules {
  healthz: number;
  store: boolean;
  application: boolean;
  unwantedStores: string[];
  unwantedAi: string[];
}

/**
 * A single instance (SQLite store, no REDIS_URL) is the default deployment, and resident memory
 * is one of its targets. Two kinds of static import would bring back memory it does not need:
 * the Azure Tables SDK, ioredis or the cluster modules on the path from start-bot.ts (they load
 * only when the configuration names them), and teams-ai's index instead of its own modules
 * (the index also loads the AI planners and tokenizer tables, about 35 MB resident). One fresh
 * process starts the whole service and reports what it loaded; both checks read that one report,
 * because compiling the service through tsx is the slow part.
 */
describe('modules a single instance loads', () => {
  let dataDir: string;
  let loaded: LoadedModules;

  before(async function () {
    // A fresh process compiles the whole service through tsx first: seconds on a quiet machine, more on a busy one.
    this.timeout(120_000);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-imports-'));
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
          application: loaded.some((f) => /teams-ai\\/lib\\/Application\\.js$/.test(f)),
          unwantedStores: loaded.filter((f) => /node_modules\\/(@azure\\/data-tables|ioredis)\\/|bot\\/src\\/(cluster\\/|store\\/azure)/.test(f)),
          unwantedAi: loaded.filter((f) => /teams-ai\\/lib\\/index\\.js$|gpt-tokenizer|\\/openai\\//.test(f)),
        }));
      });`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--disable-warning=DEP0111', '-e', `const path = require('node:path');${script}`], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, TEST_DATA_DIR: dataDir },
    });
    loaded = JSON.parse(stdout) as LoadedModules;
  });
  after(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves without the Azure Tables SDK, ioredis or the cluster modules', () => {
    assert.equal(loaded.healthz, 200, 'the service should have answered /healthz');
    assert.ok(loaded.store, 'the service should have opened its SQLite store');
    assert.deepEqual(loaded.unwantedStores, []);
  });

  it("serves with teams-ai's Application but without its index or its tokenizer", () => {
    assert.ok(loaded.application, 'the service should load teams-ai Application');
    assert.deepEqual(loaded.unwantedAi, []);
  });
});
