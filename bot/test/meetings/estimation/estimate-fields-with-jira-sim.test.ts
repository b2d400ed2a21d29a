import assert from 'node:assert/strict';
import { FieldId, type JiraSim } from '../../../../dev/jira-sim/src';
import { startMeetingStack, type Attendee, type MeetingStack } from '../../support/start-meeting-stack';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const MEETING = '19:meeting_estimate-fields@thread.v2';
const ALICE: Attendee = { tenantId: TENANT, aadObjectId: 'a11ce000-0000-4000-8000-0000000000e1', name: 'Alice Admin', jira: 'alice' };
const BOB: Attendee = { tenantId: TENANT, aadObjectId: 'b0b00000-0000-4000-8000-0000000000e2', name: 'Bob Builder', jira: 'bob', via: 'oauth' };

/**
 * Issue #18: an accepted round lands in the field the issue's board estimates with, for the two
 * board configurations besides Story Points, through the assembled service and the simulator's
 * board configuration (set through /_sim, as a board admin sets it in Jira) and read back from
 * the simulator over REST. Bob accepts through an OAuth connection, Alice through an API token.
 */
describe("accepting a round into the board's estimation field", () => {
  let stack: MeetingStack;
  let sim: JiraSim;

  before(async () => {
    stack = await startMeetingStack({ meetings: { [MEETING]: [ALICE, BOB] } });
    sim = stack.sim;
  });
  after(() => stack?.close());

  const ok = async (who: Attendee, method: string, path: string, body?: unknown) => {
    const answer = await stack.api(stack.tokenOf(who), method, path, body);
    assert.ok(answer.status < 300, `${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const estimateWith = async (field: string) => {
    const response = await fetch(`${sim.url}/_sim/boards/1/estimation`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ field }) });
    assert.equal(response.status, 200, await response.clone().text());
  };
  /** The issue as Jira's REST API returns it to its administrator. */
  const simIssue = async (key: string, fields: string) => {
    const response = await fetch(`${sim.url}/rest/api/3/issue/${key}?fields=${fields}`, {
      headers: { authorization: sim.basicAuth('alice@example.com'), accept: 'application/json' },
    });
    return ((await response.json()) as { fields: Record<string, any> }).fields;
  };
  /** A round on the n-th story of PHX (the scrum board's project): both vote `card`, `accepter` accepts `value`. */
  const acceptRound = async (n: number, card: string, accepter: Attendee, value: number) => {
    const backlogId = (await ok(ALICE, 'POST', '/backlogs', { name: 'Estimate fields', jql: 'project = PHX AND issuetype = Story ORDER BY Rank ASC', conversationId: MEETING }))
      .backlog.id;
    const key = ((await ok(ALICE, 'GET', `/backlogs/${backlogId}/issues?pageSize=10`)).issues[n] as { key: string }).key;
    const round = (await ok(ALICE, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: key })).round;
    const roundPath = `/backlogs/${backlogId}/estimation/${round.id}`;
    await ok(ALICE, 'POST', `${roundPath}/votes`, { card });
    await ok(BOB, 'POST', `${roundPath}/votes`, { card });
    await ok(BOB, 'POST', `${roundPath}/reveal`);
    const accepted = (await ok(accepter, 'POST', `${roundPath}/accept`, { value })).round.accepted;
    return { key, accepted };
  };

  it('writes "Story point estimate" when the board estimates with it (a team-managed project\'s field), leaving Story Points alone', async () => {
    await estimateWith('Story point estimate');
    const { key, accepted } = await acceptRound(0, '8', BOB, 8);
    assert.deepEqual(accepted, { value: 8, by: 'Bob Builder', field: 'Story point estimate' });
    const fields = await simIssue(key, `${FieldId.StoryPointEstimate},${FieldId.StoryPoints}`);
    assert.equal(fields[FieldId.StoryPointEstimate], 8);
    assert.notEqual(fields[FieldId.StoryPoints], 8, 'the other story point field is not the one written');
  });

  it('writes the original estimate, in hours, through time tracking when the board estimates in time', async () => {
    await estimateWith('Original estimate');
    const { key, accepted } = await acceptRound(1, '2', ALICE, 1.5);
    assert.deepEqual(accepted, { value: 1.5, by: 'Alice Admin', field: 'Original estimate' });
    const { timetracking } = await simIssue(key, 'timetracking');
    assert.equal(timetracking.originalEstimate, '1h 30m');
    assert.equal(timetracking.originalEstimateSeconds, 5400);
  });
});
