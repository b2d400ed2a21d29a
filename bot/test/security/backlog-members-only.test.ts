import assert from 'node:assert/strict';
import { startBotConnector, type BotConnector } from '../../../dev/bot-connector-emu/src';
import { startEntraEmu, type EntraEmu } from '../../../dev/entra-emu/src';
import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src';
import { startTestBot, type TestBot } from '../support/start-test-bot';
import { seatMeeting, seatMore } from '../meetings/seat-meeting';
import { assertTabError, tabClient } from '../meetings/tab-client';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const AUDIENCE = 'api://localhost/00000000-0000-0000-0000-0000000000b0';
const MEETING = '19:meeting_backlog-members-only@thread.v2';
const OTHER_MEETING = '19:meeting_someone-elses@thread.v2';

interface Person {
  oid: string;
  name: string;
  jiraUser: string;
}
const ALICE: Person = { oid: 'a11ce000-0000-4000-8000-0000000000a1', name: 'Alice Admin', jiraUser: 'alice' };
const BOB: Person = { oid: 'b0b00000-0000-4000-8000-0000000000b2', name: 'Bob Builder', jiraUser: 'bob' };
/** Same tenant, connected to the same Jira site with access to the same projects, not in the meeting. */
const MALLORY: Person = { oid: '3a110000-0000-4000-8000-0000000000c3', name: 'Mallory Notinvited', jiraUser: 'carol' };

/**
 * Issue #15 item 4, first half: a backlog belongs to its meeting. Knowing its id and being in
 * the same tenant is not enough; Teams' roster (the Bot Connector emulation) decides.
 */
describe('security: backlogs belong to their conversation', () => {
  let sim: JiraSim;
  let emu: EntraEmu;
  let connector: BotConnector;
  let testBot: TestBot;
  let api: ReturnType<typeof tabClient>;
  const tokens = new Map<Person, string>();
  const as = (who: Person) => tokens.get(who)!;

  before(async () => {
    sim = await startJiraSim({ port: 0 });
    emu = await startEntraEmu();
    connector = await startBotConnector();
    testBot = await startTestBot({
      JIRA_BASE_URL: sim.url,
      ALERT_POLL_INTERVAL_SECONDS: '0',
      TAB_SSO_AUDIENCE: AUDIENCE,
      TAB_SSO_JWKS_URL: emu.jwksUrl,
      TAB_SSO_ISSUER: emu.issuerTemplate,
    });
    api = tabClient(testBot.bot.url);
    await seatMeeting(
      testBot.messagesUrl,
      connector,
      MEETING,
      [ALICE, BOB].map((p) => ({ tenantId: TENANT, aadObjectId: p.oid, name: p.name })),
    );
    await seatMeeting(testBot.messagesUrl, connector, OTHER_MEETING, [{ tenantId: TENANT, aadObjectId: MALLORY.oid, name: MALLORY.name }]);
    for (const who of [ALICE, BOB, MALLORY]) {
      tokens.set(who, await emu.issueToken({ tenantId: TENANT, aadObjectId: who.oid, name: who.name, audience: AUDIENCE }));
      await testBot.bot.connections.connectWithApiToken(
        { tenantId: TENANT, userId: who.oid },
        { siteUrl: sim.url, email: `${who.jiraUser}@example.com`, apiToken: `sim-token-${who.jiraUser}` },
      );
    }
  });
  after(async () => {
    await testBot?.close();
    await connector?.close();
    await emu?.close();
    await sim?.close();
  });

  const create = async (who: Person, body: Record<string, unknown>) => {
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
    const stream = await fetch(`${testBot.bot.url}/api/tab${path}/events`, { headers: { authorization: `Bearer ${as(MALLORY)}` } });
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
    const dave = { tenantId: TENANT, aadObjectId: 'da7e0000-0000-4000-8000-0000000000d4', name: 'Dave Developer' };
    seatMore(connector, MEETING, [dave]);
    await testBot.bot.connections.connectWithApiToken({ tenantId: TENANT, userId: dave.aadObjectId }, { siteUrl: sim.url, email: 'dave@example.com', apiToken: 'sim-token-dave' });
    const token = await emu.issueToken({ ...dave, audience: AUDIENCE });
    connector.clear();
    for (let i = 0; i < 5; i += 1) assert.equal((await api(token, 'GET', `/backlogs/${backlog.id}`)).status, 200);
    const lookups = connector.calls.filter((c) => c.kind === 'getConversationMember' && c.conversationId === MEETING);
    assert.equal(lookups.length, 1, 'one roster lookup for Dave, then the cached answer');
  });

  it('refuses, rather than guesses, when Teams cannot tell who is in the meeting (503 teamsUnavailable)', async () => {
    const backlog = await create(ALICE, { name: 'Outage', jql: 'project = PHX', conversationId: MEETING });
    // Erin joins now (nothing cached about her), while the Bot Connector fails.
    const erin = { tenantId: TENANT, aadObjectId: 'e1170000-0000-4000-8000-0000000000e5', name: 'Erin Tester' };
    seatMore(connector, MEETING, [erin]);
    await testBot.bot.connections.connectWithApiToken({ tenantId: TENANT, userId: erin.aadObjectId }, { siteUrl: sim.url, email: 'erin@example.com', apiToken: 'sim-token-erin' });
    const token = await emu.issueToken({ ...erin, audience: AUDIENCE });
    // Enough failures to outlast the connector client's own retries.
    connector.failNext(10, 500, { conversationId: MEETING });
    const answer = await api(token, 'GET', `/backlogs/${backlog.id}`);
    assertTabError(answer, 503, 'teamsUnavailable');
    assert.doesNotMatch(JSON.stringify(answer.body), /Outage|project = PHX/);
    assert.ok(Number(answer.headers.get('retry-after')) > 0);
  });
});
