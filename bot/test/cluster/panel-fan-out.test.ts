import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startBotConnector, type BotConnector } from '../../../dev/bot-connector-emu/src';
import { startEntraEmu, type EntraEmu } from '../../../dev/entra-emu/src';
import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src';
import { seatMeeting } from '../meetings/seat-meeting';
import { openEventStream, tabClient } from '../meetings/tab-client';
import { startAzurite, type Azurite } from '../support/azurite';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { startTestBot, type TestBot } from '../support/start-test-bot';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const AUDIENCE = 'api://localhost/00000000-0000-0000-0000-0000000000b0';
const MEETING = '19:meeting_cluster-fan-out@thread.v2';
const ALICE = { oid: 'a11ce000-0000-4000-8000-000000000001', name: 'Alice Admin', jiraUser: 'alice' };
const BOB = { oid: 'b0b00000-0000-4000-8000-000000000002', name: 'Bob Builder', jiraUser: 'bob' };

/**
 * Cluster mode: two bot instances on one Azurite (the store) and one redis-server. A panel streams
 * from instance A while every other request of the meeting goes through instance B, as a
 * round-robin front may split them: the panel still hears each change.
 */
describe('cluster mode: panel events across instances', function () {
  this.timeout(60_000);
  let azurite: Azurite;
  let redis: RedisServer;
  let sim: JiraSim;
  let emu: EntraEmu;
  let connector: BotConnector;
  let a: TestBot;
  let b: TestBot;
  const tokens = new Map<string, string>();

  before(async () => {
    [azurite, redis, sim, emu, connector] = await Promise.all([startAzurite(), startRedisServer(), startJiraSim({ port: 0 }), startEntraEmu(), startBotConnector()]);
    const env = {
      STORE: 'azure',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      REDIS_URL: redis.url,
      // Every instance reads the connections the others stored.
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      JIRA_BASE_URL: sim.url,
      ALERT_POLL_INTERVAL_SECONDS: '0',
      TAB_SSO_AUDIENCE: AUDIENCE,
      TAB_SSO_JWKS_URL: emu.jwksUrl,
      TAB_SSO_ISSUER: emu.issuerTemplate,
    };
    a = await startTestBot(env);
    b = await startTestBot(env);
    await seatMeeting(
      b.messagesUrl,
      connector,
      MEETING,
      [ALICE, BOB].map((p) => ({ tenantId: TENANT, aadObjectId: p.oid, name: p.name })),
    );
    for (const who of [ALICE, BOB]) {
      tokens.set(who.oid, await emu.issueToken({ tenantId: TENANT, aadObjectId: who.oid, name: who.name, audience: AUDIENCE }));
      await b.bot.connections.connectWithApiToken(
        { tenantId: TENANT, userId: who.oid },
        { siteUrl: sim.url, email: `${who.jiraUser}@example.com`, apiToken: `sim-token-${who.jiraUser}` },
      );
    }
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await connector?.close();
    await emu?.close();
    await sim?.close();
    await redis?.stop();
    await azurite?.stop();
  });

  it('tells a panel streaming from instance A of edits, creations and rank changes made through instance B', async () => {
    const onB = tabClient(b.bot.url);
    const alice = tokens.get(ALICE.oid)!;
    const bob = tokens.get(BOB.oid)!;
    const created = await onB(bob, 'POST', '/backlogs', { name: 'Cluster grooming', jql: 'project = PHX', conversationId: MEETING });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const backlogId = created.body.backlog.id as string;

    const panel = await openEventStream(`${a.bot.url}/api/tab/backlogs/${backlogId}/events`, alice);
    try {
      await panel.next('ready');
      assert.equal(a.bot.meetings.hub.listenerCount(backlogId), 1);
      assert.equal(b.bot.meetings.hub.listenerCount(backlogId), 0, 'the panel streams from A only');

      // Alice's list is read through B, so only B's own Jira answer said she may see these issues.
      const list = await onB(alice, 'GET', `/backlogs/${backlogId}/issues`);
      assert.equal(list.status, 200, JSON.stringify(list.body));
      const keys = (list.body.issues as Array<{ key: string }>).map((i) => i.key);
      assert.ok(keys.length >= 3, `expected a few PHX issues, got ${keys.length}`);

      const edit = await onB(bob, 'PATCH', `/backlogs/${backlogId}/issues/${keys[0]}`, { priorityId: '2' });
      assert.equal(edit.status, 200, JSON.stringify(edit.body));
      assert.deepEqual((await panel.next('issue-changed', (d) => d.key === keys[0])).data, { key: keys[0], by: BOB.name });

      const ranked = await onB(bob, 'POST', `/backlogs/${backlogId}/rank`, { keys: [keys[2]], before: keys[0] });
      assert.ok(ranked.status < 300, JSON.stringify(ranked.body));
      assert.deepEqual((await panel.next('ranked')).data, { keys: [keys[2]], by: BOB.name });

      const renamed = await onB(bob, 'PUT', `/backlogs/${backlogId}`, { name: 'Cluster grooming, renamed', jql: 'project = PHX' });
      assert.ok(renamed.status < 300, JSON.stringify(renamed.body));
      await panel.next('backlog-changed');
    } finally {
      await panel.close();
    }
  });

  it('keeps issues a viewer was never shown out of their panel on the other instance', async () => {
    const onB = tabClient(b.bot.url);
    const alice = tokens.get(ALICE.oid)!;
    const bob = tokens.get(BOB.oid)!;
    const created = await onB(bob, 'POST', '/backlogs', { name: 'Unseen', jql: 'project = PHX', conversationId: MEETING });
    const backlogId = created.body.backlog.id as string;
    const panel = await openEventStream(`${a.bot.url}/api/tab/backlogs/${backlogId}/events`, alice);
    try {
      await panel.next('ready');
      const list = await onB(bob, 'GET', `/backlogs/${backlogId}/issues`);
      const [first, second] = (list.body.issues as Array<{ key: string }>).map((i) => i.key);
      // Alice reads only the second issue; Bob edits the first (unseen by her), then the second.
      assert.equal((await onB(alice, 'GET', `/backlogs/${backlogId}/issues/${second}`)).status, 200);
      assert.equal((await onB(bob, 'PATCH', `/backlogs/${backlogId}/issues/${first}`, { priorityId: '3' })).status, 200);
      assert.equal((await onB(bob, 'PATCH', `/backlogs/${backlogId}/issues/${second}`, { priorityId: '3' })).status, 200);
      await panel.next('issue-changed', (d) => d.key === second);
      // Messages from one instance arrive in order: the edit of the first came before, and was withheld.
      assert.deepEqual(
        panel.events.filter((e) => e.event === 'issue-changed').map((e) => e.data.key),
        [second],
      );
    } finally {
      await panel.close();
    }
  });
});
