import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_STREAMS_PER_USER } from '../../src/meetings/meeting-hub';
import { openEventStream as serveEventStream } from '../../src/meetings/open-event-stream';
import { openEventStream } from '../meetings/tab-client';
import { startMeetingStack, type Attendee, type MeetingStack } from '../support/start-meeting-stack';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const MEETING = '19:meeting_stream-caps@thread.v2';
const ALICE: Attendee = { tenantId: TENANT, aadObjectId: 'a11ce000-0000-4000-8000-000000000001', name: 'Alice Admin', jira: 'alice' };
const BOB: Attendee = { tenantId: TENANT, aadObjectId: 'b0b00000-0000-4000-8000-000000000002', name: 'Bob Builder', jira: 'bob' };

/**
 * Issue #15 item 6: one user opened 500 event streams, with no cap and no idle timeout. Now a user
 * holds at most MAX_STREAMS_PER_USER (429 past that, with Retry-After), a freed slot can be used
 * again, other users are unaffected, and a stream that carries no event is ended after a while.
 */
describe('security: event streams are capped per user and end when idle', () => {
  let stack: MeetingStack;
  let testBot: MeetingStack['testBot'];
  let aliceToken: string;
  let bobToken: string;
  let backlogId: string;

  before(async () => {
    // Both are in the meeting the backlog belongs to (security/backlog-members-only covers who is not).
    stack = await startMeetingStack({ meetings: { [MEETING]: [ALICE, BOB] } });
    testBot = stack.testBot;
    aliceToken = stack.tokenOf(ALICE);
    bobToken = stack.tokenOf(BOB);
    const created = await stack.api(aliceToken, 'POST', '/backlogs', { name: 'Caps', jql: 'project = PHX', conversationId: MEETING });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    backlogId = created.body.backlog.id;
  });
  after(() => stack?.close());

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
