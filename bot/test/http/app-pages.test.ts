import assert from 'node:assert/strict';
import { startJiraSim } from '../../../dev/jira-sim/src';
import { startTestBot, type TestBot } from '../support/start-test-bot';

describe('health, readiness and app pages', () => {
  let testBot: TestBot;
  before(async () => {
    testBot = await startTestBot();
  });
  after(async () => testBot?.close());

  it('answers /healthz', async () => {
    const response = await fetch(`${testBot.bot.url}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'alive' });
  });

  it('is ready when the store answers', async () => {
    const response = await fetch(`${testBot.bot.url}/readyz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ready: true, checks: { store: 'ok' } });
  });

  for (const [path, heading] of [
    ['/', 'Jira Connector for Teams'],
    ['/privacy', 'Privacy'],
    ['/terms', 'Terms of use'],
  ]) {
    it(`serves ${path}, linked from the manifest`, async () => {
      const response = await fetch(`${testBot.bot.url}${path}`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await response.text(), new RegExp(`<h1>${heading}</h1>`));
    });
  }
});

describe('readiness with Jira configured', () => {
  it('is ready when the configured Jira site answers', async () => {
    const sim = await startJiraSim({ seed: 'empty' });
    const testBot = await startTestBot({ JIRA_BASE_URL: sim.url });
    try {
      const response = await fetch(`${testBot.bot.url}/readyz`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { ready: true, checks: { store: 'ok', jira: 'ok' } });
    } finally {
      await testBot.close();
      await sim.close();
    }
  });

  it('is not ready while the Jira site does not answer, and says which check failed', async () => {
    const testBot = await startTestBot({ JIRA_BASE_URL: 'http://127.0.0.1:9' });
    try {
      const response = await fetch(`${testBot.bot.url}/readyz`);
      assert.equal(response.status, 503);
      const body = (await response.json()) as { ready: boolean; checks: Record<string, string> };
      assert.equal(body.ready, false);
      assert.equal(body.checks.store, 'ok');
      assert.match(body.checks.jira, /^unreachable/);
    } finally {
      await testBot.close();
    }
  });

  it('is not ready once the store is closed', async () => {
    const testBot = await startTestBot();
    await testBot.bot.store.close();
    try {
      const response = await fetch(`${testBot.bot.url}/readyz`);
      assert.equal(response.status, 503);
      assert.match(((await response.json()) as { checks: { store: string } }).checks.store, /^failed/);
    } finally {
      await testBot.close();
    }
  });
});
