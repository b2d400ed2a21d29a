import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_WEBHOOK_PATH } from '../../src/http/webhook-routes';
import { siteIdOf } from '../../src/wiring/site-directory';
import { startMeetingStack, type Attendee, type MeetingStack } from '../support/start-meeting-stack';
import { openEventStream } from './tab-client';

type EventStream = Awaited<ReturnType<typeof openEventStream>>;

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const SECRET = 'webhook-echo-test-secret';
const MEETING = '19:meeting_webhook-echo@thread.v2';
const ALICE: Attendee = { tenantId: TENANT, aadObjectId: 'a11ce000-0000-4000-8000-000000000001', name: 'Alice Admin', jira: 'alice' };
const BOB: Attendee = { tenantId: TENANT, aadObjectId: 'b0b00000-0000-4000-8000-000000000002', name: 'Bob Builder', jira: 'bob' };

interface HeldWebhook {
  release(): Promise<number>;
}

/**
 * Between the simulator and the bot: holds each webhook until the test releases it, then forwards it
 * as it came (headers and signature included) and answers the simulator with the bot's status. So
 * the test decides whether Jira's webhook about an edit arrives before or after the edit's answer.
 */
async function startWebhookRelay(target: string) {
  const held: HeldWebhook[] = [];
  const waiters = new Set<() => void>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) headers[name] = value;
      held.push({
        async release() {
          const answer = await fetch(`${target}${req.url}`, { method: 'POST', headers, body: Buffer.concat(chunks) });
          await answer.arrayBuffer();
          res.statusCode = answer.status;
          res.end();
          return answer.status;
        },
      });
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Resolves with the next webhook held, once the simulator has sent it. */
    async next(): Promise<HeldWebhook> {
      while (held.length === 0) await new Promise<void>((resolve) => waiters.add(resolve)).finally(() => waiters.clear());
      return held.shift()!;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * An edit made through the grooming tab comes back from Jira as a webhook. The meeting hub has
 * already told every panel of the edit (with the editor's name), so it drops that echo instead of
 * making every panel refetch the issue again; a change made in Jira afterwards still goes out.
 */
describe('meeting hub and Jira webhooks about tab edits', function () {
  this.timeout(30_000);
  let stack: MeetingStack;
  let relay: Awaited<ReturnType<typeof startWebhookRelay>>;

  before(async () => {
    stack = await startMeetingStack({
      meetings: { [MEETING]: [ALICE, BOB] },
      env: { JIRA_WEBHOOK_SECRET: SECRET },
      sim: { webhookRetry: { attempts: 1, baseDelayMs: 10, timeoutMs: 20_000 } },
    });
    relay = await startWebhookRelay(stack.testBot.bot.url);
    const { sim } = stack;
    const registered = await fetch(`${sim.url}/rest/webhooks/1.0/webhook`, {
      method: 'POST',
      headers: { authorization: sim.basicAuth('alice@example.com'), 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Jira for Teams',
        url: `${relay.url}${ADMIN_WEBHOOK_PATH.replace(':siteId', siteIdOf(sim.url))}`,
        events: ['jira:issue_created', 'jira:issue_updated'],
        filters: { 'issue-related-events-section': 'project = PHX' },
        secret: SECRET,
      }),
    });
    assert.ok(registered.status < 300, await registered.text());
  });
  after(async () => {
    await relay?.close();
    await stack?.close();
  });

  /**
   * Alice has a backlog open and was shown `shown`. Bob changes an issue through the tab (`change`, which
   * waits until Alice's panel was told, and returns the issue's key), and only then does Jira's webhook
   * about it arrive; then Carol changes the same issue in Jira itself. Returns every event Alice's panel
   * received until then.
   */
  async function tabChangeThenJiraChange(shown: string, change: (backlogId: string, panel: EventStream) => Promise<string>) {
    const { api, sim, testBot } = stack;
    const alice = stack.tokenOf(ALICE);
    const bob = stack.tokenOf(BOB);
    const created = await api(bob, 'POST', '/backlogs', { name: `Echo of ${shown}`, jql: 'project = PHX', conversationId: MEETING });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const backlogId = created.body.backlog.id as string;
    const panel = await openEventStream(`${testBot.bot.url}/api/tab/backlogs/${backlogId}/events`, alice);
    try {
      await panel.next('ready');
      assert.equal((await api(alice, 'GET', `/backlogs/${backlogId}/issues/${shown}`)).status, 200);

      const key = await change(backlogId, panel);
      assert.equal(await (await relay.next()).release(), 202, "the bot accepted Jira's webhook about Bob's change");

      const outside = await fetch(`${sim.url}/rest/api/3/issue/${key}`, {
        method: 'PUT',
        headers: { authorization: sim.basicAuth('carol@example.com'), 'content-type': 'application/json' },
        body: JSON.stringify({ fields: { summary: 'Changed in Jira after the meeting' } }),
      });
      assert.equal(outside.status, 204);
      assert.equal(await (await relay.next()).release(), 202);

      // Events reach a panel in order: once the rename is there, every earlier event is too.
      assert.ok((await api(bob, 'PUT', `/backlogs/${backlogId}`, { name: 'Echo, renamed', jql: 'project = PHX' })).status < 300);
      await panel.next('backlog-changed');
      return panel.events;
    } finally {
      await panel.close();
    }
  }

  it('tells a panel once of an edit through the tab, and still of a change made in Jira after it', async () => {
    const events = await tabChangeThenJiraChange('PHX-11', async (backlogId, panel) => {
      const edited = await stack.api(stack.tokenOf(BOB), 'PATCH', `/backlogs/${backlogId}/issues/PHX-11`, { priorityId: '2' });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      await panel.next('issue-changed', (d) => d.key === 'PHX-11' && d.by === BOB.name);
      return 'PHX-11';
    });
    assert.deepEqual(
      events.filter((e) => e.event === 'issue-changed').map((e) => e.data),
      [{ key: 'PHX-11', by: BOB.name }, { key: 'PHX-11' }],
    );
  });

  it('tells a panel once of a rank change through the tab, and still of a change made in Jira after it', async () => {
    // Jira's webhook about a rank change names the field by its display name ("Rank"), and the tab
    // told the panels of it as `ranked`, not `issue-changed`.
    const events = await tabChangeThenJiraChange('PHX-12', async (backlogId, panel) => {
      const ranked = await stack.api(stack.tokenOf(BOB), 'POST', `/backlogs/${backlogId}/rank`, { keys: ['PHX-12'], after: 'PHX-14' });
      assert.equal(ranked.status, 200, JSON.stringify(ranked.body));
      await panel.next('ranked', (d) => d.keys.includes('PHX-12') && d.by === BOB.name);
      return 'PHX-12';
    });
    assert.deepEqual(
      events.filter((e) => e.event === 'issue-changed' || e.event === 'ranked').map((e) => e.data),
      [{ keys: ['PHX-12'], by: BOB.name }, { key: 'PHX-12' }],
    );
  });

  it('tells a panel once of an issue created through the tab, and still of a change made in Jira after it', async () => {
    let key = '';
    const events = await tabChangeThenJiraChange('PHX-11', async (backlogId, panel) => {
      const created = await stack.api(stack.tokenOf(BOB), 'POST', `/backlogs/${backlogId}/issues`, { projectKey: 'PHX', issueTypeId: '10002', summary: 'Made in the meeting' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      key = created.body.issue.key as string;
      // Alice's own Jira finds it in the backlog first, in the background.
      await panel.next('issue-created', (d) => d.key === key && d.by === BOB.name);
      return key;
    });
    assert.deepEqual(
      events.filter((e) => e.event === 'issue-changed' || e.event === 'issue-created').map((e) => ({ event: e.event, ...e.data })),
      [
        { event: 'issue-created', key, by: BOB.name },
        { event: 'issue-changed', key },
      ],
    );
  });
});
