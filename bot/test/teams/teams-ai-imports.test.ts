import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * The service takes Application and TeamsAdapter from their own modules, not from teams-ai's index,
 * which would also load the AI planners and tokenizer tables (about 35 MB resident) for nothing.
 */
describe('teams-ai imports', () => {
  it("loads the whole service without teams-ai's index or its tokenizer", () => {
    const script = `
      require('./bot/src/http/allow-restify-on-node24');
      require('./bot/src/start-bot');
      const loaded = Object.keys(require.cache);
      process.stdout.write(JSON.stringify({
        application: loaded.some((f) => /teams-ai[\\\\/]lib[\\\\/]Application\\.js$/.test(f)),
        unwanted: loaded.filter((f) => /teams-ai[\\\\/]lib[\\\\/]index\\.js$|gpt-tokenizer|[\\\\/]openai[\\\\/]/.test(f)).map((f) => path.relative(process.cwd(), f)),
      }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--disable-warning=DEP0111', '-e', `const path = require('node:path');${script}`], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const result = JSON.parse(out) as { application: boolean; unwanted: string[] };
    assert.ok(result.application, 'the service should load teams-ai Application');
    assert.deepEqual(result.unwanted, []);
  });
});
