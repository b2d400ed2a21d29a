import assert from 'node:assert/strict';
import { startEntraEmu, type EntraEmu } from '../../../dev/entra-emu/src';
import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src';
import { startTestBot, type TestBot } from '../support/start-test-bot';
import { openEventStream, tabClient } from './tab-client';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const AUDIENCE = 'api://localhost/00000000-0000-0000-0000-0000000000b0';
const ALICE = { oid: 'a11ce000-0000-4000-8000-000000000001', name: 'Alice Admin' };

/**
 * A site used only for grooming: no alert subscription, no webhook. The alert poller still covers
 * it while a panel is open (as that panel's user), so a change made in Jira reaches the panel.
 */
describe('grooming panels on a site without alerts or webhooks', function () {
  // The poller's shortest interval is 10 s: the change shows at the next poll.
  this.timeout(45_000);
  let sim: JiraSim;
  let emu: EntraEmu;
  let testBot: TestBot;

  before(async () => {
    sim = await startJiraSim({ port: 0 });
    emu = await startEntraEmu();
    testBot = await startTestBot({
      JIRA_BASE_URL: sim.url,
      ALERT_POLL_INTERVAL_SECONDS: '10',
      TAB_SSO_AUDIENCE: AUDIENCE,
      TAB_SSO_JWKS_URL: emu.jwksUrl,
      TAB_SSO_ISSUER: emu.issuerTemplate,
    });
    await testBot.bot.connections.connectWithApiToken({ tenantId: TENANT, userId: ALICE.oid }, { siteUrl: sim.url, email: 'alice@example.com', apiToken: 'sim-token-alice' });
  });
  after(async () => {
    await testBot?.close();
    await emu?.close();
    await sim?.close();
  });

  it('polls the site while a panel is open and tells the panel of a change made in Jira', async () => {
    assert.equal((await testBot.bot.alerts.alerts.repository.all()).length, 0, 'no subscription anywhere');
    const token = await emu.issueToken({ tenantId: TENANT, aadObjectId: ALICE.oid, name: ALICE.name, audience: AUDIENCE });
    const api = tabClient(testBot.bot.url);
    const created = await api(token, 'POST', '/backlogs', { name: 'Kanban grooming', jql: 'project = KAN' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const backlogId = created.body.backlog.id as string;

    const panel = await openEventStream(`${testBot.bot.url}/api/tab/backlogs/${backlogId}/events`, token);
    try {
      await panel.next('ready');
      assert.equal((await api(token, 'GET', `/backlogs/${backlogId}/issues`)).status, 200);
      assert.deepEqual(
        testBot.bot.meetings.hub.openSites().map((s) => ({ site: s.siteUrl, owners: s.owners.map((o) => o.userId) })),
        [{ site: sim.url.replace(/\/+$/, ''), owners: [ALICE.oid] }],
      );
      const from = panel.events.length;
      const changed = await fetch(`${sim.url}/rest/api/3/issue/KAN-3`, {
        method: 'PUT',
        headers: { authorization: sim.basicAuth('bob@example.com'), 'content-type': 'application/json' },
        body: JSON.stringify({ fields: { summary: 'Renamed in Jira while the meeting runs' } }),
      });
      assert.equal(changed.status, 204);
      const event = await panel.next('issue-changed', (d) => d.key === 'KAN-3', { from, timeoutMs: 30_000 });
      assert.deepEqual(event.data, { key: 'KAN-3' });
    } finally {
      await panel.close();
    }
    // The server sees the stream end a moment after the client drops it.
    for (let i = 0; i < 50 && testBot.bot.meetings.hub.openSites().length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(testBot.bot.meetings.hub.openSites(), [], 'a closed panel stops the polling');
  });
});
