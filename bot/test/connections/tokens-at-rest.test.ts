import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src';
import { DEFAULT_TENANT_ID, TEAMS_USER } from '../../../dev/bot-connector-emu/src';
import { connectionOwner } from '../../src/connections/connection';
import { startTestBot, type TestBot } from '../support/start-test-bot';

/** Bytes of the SQLite database as they lie on disk, its write-ahead log included. */
function databaseBytes(dataDir: string): Buffer {
  const files = fs.readdirSync(dataDir).filter((name) => /\.db(-wal|-shm)?$/.test(name));
  assert.ok(
    files.some((name) => name.endsWith('.db')),
    `no database file in ${files.join(', ')}`,
  );
  return Buffer.concat(files.map((name) => fs.readFileSync(path.join(dataDir, name))));
}

describe('tokens at rest', () => {
  let sim: JiraSim;
  let testBot: TestBot;

  before(async () => {
    sim = await startJiraSim({ port: 0 });
    testBot = await startTestBot({ JIRA_BASE_URL: sim.url, TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64') });
  });
  after(async () => {
    await testBot?.close();
    await sim?.close();
  });

  it('leaves no API token or email in plain text in the SQLite files', async () => {
    await testBot.bot.connections.connectWithApiToken(connectionOwner(DEFAULT_TENANT_ID, TEAMS_USER), {
      siteUrl: sim.url,
      email: 'erin@example.com',
      apiToken: 'sim-token-erin',
    });
    const bytes = databaseBytes(testBot.dataDir);
    assert.ok(bytes.includes(Buffer.from('connections')), 'the connection row is on disk');
    for (const secret of ['sim-token-erin', 'erin@example.com']) {
      assert.ok(!bytes.includes(Buffer.from(secret)), `${secret} is readable in the database files`);
    }
    // And the service can still use it.
    const { connection } = await testBot.bot.connections.jiraFor(connectionOwner(DEFAULT_TENANT_ID, TEAMS_USER));
    assert.equal(connection.displayName, 'Erin Tester');
  });
});
