import assert from 'node:assert/strict';
import { startTestBot, type TestBot } from '../support/start-test-bot';

describe('HEAD /api/messages', () => {
  let testBot: TestBot;
  before(async () => {
    testBot = await startTestBot();
  });
  after(async () => testBot?.close());

  // Tunnels, the Agents Playground and uptime probes check the messaging endpoint with HEAD: that is
  // a reachability question, not a rejected request worth a warning.
  it('answers a reachability probe with 200 and no body, and logs no warning', async () => {
    const before = testBot.logs.lines().length;
    const response = await fetch(testBot.messagesUrl, { method: 'HEAD' });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '');
    const warnings = testBot.logs
      .lines()
      .slice(before)
      .filter((line) => Number(line.level) >= 40);
    assert.deepEqual(warnings, []);
  });

  it('still refuses GET, which carries no activity', async () => {
    const response = await fetch(testBot.messagesUrl);
    assert.equal(response.status, 405);
    await response.body?.cancel();
  });
});
