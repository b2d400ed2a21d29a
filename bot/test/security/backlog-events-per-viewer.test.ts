import assert from 'node:assert/strict';
import { startMeetingStack, type Attendee, type MeetingStack } from '../support/start-meeting-stack';
import { openEventStream } from '../meetings/tab-client';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const MEETING = '19:meeting_events-per-viewer@thread.v2';
const JQL = 'statusCategory != Done';
const ALICE: Attendee = { tenantId: TENANT, aadObjectId: 'a11ce000-0000-4000-8000-0000000000e1', name: 'Alice Admin', jira: 'alice' };
/** Victor may browse PHX but not SUP (the simulator's demo site). */
const VICTOR: Attendee = { tenantId: TENANT, aadObjectId: 'f1c70000-0000-4000-8000-0000000000e8', name: 'Victor Viewer', jira: 'victor' };

/**
 * Issue #15 item 4, second half: two members of the same meeting, whose Jira sees different
 * issues, have the same backlog open. Events about an issue (its key, who changed it) reach only
 * the stream of a member who was shown that issue by their own Jira.
 */
describe('security: backlog events reach only viewers who may see the issue', () => {
  let stack: MeetingStack;
  let sim: MeetingStack['sim'];
  let api: MeetingStack['api'];
  let testBot: MeetingStack['testBot'];
  const tokens = { alice: '', victor: '' };

  const firstKey = async (jql: string) => {
    const response = await fetch(`${sim.url}/rest/api/3/search/jql`, {
      method: 'POST',
      headers: { authorization: sim.basicAuth('alice@example.com'), 'content-type': 'application/json' },
      body: JSON.stringify({ jql, maxResults: 1, fields: ['id'] }),
    });
    return ((await response.json()) as { issues: Array<{ key: string }> }).issues[0].key;
  };

  before(async () => {
    stack = await startMeetingStack({ meetings: { [MEETING]: [ALICE, VICTOR] } });
    ({ sim, api, testBot } = stack);
    tokens.alice = stack.tokenOf(ALICE);
    tokens.victor = stack.tokenOf(VICTOR);
  });
  after(() => stack?.close());

  it("does not send Victor a SUP issue's key or editor while Alice, who may see it, gets them", async () => {
    const created = await api(tokens.alice, 'POST', '/backlogs', { name: 'Everything open', jql: JQL, conversationId: MEETING });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.backlog.id as string;
    const sup = await firstKey(`project = SUP AND ${JQL}`);
    const phx = await firstKey(`project = PHX AND ${JQL} ORDER BY Rank ASC`);
    const phxNext = await firstKey(`project = PHX AND ${JQL} AND key != ${phx} ORDER BY Rank ASC`);

    const alice = await openEventStream(`${testBot.bot.url}/api/tab/backlogs/${id}/events`, tokens.alice);
    const victor = await openEventStream(`${testBot.bot.url}/api/tab/backlogs/${id}/events`, tokens.victor);
    try {
      await alice.next('ready');
      await victor.next('ready');
      // Each panel shows what its own Jira returns: Victor's cannot open the SUP issue.
      for (const key of [sup, phx, phxNext]) assert.equal((await api(tokens.alice, 'GET', `/backlogs/${id}/issues/${key}`)).status, 200);
      for (const key of [phx, phxNext]) assert.equal((await api(tokens.victor, 'GET', `/backlogs/${id}/issues/${key}`)).status, 200);
      assert.equal((await api(tokens.victor, 'GET', `/backlogs/${id}/issues/${sup}`)).status, 404);

      // Alice edits the SUP issue, ranks it, and creates another SUP issue: all hers alone.
      assert.equal((await api(tokens.alice, 'PATCH', `/backlogs/${id}/issues/${sup}`, { priorityId: '2' })).status, 200);
      assert.deepEqual((await alice.next('issue-changed', (d) => d.key === sup)).data, { key: sup, by: 'Alice Admin' });
      assert.equal((await api(tokens.alice, 'POST', `/backlogs/${id}/rank`, { keys: [sup], before: phx })).status, 200);
      await alice.next('ranked', (d) => d.keys.includes(sup));
      const newSup = await api(tokens.alice, 'POST', `/backlogs/${id}/issues`, { projectKey: 'SUP', issueTypeId: '10005', summary: 'Refund for Zebulon' });
      assert.equal(newSup.status, 201, JSON.stringify(newSup.body));
      await alice.next('issue-created', (d) => d.key === newSup.body.issue.key);

      // Then a PHX change and a new PHX issue, which both may see: once Victor has those, the
      // events before them were decided (a stream is in order).
      assert.equal((await api(tokens.alice, 'PATCH', `/backlogs/${id}/issues/${phx}`, { priorityId: '3' })).status, 200);
      assert.deepEqual((await victor.next('issue-changed', (d) => d.key === phx)).data, { key: phx, by: 'Alice Admin' });
      const newPhx = await api(tokens.alice, 'POST', `/backlogs/${id}/issues`, { projectKey: 'PHX', issueTypeId: '10002', summary: 'Visible to all' });
      assert.equal(newPhx.status, 201, JSON.stringify(newPhx.body));
      assert.deepEqual((await victor.next('issue-created', (d) => d.key === newPhx.body.issue.key)).data, { key: newPhx.body.issue.key, by: 'Alice Admin' });
      await alice.next('issue-created', (d) => d.key === newPhx.body.issue.key);

      const victorSaw = JSON.stringify(victor.events);
      assert.doesNotMatch(victorSaw, /SUP-/, `Victor's stream named a SUP issue: ${victorSaw}`);
      assert.ok(!victor.events.some((e) => e.event === 'ranked'), 'the rank of an issue Victor cannot see is not sent to him');
      assert.match(JSON.stringify(alice.events), new RegExp(`${sup}.*${newSup.body.issue.key}`));
    } finally {
      await alice.close();
      await victor.close();
    }
  });
});
