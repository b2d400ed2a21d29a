import assert from 'node:assert/strict';
import { startMeetingStack, type Attendee, type MeetingStack } from '../support/start-meeting-stack';
import { assertTabError } from '../meetings/tab-client';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const MEETING = '19:meeting_backlog-members-only@thread.v2';
const OTHER_MEETING = '19:meeting_someone-elses@thread.v2';

const ALICE: Attendee = { tenantId: TENANT, aadObjectId: 'a11ce000-0000-4000-8000-0000000000a1', name: 'Alice Admin', jira: 'alice' };
const BOB: Attendee = { tenantId: TENANT, aadObjectId: 'b0b00000-0000-4000-8000-0000000000b2', name: 'Bob Builder', jira: 'bob' };
/** Same tenant, connected to the same Jira site with access to the same projects, not in the meeting. */
const MALLORY: Attendee = { tenantId: TENANT, aadObjectId: '3a110000-0000-4000-8000-0000000000c3', name: 'Mallory Notinvited', jira: 'carol' };

/**
 * Issue #15 item 4, first half: a backlog belongs to its meeting. Knowing its id and being in
 * the same tenant is not enough; Teams' roster (the Bot Connector emulation) decides.
 */
describe('security: backlogs belong to their conversation', () => {
  let stack: MeetingStack;
  let api: MeetingStack['api'];
  const as = (who: Attendee) => stack.tokenOf(who);

  before(async () => {
    stack = await startMeetingStack({ meetings: { [MEETING]: [ALICE, BOB], [OTHER_MEETING]: [MALLORY] } });
    api = stack.api;
  });
  after(() => stack?.close());

  const create = async (who: Attendee, body: Record<string, unknown>) => {
    const answer = await api(as(who), 'POST', '/backlogs', body);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    return answer.body.backlog as { id: string; name: string; jql: string };
  };

  it('refuses a same-tenant non-member reading, renaming or replacing the JQL (403 notMember), and lets a member', async () => {
    const backlog = await create(ALICE, { name: 'Sprint 12 grooming', jql: 'project = PHX', conversationId: MEETING });
    const path = `/backlogs/${backlog.id}`;

    assertTabError(await api(as(MALLORY), 'GET', path), 403, 'notMember', /not a member/);
    assertTabError(await api(as(MALLORY), 'PUT', path, { name: 'Taken over', jql: 'project = KAN' }), 403, 'notMember');
    assertTabError(await api(as(MALLORY), 'GET', `${path}/issues`), 403, 'notMember');
    const stream = await fetch(`${stack.testBot.bot.url}/api/tab${path}/events`, { headers: { authorization: `Bearer ${as(MALLORY)}` } });
    assert.equal(stream.status, 403);
    assert.equal(((await stream.json()) as { error: { code: string } }).error.code, 'notMember');
    const refused = JSON.stringify((await api(as(MALLORY), 'GET', path)).body);
    assert.doesNotMatch(refused, /Sprint 12|project = PHX/, 'the refusal tells nothing of the backlog');

    // Nothing changed, and a member reads and renames it.
    const read = await api(as(BOB), 'GET', path);
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.deepEqual([read.body.backlog.name, read.body.backlog.jql], ['Sprint 12 grooming', 'project = PHX']);
    const renamed = await api(as(BOB), 'PUT', path, { name: 'Sprint 12', jql: 'project = PHX AND statusCategory != Done' });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal((await api(as(BOB), 'GET', `${path}/issues?pageSize=1`)).status, 200);
  });

  it('binds a new backlog only to a conversation its creator is in', async () => {
    assertTabError(await api(as(MALLORY), 'POST', '/backlogs', { name: 'Squat', jql: 'project = PHX', conversationId: MEETING }), 403, 'notMember');
    assertTabError(await api(as(ALICE), 'POST', '/backlogs', { name: 'Squat', jql: 'project = PHX', conversationId: OTHER_MEETING }), 403, 'notMember');
    assertTabError(await api(as(ALICE), 'POST', '/backlogs', { name: 'Squat', jql: 'project = PHX', conversationId: '19:never-installed@thread.v2' }), 403, 'notMember');
  });

  it('keeps a backlog set up outside any conversation to its creator', async () => {
    const own = await create(ALICE, { name: 'Mine', jql: 'project = PHX' });
    assert.equal((await api(as(ALICE), 'GET', `/backlogs/${own.id}`)).status, 200);
    assertTabError(await api(as(BOB), 'GET', `/backlogs/${own.id}`), 403, 'notMember');
    assertTabError(await api(as(MALLORY), 'PUT', `/backlogs/${own.id}`, { name: 'x', jql: 'project = KAN' }), 403, 'notMember');
  });

  it('asks Teams about a member at most once a minute, whatever the number of calls', async () => {
    const backlog = await create(ALICE, { name: 'Cached', jql: 'project = PHX', conversationId: MEETING });
    // Dave joins the meeting now, so nothing about him is cached yet.
    const token = await stack.join(MEETING, { tenantId: TENANT, aadObjectId: 'da7e0000-0000-4000-8000-0000000000d4', name: 'Dave Developer', jira: 'dave' });
    stack.connector.clear();
    for (let i = 0; i < 5; i += 1) assert.equal((await api(token, 'GET', `/backlogs/${backlog.id}`)).status, 200);
    const lookups = stack.connector.calls.filter((c) => c.kind === 'getConversationMember' && c.conversationId === MEETING);
    assert.equal(lookups.length, 1, 'one roster lookup for Dave, then the cached answer');
  });

  it('refuses, rather than guesses, when Teams cannot tell who is in the meeting (503 teamsUnavailable)', async () => {
    const backlog = await create(ALICE, { name: 'Outage', jql: 'project = PHX', conversationId: MEETING });
    // Erin joins now (nothing cached about her), while the Bot Connector fails.
    const token = await stack.join(MEETING, { tenantId: TENANT, aadObjectId: 'e1170000-0000-4000-8000-0000000000e5', name: 'Erin Tester', jira: 'erin' });
    // Enough failures to outlast the connector client's own retries.
    stack.connector.failNext(10, 500, { conversationId: MEETING });
    const answer = await api(token, 'GET', `/backlogs/${backlog.id}`);
    assertTabError(answer, 503, 'teamsUnavailable');
    assert.doesNotMatch(JSON.stringify(answer.body), /Outage|project = PHX/);
    assert.ok(Number(answer.headers.get('retry-after')) > 0);
  });
});
