import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBotConnector, type BotConnector } from '../../../dev/bot-connector-emu/src';
import { startEntraEmu, type EntraEmu } from '../../../dev/entra-emu/src';
import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src';
import { MAX_STREAMS_PER_USER } from '../../src/meetings/meeting-hub';
import { openEventStream as serveEventStream } from '../../src/meetings/open-event-stream';
import { seatMeeting } from '../meetings/seat-meeting';
import { openEventStream, tabClient } from '../meetings/tab-client';
import { startTestBot, type TestBot } from '../support/start-test-bot';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const AUDIENCE = 'api://localhost/00000000-0000-0000-0000-0000000000b0';
const ALICE = { tenantId: TENANT, aadObjectId: 'a11ce000-0000-4000-8000-000000000001', name: 'Alice Admin', audience: AUDIENCE };
const BOB = { tenantId: TENANT, aadObjectId: 'b0b00000-0000-4000-8000-000000000002', name: 'Bob Builder', audience: AUDIENCE };

/**
 * Issue #15 item 6: one user opened 500 event streams, with no cap and no idle timeout. Now a user
 * holds at most MAX_STREAMS_PER_USER (429 past that, with Retry-After), a freed slot can be used
 * again, other users are unaffected, and a stream that carries no event is ended after a while.
 */
describe('security: event streams are capped per user and end when idle', () => {
  let sim: JiraSim;
  let emu: EntraEmu;
  let testBot: TestBot;
  let connector: BotConnector;
  let api: ReturnType<typeof tabClient>;
  let aliceToken: string;
  let bobToken: string;
  let backlogId: string;

  before(async () => {
    sim = await startJiraSim({ port: 0 });
    emu = await startEntraEmu();
    testBot = await startTestBot({
      JIRA_BASE_URL: sim.url,
      ALERT_POLL_INTERVAL_SECONDS: '0',
      TAB_SSO_AUDIENCE: AUDIENCE,
      TAB_SSO_JWKS_URL: emu.jwksUrl,
      TAB_SSO_ISSUER: emu.issuerTemplate,
    });
    api = tabClient(testBot.bot.url);
    aliceToken = await emu.issueToken(ALICE);
    bobToken = await emu.issueToken(BOB);
    for (const [who, user] of [
      [ALICE, 'alice'],
      [BOB, 'bob'],
    ] as const) {
      await testBot.bot.connections.connectWithApiToken(
        { tenantId: TENANT, userId: who.aadObjectId },
        { siteUrl: sim.url, email: `${user}@example.com`, apiToken: `sim-token-${user}` },
      );
    }
    // Both are in the meeting the backlog belongs to (security/backlog-members-only covers who is not).
    connector = await startBotConnector();
    await seatMeeting(testBot.messagesUrl, connector, '19:meeting_stream-caps@thread.v2', [ALICE, BOB]);
    const created = await api(aliceToken, 'POST', '/backlogs', { name: 'Caps', jql: 'project = PHX', conversationId: '19:meeting_stream-caps@thread.v2' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    backlogId = created.body.backlog.id;
  });
  after(async () => {
    await testBot?.close();
    await connector?.close();
    await emu?.close();
    await sim?.close();
  });

  it(`lets one user hold ${MAX_STREAMS_PER_USER} streams and refuses the next with 429, until one closes`, async () => {
    const url = `${testBot.bot.url}/api/tab/backlogs/${backlogId}/events`;
    const streams = [];
    for (let i = 0; i < MAX_STREAMS_PER_USER; i += 1) {
      const stream = await openEventStream(url, aliceToken);
      assert.equal(stream.response.status, 200);
      await stream.next('ready');
      streams.push(stream);
    }
    const refused = await fetch(url, { headers: { authorization: `Bearer ${aliceToken}` } });
    assert.equal(refused.status, 429);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'tooManyStreams');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);

    const bobs = await openEventStream(url, bobToken);
    assert.equal(bobs.response.status, 200, 'another user is not affected');
    await bobs.close();

    await streams.pop()!.close();
    const deadline = Date.now() + 10_000;
    let again = await fetch(url, { headers: { authorization: `Bearer ${aliceToken}` } });
    while (again.status === 429 && Date.now() < deadline) {
      await again.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await fetch(url, { headers: { authorization: `Bearer ${aliceToken}` } });
    }
    assert.equal(again.status, 200, 'a freed slot can be used again');
    await again.body?.cancel();
    await Promise.all(streams.map((s) => s.close()));
  });

  it('ends a stream that carried no event for the idle time, so the panel reconnects', async () => {
    let closed = 0;
    const server = http.createServer((req, res) => {
      const listener = serveEventStream(req, res, { idleMs: 300, heartbeatMs: 50, onClose: () => (closed += 1) });
      void listener;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const stream = await openEventStream(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, 'token');
      await stream.next('ready');
      await stream.waitForEnd();
      assert.ok(stream.heartbeats() >= 1, 'heartbeats alone do not keep it open');
      assert.equal(closed, 1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
