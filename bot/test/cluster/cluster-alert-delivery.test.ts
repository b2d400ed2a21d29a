import assert from 'node:assert/strict';
import { DEFAULT_TENANT_ID } from '../../../dev/bot-connector-emu/src';
import { startAlertStack, type AlertStack } from '../alerts/start-alert-stack';
import { startAzurite, type Azurite } from '../support/azurite';
import { useRedisServer } from '../support/redis-server';

/**
 * The assembled service in cluster mode (Azure Tables on Azurite, redis-server): an alert from a
 * Jira webhook reaches the channel, and its send was counted in the tenant's shared window in
 * Redis, where every other instance's sends are counted too.
 */
describe('cluster mode: alert delivery through the shared send window', function () {
  this.timeout(60_000);
  let azurite: Azurite;
  let stack: AlertStack;
  // Registered before useRedisServer's (mocha runs after-hooks in the order given): the service stops before Redis does.
  after(async () => {
    await stack?.close();
    await azurite?.stop();
  });
  const redis = useRedisServer();

  before(async () => {
    azurite = await startAzurite();
    stack = await startAlertStack({
      realism: {},
      events: ['jira:issue_created', 'jira:issue_updated'],
      env: { STORE: 'azure', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, REDIS_URL: redis.url },
    });
    await stack.subscribe({ projects: 'PHX', events: 'created' });
  });

  it('counts each proactive send in Redis, under the tenant the conversation belongs to', async () => {
    const client = await redis.client();
    const window = `jira-teams:teams-app:{${DEFAULT_TENANT_ID}}`;
    const before = await client.zcard(window);
    const { key } = (await stack.jira('bob', 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'PHX' }, issuetype: { id: '10002' }, summary: 'Counted in the shared window' },
    })) as { key: string };
    const shown = new RegExp(`${key.replace('-', '\\\\?-')}\\b`);
    await stack.connector.waitFor(() => stack.channelCards().some((text) => shown.test(text)), { timeoutMs: 20_000 });
    assert.ok((await client.zcard(window)) > before, `the send was not counted in ${window}`);
    // Finished: its entry moved from "in flight" (scored ahead of Redis' clock) to when Teams answered.
    const [seconds] = await client.time();
    assert.ok((await client.zrangebyscore(window, '-inf', Number(seconds) * 1000 + 1000)).length >= 1, 'the send is still counted as in flight');
  });
});
