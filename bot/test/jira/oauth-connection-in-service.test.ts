import assert from 'node:assert/strict';
import { FieldId, type JiraSim } from '../../../dev/jira-sim/src';
import { startMeetingStack, type Attendee, type MeetingStack } from '../support/start-meeting-stack';

const MEETING = '19:meeting_oauth-grooming@thread.v2';
const ALICE: Attendee = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', aadObjectId: 'a11ce000-0000-4000-8000-000000000001', name: 'Alice Admin', jira: 'alice' };

/**
 * Issue #17 defect 10: the grooming tab in the assembled service with an OAuth 2.0 (3LO) connection
 * holding exactly the scopes the app requests: its reads, edits, rank and create
 * (bot/test/meetings/tab-api.test.ts covers the same with API tokens).
 * The simulator answers a token without an operation's scope 401, as api.atlassian.com does, so a
 * call that needs a scope the app never asks for fails here.
 */
describe('an OAuth connection in the assembled service works with the scopes the app requests', () => {
  let stack: MeetingStack;
  let sim: JiraSim;
  let token: string;
  const api: MeetingStack['api'] = (...args) => stack.api(...args);

  before(async () => {
    // Alice consents on the simulator's authorization server and sends the code back, as in Teams.
    stack = await startMeetingStack({ meetings: { [MEETING]: [ALICE] }, via: 'oauth' });
    sim = stack.sim;
    token = stack.tokenOf(ALICE);
    const connection = await stack.testBot.bot.connections.repository.get({ tenantId: ALICE.tenantId, userId: ALICE.aadObjectId });
    assert.equal(connection?.kind, 'oauth');
  });
  after(() => stack?.close());

  let backlogId: string;
  const issueIn = (key: string) => sim.state.issue(key)!;
  const aliceId = () => sim.state.userByEmail('alice@example.com')!.accountId;
  /** PHX keys in rank order, as Jira ranks them. */
  const rankOrder = () =>
    sim.state.site.issues
      .filter((i) => i.key.startsWith('PHX-'))
      .sort((a, b) => (a.rank < b.rank ? -1 : 1))
      .map((i) => i.key);

  it("reads the grooming tab's backlog, its issues, priorities and New issue choices", async () => {
    const created = await api(token, 'POST', '/backlogs', { name: 'Grooming PHX', jql: 'project = PHX', conversationId: MEETING });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    backlogId = created.body.backlog.id;
    const issues = await api(token, 'GET', `/backlogs/${backlogId}/issues?pageSize=5`);
    assert.equal(issues.status, 200, JSON.stringify(issues.body));
    assert.deepEqual(
      issues.body.issues.map((i: { key: string }) => i.key),
      rankOrder().slice(0, 5),
    );
    const options = await api(token, 'GET', `/backlogs/${backlogId}/options`);
    assert.equal(options.status, 200, JSON.stringify(options.body));
    assert.deepEqual(
      options.body.priorities.map((p: { name: string }) => p.name),
      ['Highest', 'High', 'Medium', 'Low', 'Lowest'],
    );
    assert.ok(
      options.body.projects.some((p: { key: string }) => p.key === 'PHX'),
      'the New issue form lists the projects',
    );
    const assignable = await api(token, 'GET', `/backlogs/${backlogId}/assignable?issueKey=PHX-1&query=alice`);
    assert.equal(assignable.status, 200, JSON.stringify(assignable.body));
    assert.deepEqual(
      assignable.body.users.map((u: { accountId: string }) => u.accountId),
      [aliceId()],
    );
  });

  it('edits priority, estimate and assignee, and moves an issue through a transition', async () => {
    const edited = await api(token, 'PATCH', `/backlogs/${backlogId}/issues/PHX-7`, { priorityId: '1', estimate: 5, assigneeAccountId: aliceId() });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal(issueIn('PHX-7').values.priority, '1');
    assert.equal(issueIn('PHX-7').values[FieldId.StoryPoints], 5);
    assert.equal(issueIn('PHX-7').values.assignee, aliceId());
    const cleared = await api(token, 'PATCH', `/backlogs/${backlogId}/issues/PHX-7`, { assigneeAccountId: null });
    assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
    assert.equal(issueIn('PHX-7').values.assignee ?? null, null);

    const key = sim.state.site.issues.find((i) => i.key.startsWith('PHX-') && sim.state.status(i.statusId).name === 'To Do')!.key;
    const list = await api(token, 'GET', `/backlogs/${backlogId}/issues/${key}/transitions`);
    assert.equal(list.status, 200, JSON.stringify(list.body));
    const start = list.body.transitions.find((t: { name: string }) => t.name === 'Start progress');
    const moved = await api(token, 'POST', `/backlogs/${backlogId}/issues/${key}/transitions`, { transitionId: start.id });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(sim.state.status(issueIn(key).statusId).name, 'In Progress');
  });

  it('ranks issues (Agile API, write:issue:jira-software) and creates one', async () => {
    const [top, , third] = rankOrder();
    const ranked = await api(token, 'POST', `/backlogs/${backlogId}/rank`, { keys: [third], before: top });
    assert.equal(ranked.status, 200, JSON.stringify(ranked.body));
    assert.deepEqual(rankOrder().slice(0, 2), [third, top]);

    const created = await api(token, 'POST', `/backlogs/${backlogId}/issues`, { projectKey: 'PHX', issueTypeId: '10002', summary: 'Groomed over OAuth' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const issue = issueIn(created.body.issue.key);
    assert.equal(issue.values.summary, 'Groomed over OAuth');
    assert.equal(issue.values.reporter, aliceId());
  });
});
