import assert from 'node:assert/strict';
import { startBotConnector, type BotConnector } from '../../../dev/bot-connector-emu/src';
import { startEntraEmu, type EntraEmu } from '../../../dev/entra-emu/src';
import { startJiraSim, FieldId, type JiraSim } from '../../../dev/jira-sim/src';
import { ADMIN_WEBHOOK_PATH } from '../../src/http/webhook-routes';
import { siteIdOf } from '../../src/wiring/site-directory';
import { startTestBot, type TestBot } from '../support/start-test-bot';
import { seatMeeting } from './seat-meeting';
import { assertTabError, openEventStream, tabClient } from './tab-client';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '11111111-2222-4333-8444-555555555555';
const AUDIENCE = 'api://localhost/00000000-0000-0000-0000-0000000000b0';
const SECRET = 'tab-api-test-webhook-secret';
const accountId = (n: number) => `712020:00000000-0000-4000-8000-00000000000${n}`;

interface Person {
  oid: string;
  name: string;
  tenantId?: string;
  /** Demo user of the simulator this person connected as; none: not connected. */
  jiraUser?: string;
  otherSite?: boolean;
}
const ALICE: Person = { oid: 'a11ce000-0000-4000-8000-000000000001', name: 'Alice Admin', jiraUser: 'alice' };
const BOB: Person = { oid: 'b0b00000-0000-4000-8000-000000000002', name: 'Bob Builder', jiraUser: 'bob' };
const VICTOR: Person = { oid: 'f1c70000-0000-4000-8000-000000000008', name: 'Victor Viewer', jiraUser: 'victor' };
const NOBODY: Person = { oid: '0b0d0000-0000-4000-8000-000000000009', name: 'Nora Notconnected' };
const ELSEWHERE: Person = { oid: 'e15e0000-0000-4000-8000-00000000000a', name: 'Ed Elsewhere', jiraUser: 'alice', otherSite: true };
const OUTSIDER: Person = { oid: '0a7s0000-0000-4000-8000-00000000000b', name: 'Olga Outsider', tenantId: OTHER_TENANT, jiraUser: 'alice' };
/** The meeting chat the backlogs of these tests belong to; everyone above but Olga is in it (security/backlog-members-only covers outsiders). */
const MEETING = '19:meeting_tab-api-grooming@thread.v2';
const STALE_OID = 'dead0000-0000-4000-8000-00000000000c';

/**
 * The grooming tab's API over real HTTP against the assembled service: Teams SSO tokens from the
 * Entra emulation, each attendee's own Jira connection to the simulator, changes checked in the
 * simulator itself, and the live event stream.
 */
describe('tab API in the assembled service', () => {
  let sim: JiraSim;
  let otherSim: JiraSim;
  let emu: EntraEmu;
  let testBot: TestBot;
  let connector: BotConnector;
  let api: ReturnType<typeof tabClient>;
  const tokens = new Map<Person, string>();
  const token = (who: Person) => tokens.get(who)!;

  const jira = async (user: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: sim.basicAuth(`${user}@example.com`), 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  /** Every key the simulator itself returns for a JQL, in its order. */
  const simKeys = async (jql: string) => {
    const keys: string[] = [];
    let nextPageToken: string | undefined;
    do {
      const page = await jira('alice', 'POST', '/rest/api/3/search/jql', { jql, maxResults: 100, fields: ['id'], ...(nextPageToken ? { nextPageToken } : {}) });
      assert.equal(page.status, 200, JSON.stringify(page.body));
      keys.push(...page.body.issues.map((i: { key: string }) => i.key));
      nextPageToken = page.body.nextPageToken;
    } while (nextPageToken);
    return keys;
  };
  const simIssue = async (key: string) => (await jira('alice', 'GET', `/rest/api/3/issue/${key}`)).body;
  const newBacklog = async (jql: string, who: Person = ALICE) => {
    const answer = await api(token(who), 'POST', '/backlogs', { name: `Grooming ${jql}`, jql, conversationId: MEETING });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    return answer.body.backlog.id as string;
  };

  before(async () => {
    sim = await startJiraSim({ port: 0, webhookRetry: { attempts: 1, baseDelayMs: 10 } });
    otherSim = await startJiraSim({ port: 0 });
    emu = await startEntraEmu();
    testBot = await startTestBot({
      JIRA_BASE_URL: sim.url,
      JIRA_WEBHOOK_SECRET: SECRET,
      ALERT_POLL_INTERVAL_SECONDS: '0',
      TAB_SSO_AUDIENCE: AUDIENCE,
      TAB_SSO_JWKS_URL: emu.jwksUrl,
      TAB_SSO_ISSUER: emu.issuerTemplate,
    });
    api = tabClient(testBot.bot.url);
    connector = await startBotConnector();
    await seatMeeting(
      testBot.messagesUrl,
      connector,
      MEETING,
      [ALICE, BOB, VICTOR, NOBODY, ELSEWHERE, { oid: STALE_OID, name: 'Stale' }].map((p) => ({ tenantId: TENANT, aadObjectId: p.oid, name: p.name })),
    );
    for (const who of [ALICE, BOB, VICTOR, NOBODY, ELSEWHERE, OUTSIDER]) {
      const tenantId = who.tenantId ?? TENANT;
      tokens.set(who, await emu.issueToken({ tenantId, aadObjectId: who.oid, name: who.name, audience: AUDIENCE }));
      if (who.jiraUser) {
        await testBot.bot.connections.connectWithApiToken(
          { tenantId, userId: who.oid },
          { siteUrl: who.otherSite ? otherSim.url : sim.url, email: `${who.jiraUser}@example.com`, apiToken: `sim-token-${who.jiraUser}` },
        );
      }
    }
    // What a Jira admin does once: an admin webhook to the bot, so changes made in Jira arrive at once.
    const registered = await jira('alice', 'POST', '/rest/webhooks/1.0/webhook', {
      name: 'Jira for Teams',
      url: `${testBot.bot.url}${ADMIN_WEBHOOK_PATH.replace(':siteId', siteIdOf(sim.url))}`,
      events: ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted'],
      filters: { 'issue-related-events-section': '' },
      secret: SECRET,
    });
    assert.ok(registered.status < 300, JSON.stringify(registered.body));
  });
  after(async () => {
    await testBot?.close();
    await connector?.close();
    await emu?.close();
    await otherSim?.close();
    await sim?.close();
  });

  describe('identity', () => {
    let backlogId: string;
    before(async () => {
      backlogId = await newBacklog('project = PHX');
    });

    it("answers 401 unauthenticated without a token, with a malformed one, a forged, an expired or another audience's", async () => {
      const forger = await startEntraEmu();
      try {
        const claims = { tenantId: TENANT, aadObjectId: ALICE.oid, name: ALICE.name, audience: AUDIENCE };
        const bad = [
          undefined,
          'not-a-jwt',
          await forger.issueToken(claims),
          await emu.issueToken({ ...claims, expiresInSeconds: -300 }),
          await emu.issueToken({ ...claims, audience: 'api://elsewhere/another-app' }),
        ];
        for (const t of bad) {
          assertTabError(await api(t, 'GET', `/backlogs/${backlogId}`), 401, 'unauthenticated', /sign/i);
          assertTabError(await api(t, 'GET', `/backlogs/${backlogId}/issues`), 401, 'unauthenticated');
        }
        const response = await fetch(`${testBot.bot.url}/api/tab/backlogs/${backlogId}/events`);
        assert.equal(response.status, 401);
        assert.equal(((await response.json()) as any).error.code, 'unauthenticated');
      } finally {
        await forger.close();
      }
    });

    it('refuses a token whose issuer is not the tenant it names', async () => {
      const elsewhere = await startEntraEmu();
      await elsewhere.close();
      // Signed by the trusted key, but claiming a tenant its issuer does not match: only the emulator's own issuer passes.
      const good = await emu.issueToken({ tenantId: TENANT, aadObjectId: ALICE.oid, name: ALICE.name, audience: AUDIENCE });
      assert.equal((await api(good, 'GET', `/backlogs/${backlogId}`)).status, 200);
      const bot = await startTestBot({ TAB_SSO_AUDIENCE: AUDIENCE, TAB_SSO_JWKS_URL: emu.jwksUrl, TAB_SSO_ISSUER: 'https://login.microsoftonline.com/{tenantid}/v2.0' });
      try {
        assertTabError(await tabClient(bot.bot.url)(good, 'GET', `/backlogs/${backlogId}`), 401, 'unauthenticated');
      } finally {
        await bot.close();
      }
    });

    it('answers 503 tabSignInNotConfigured when no SSO audience is configured', async () => {
      const bot = await startTestBot({});
      try {
        assertTabError(await tabClient(bot.bot.url)(token(ALICE), 'GET', '/backlogs/AAAAAAAAAAAAAAAA'), 503, 'tabSignInNotConfigured', /TAB_SSO_AUDIENCE/);
      } finally {
        await bot.close();
      }
    });

    it('tells a user without a Jira connection to connect in the personal chat (403 notConnected)', async () => {
      assertTabError(await api(token(NOBODY), 'GET', `/backlogs/${backlogId}`), 403, 'notConnected', /personal chat.*"connect"/);
      assertTabError(await api(token(NOBODY), 'POST', '/backlogs', { name: 'x', jql: 'project = PHX' }), 403, 'notConnected');
    });

    it("names the backlog's site to a user connected to another site (409 otherSite)", async () => {
      assertTabError(await api(token(ELSEWHERE), 'GET', `/backlogs/${backlogId}/issues`), 409, 'otherSite', new RegExp(new URL(sim.url).host));
    });

    it("keeps backlogs within their tenant: another tenant's user gets 404, as for an unknown id", async () => {
      assertTabError(await api(token(OUTSIDER), 'GET', `/backlogs/${backlogId}`), 404, 'notFound');
      assertTabError(await api(token(ALICE), 'GET', '/backlogs/AAAAAAAAAAAAAAAA'), 404, 'notFound');
      assertTabError(await api(token(ALICE), 'GET', '/backlogs/..%2F..%2Fetc'), 404, 'notFound');
    });

    it('asks for a reconnect when the connection needs one (403 reconnectRequired)', async () => {
      const owner = { tenantId: TENANT, userId: STALE_OID };
      const stale = await emu.issueToken({ tenantId: TENANT, aadObjectId: owner.userId, name: 'Stale', audience: AUDIENCE });
      await testBot.bot.connections.connectWithApiToken(owner, { siteUrl: sim.url, email: 'bob@example.com', apiToken: 'sim-token-bob' });
      const repository = testBot.bot.connections.repository;
      const connection = await repository.get(owner);
      await repository.save({ ...connection!, status: 'needsReconnect' });
      assertTabError(await api(stale, 'GET', `/backlogs/${backlogId}`), 403, 'reconnectRequired', /"connect"/);
    });
  });

  describe('backlogs', () => {
    it("creates a backlog on the creator's site, reads and renames it", async () => {
      const created = await api(token(BOB), 'POST', '/backlogs', { name: 'Sprint planning', jql: 'project = KAN AND statusCategory != Done', conversationId: MEETING });
      assert.equal(created.status, 201);
      const { backlog } = created.body;
      assert.match(backlog.id, /^[A-Za-z0-9_-]{16}$/);
      assert.deepEqual(
        { ...backlog, id: undefined, updatedAt: undefined },
        {
          id: undefined,
          name: 'Sprint planning',
          jql: 'project = KAN AND statusCategory != Done',
          source: { kind: 'jql' },
          siteUrl: sim.url,
          createdBy: 'Bob Builder',
          updatedAt: undefined,
        },
      );
      const read = await api(token(ALICE), 'GET', `/backlogs/${backlog.id}`);
      assert.deepEqual(read.body, { backlog });
      const renamed = await api(token(ALICE), 'PUT', `/backlogs/${backlog.id}`, { name: 'Refinement', jql: 'project = KAN' });
      assert.equal(renamed.status, 200);
      assert.equal(renamed.body.backlog.name, 'Refinement');
      assert.equal((await api(token(BOB), 'GET', `/backlogs/${backlog.id}`)).body.backlog.jql, 'project = KAN');
    });

    it("refuses JQL Jira refuses with Jira's own text (400 invalidJql)", async () => {
      const jql = 'project = PHX AND nosuchfield = 3';
      const direct = await jira('alice', 'POST', '/rest/api/3/search/jql', { jql, maxResults: 1 });
      assert.equal(direct.status, 400);
      const jiraText = direct.body.errorMessages[0] as string;
      const answer = await api(token(ALICE), 'POST', '/backlogs', { name: 'Broken', jql });
      assertTabError(answer, 400, 'invalidJql');
      assert.ok(answer.body.error.message.includes(jiraText), answer.body.error.message);
      const id = await newBacklog('project = PHX');
      assertTabError(await api(token(ALICE), 'PUT', `/backlogs/${id}`, { name: 'Broken', jql }), 400, 'invalidJql');
    });

    it("answers a bad body with 400 badRequest naming the field, in the contract's shape", async () => {
      assertTabError(await api(token(ALICE), 'POST', '/backlogs', { name: '', jql: 'project = PHX' }), 400, 'badRequest', /name/);
      assertTabError(await api(token(ALICE), 'POST', '/backlogs', { name: 'x' }), 400, 'badRequest', /jql/);
      assertTabError(await api(token(ALICE), 'POST', '/backlogs', '{not json'), 400, 'badRequest');
      assertTabError(await api(token(ALICE), 'GET', '/nothing-here'), 404, 'notFound');
    });
  });

  describe('issues', () => {
    let phx: string;
    before(async () => {
      phx = await newBacklog('project = PHX');
    });

    it('pages through more than 100 issues in rank order, as Jira orders them', async () => {
      const first = await api(token(ALICE), 'GET', `/backlogs/${phx}/issues`);
      assert.equal(first.status, 200);
      assert.equal(first.body.issues.length, 100);
      assert.equal(typeof first.body.nextPageToken, 'string');
      const second = await api(token(ALICE), 'GET', `/backlogs/${phx}/issues?pageToken=${encodeURIComponent(first.body.nextPageToken)}`);
      assert.equal(second.status, 200);
      assert.equal(second.body.nextPageToken, undefined);
      const keys = [...first.body.issues, ...second.body.issues].map((i: { key: string }) => i.key);
      assert.deepEqual(keys, await simKeys('project = PHX ORDER BY Rank ASC'));
      assert.equal(keys.length, 120);
    });

    it("sends the backlog and every page in one event stream, in Jira's order, and ends after the last", async () => {
      const stream = await openEventStream(`${testBot.bot.url}/api/tab/backlogs/${phx}/pages?pageSize=50`, token(ALICE));
      try {
        assert.equal(stream.response.status, 200);
        assert.match(stream.response.headers.get('content-type') ?? '', /^text\/event-stream/);
        await stream.waitForEnd();
        assert.deepEqual(
          stream.events.map((e) => [e.event, e.data.issues.length, typeof e.data.nextPageToken, 'backlog' in e.data]),
          [
            ['page', 50, 'string', true],
            ['page', 50, 'string', false],
            ['page', 20, 'undefined', false],
          ],
        );
        // The first page brings the backlog as GET /backlogs/:id answers it.
        assert.deepEqual(stream.events[0].data.backlog, (await api(token(ALICE), 'GET', `/backlogs/${phx}`)).body.backlog);
        const keys = stream.events.flatMap((e) => e.data.issues.map((i: { key: string }) => i.key));
        assert.deepEqual(keys, await simKeys('project = PHX ORDER BY Rank ASC'));
      } finally {
        await stream.close();
      }
    });

    it('refuses the page stream as it refuses a page, before any of it is sent', async () => {
      const pages = `/backlogs/${phx}/pages`;
      assertTabError(await api(undefined, 'GET', pages), 401, 'unauthenticated');
      assertTabError(await api(token(NOBODY), 'GET', pages), 403, 'notConnected');
      assertTabError(await api(token(ELSEWHERE), 'GET', pages), 409, 'otherSite');
      assertTabError(await api(token(OUTSIDER), 'GET', pages), 404, 'notFound');
      assertTabError(await api(token(ALICE), 'GET', `${pages}?pageSize=101`), 400, 'badRequest', /pageSize/);
    });

    it("keeps the JQL's own ORDER BY and honours pageSize", async () => {
      const id = await newBacklog('project = KAN ORDER BY key DESC');
      const page = await api(token(ALICE), 'GET', `/backlogs/${id}/issues?pageSize=7`);
      assert.deepEqual(
        page.body.issues.map((i: { key: string }) => i.key),
        (await simKeys('project = KAN ORDER BY key DESC')).slice(0, 7),
      );
      assert.ok(page.body.nextPageToken);
      assertTabError(await api(token(ALICE), 'GET', `/backlogs/${id}/issues?pageSize=0`), 400, 'badRequest', /pageSize/);
      assertTabError(await api(token(ALICE), 'GET', `/backlogs/${id}/issues?pageSize=101`), 400, 'badRequest');
    });

    it("shows each issue with the site's estimate and rank fields, mapped to the contract's shape", async () => {
      const { body } = await api(token(ALICE), 'GET', `/backlogs/${phx}/issues/PHX-3`);
      const raw = await simIssue('PHX-3');
      assert.deepEqual(body.issue, {
        key: 'PHX-3',
        id: raw.id,
        url: `${sim.url}/browse/PHX-3`,
        summary: raw.fields.summary,
        issueType: { name: raw.fields.issuetype.name, iconUrl: raw.fields.issuetype.iconUrl },
        status: { name: raw.fields.status.name, category: raw.fields.status.statusCategory.key },
        priority: raw.fields.priority ? { id: raw.fields.priority.id, name: raw.fields.priority.name, iconUrl: raw.fields.priority.iconUrl } : null,
        assignee: raw.fields.assignee
          ? { accountId: raw.fields.assignee.accountId, displayName: raw.fields.assignee.displayName, avatarUrl: raw.fields.assignee.avatarUrls['48x48'] }
          : null,
        estimate: raw.fields[FieldId.StoryPoints] ?? null,
        rank: raw.fields[FieldId.Rank],
        updated: new Date(raw.fields.updated.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')).toISOString(),
      });
    });

    it('answers 404 for an issue outside the backlog, an unknown one, or one the user may not see', async () => {
      assertTabError(await api(token(ALICE), 'GET', `/backlogs/${phx}/issues/KAN-1`), 404, 'notFound', /KAN-1/);
      assertTabError(await api(token(ALICE), 'GET', `/backlogs/${phx}/issues/PHX-9999`), 404, 'notFound');
      const sup = await newBacklog('project = SUP');
      assertTabError(await api(token(VICTOR), 'GET', `/backlogs/${sup}/issues/SUP-1`), 404, 'notFound');
      assertTabError(await api(token(ALICE), 'GET', `/backlogs/${phx}/issues/not-a-key`), 400, 'badRequest');
    });

    it("offers the caller's own account, priorities, the estimate field and the projects where the user may create", async () => {
      const bob = await api(token(BOB), 'GET', `/backlogs/${phx}/options`);
      assert.equal(bob.status, 200);
      assert.deepEqual(bob.body.me, { accountId: accountId(2), displayName: 'Bob Builder' });
      assert.deepEqual(
        bob.body.priorities.map((p: { name: string }) => p.name),
        ['Highest', 'High', 'Medium', 'Low', 'Lowest'],
      );
      assert.deepEqual(bob.body.estimateField, { id: FieldId.StoryPoints, name: 'Story Points' });
      assert.deepEqual(bob.body.projects.map((p: { key: string }) => p.key).sort(), ['KAN', 'PHX']);
      const phxTypes = bob.body.projects.find((p: { key: string }) => p.key === 'PHX').issueTypes.map((t: { name: string }) => t.name);
      assert.ok(phxTypes.includes('Task') && !phxTypes.includes('Subtask'), phxTypes.join());
      const victor = await api(token(VICTOR), 'GET', `/backlogs/${phx}/options`);
      assert.deepEqual(victor.body.projects, []);
    });

    it('sets priority, estimate and assignee in Jira, and clears them', async () => {
      const edited = await api(token(BOB), 'PATCH', `/backlogs/${phx}/issues/PHX-7`, { priorityId: '1', estimate: 8, assigneeAccountId: accountId(2) });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal(edited.body.issue.priority.name, 'Highest');
      assert.equal(edited.body.issue.estimate, 8);
      assert.equal(edited.body.issue.assignee.displayName, 'Bob Builder');
      let raw = await simIssue('PHX-7');
      assert.equal(raw.fields.priority.id, '1');
      assert.equal(raw.fields[FieldId.StoryPoints], 8);
      assert.equal(raw.fields.assignee.accountId, accountId(2));

      const cleared = await api(token(BOB), 'PATCH', `/backlogs/${phx}/issues/PHX-7`, { estimate: null, assigneeAccountId: null });
      assert.equal(cleared.status, 200);
      raw = await simIssue('PHX-7');
      assert.equal(raw.fields[FieldId.StoryPoints] ?? null, null);
      assert.equal(raw.fields.assignee, null);
      assert.equal(cleared.body.issue.estimate, null);
      assertTabError(await api(token(BOB), 'PATCH', `/backlogs/${phx}/issues/PHX-7`, {}), 400, 'badRequest', /at least one/);
      assertTabError(await api(token(BOB), 'PATCH', `/backlogs/${phx}/issues/PHX-7`, { estimate: -1 }), 400, 'badRequest', /estimate/);
    });

    it('names the Jira permission a user lacks (403 forbidden) and changes nothing', async () => {
      const before = await simIssue('PHX-8');
      assertTabError(await api(token(VICTOR), 'PATCH', `/backlogs/${phx}/issues/PHX-8`, { priorityId: '5' }), 403, 'forbidden', /"Edit Issues"/);
      assert.equal((await simIssue('PHX-8')).fields.priority?.id, before.fields.priority?.id);
    });

    it('lists the transitions Jira offers and moves the issue through one', async () => {
      const [key] = await simKeys('project = PHX AND status = "To Do"');
      const list = await api(token(BOB), 'GET', `/backlogs/${phx}/issues/${key}/transitions`);
      assert.equal(list.status, 200);
      const start = list.body.transitions.find((t: { name: string }) => t.name === 'Start progress');
      assert.deepEqual(start.to, { name: 'In Progress', category: 'indeterminate' });
      const moved = await api(token(BOB), 'POST', `/backlogs/${phx}/issues/${key}/transitions`, { transitionId: start.id });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      assert.deepEqual(moved.body.issue.status, { name: 'In Progress', category: 'indeterminate' });
      assert.equal((await simIssue(key)).fields.status.name, 'In Progress');
      // "Start progress" does not leave In Progress: Jira refuses, and says so.
      assertTabError(await api(token(BOB), 'POST', `/backlogs/${phx}/issues/${key}/transitions`, { transitionId: start.id }), 400, 'badRequest', /Jira/);
    });

    it('ranks issues in Jira, before or after another', async () => {
      const order = await simKeys('project = PHX ORDER BY Rank ASC');
      const [top, , , fourth, fifth] = order;
      const ranked = await api(token(BOB), 'POST', `/backlogs/${phx}/rank`, { keys: [fifth, fourth], before: top });
      assert.equal(ranked.status, 200, JSON.stringify(ranked.body));
      assert.deepEqual(
        ranked.body.issues.map((i: { key: string }) => i.key),
        [fifth, fourth],
      );
      assert.deepEqual((await simKeys('project = PHX ORDER BY Rank ASC')).slice(0, 3), [fifth, fourth, top]);
      const after = await api(token(BOB), 'POST', `/backlogs/${phx}/rank`, { keys: [fifth], after: top });
      assert.equal(after.status, 200);
      assert.deepEqual((await simKeys('project = PHX ORDER BY Rank ASC')).slice(0, 3), [fourth, top, fifth]);
      assertTabError(await api(token(BOB), 'POST', `/backlogs/${phx}/rank`, { keys: [top], before: fourth, after: fifth }), 400, 'badRequest', /exactly one/);
      assertTabError(await api(token(VICTOR), 'POST', `/backlogs/${phx}/rank`, { keys: [top], before: fourth }), 403, 'forbidden', /Schedule Issues/);
    });

    it('creates an issue in Jira as the user', async () => {
      const created = await api(token(BOB), 'POST', `/backlogs/${phx}/issues`, { projectKey: 'PHX', issueTypeId: '10002', summary: 'Groomed in the meeting' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const { issue } = created.body;
      assert.match(issue.key, /^PHX-\d+$/);
      assert.equal(issue.issueType.name, 'Task');
      const raw = await simIssue(issue.key);
      assert.equal(raw.fields.summary, 'Groomed in the meeting');
      assert.equal(raw.fields.reporter.accountId, accountId(2));
      const missing = await api(token(ALICE), 'POST', `/backlogs/${phx}/issues`, { projectKey: 'SUP', issueTypeId: '10006', summary: 'No environment' });
      assertTabError(missing, 400, 'badRequest', /Environment/i);
    });

    it('finds the users an issue may be assigned to', async () => {
      const answer = await api(token(BOB), 'GET', `/backlogs/${phx}/assignable?issueKey=PHX-1&query=bob`);
      assert.equal(answer.status, 200);
      assert.deepEqual(
        answer.body.users.map((u: { accountId: string }) => u.accountId),
        [accountId(2)],
      );
      assertTabError(await api(token(BOB), 'GET', `/backlogs/${phx}/assignable`), 400, 'badRequest', /issueKey/);
    });

    it("turns Jira's rate limit into 503 jiraBusy with Retry-After", async () => {
      sim.faults.add({ status: 429, count: 20, pathPrefix: '/rest/api/3/search/jql', retryAfterSeconds: 1 });
      try {
        const answer = await api(token(ALICE), 'GET', `/backlogs/${phx}/issues?pageSize=1`);
        assertTabError(answer, 503, 'jiraBusy', /busy/);
        assert.ok(Number(answer.headers.get('retry-after')) >= 1);
      } finally {
        sim.faults.clear();
      }
    });
  });

  describe('event stream', () => {
    let backlogId: string;
    const eventsUrl = () => `${testBot.bot.url}/api/tab/backlogs/${backlogId}/events`;
    before(async () => {
      backlogId = await newBacklog('project = PHX');
    });

    it("opens with ready, as text/event-stream, and tells both users' panels of a change by one", async () => {
      const alice = await openEventStream(eventsUrl(), token(ALICE));
      const bob = await openEventStream(eventsUrl(), token(BOB));
      try {
        assert.equal(alice.response.status, 200);
        assert.match(alice.response.headers.get('content-type') ?? '', /^text\/event-stream/);
        await alice.next('ready');
        await bob.next('ready');
        assert.equal(testBot.bot.meetings.hub.listenerCount(backlogId), 2);
        // Each panel lists what its user sees, as the tab does; events name only issues so shown.
        const order = await simKeys('project = PHX ORDER BY Rank ASC');
        for (const who of [ALICE, BOB]) {
          for (const key of ['PHX-11', order[0], order[2]]) assert.equal((await api(token(who), 'GET', `/backlogs/${backlogId}/issues/${key}`)).status, 200);
        }

        const edit = await api(token(BOB), 'PATCH', `/backlogs/${backlogId}/issues/PHX-11`, { priorityId: '2' });
        assert.equal(edit.status, 200);
        const seen = { key: 'PHX-11', by: 'Bob Builder' };
        assert.deepEqual((await alice.next('issue-changed', (d) => d.by)).data, seen);
        assert.deepEqual((await bob.next('issue-changed', (d) => d.by)).data, seen);

        const created = await api(token(ALICE), 'POST', `/backlogs/${backlogId}/issues`, { projectKey: 'PHX', issueTypeId: '10002', summary: 'Live' });
        assert.deepEqual((await bob.next('issue-created')).data, { key: created.body.issue.key, by: 'Alice Admin' });

        await api(token(ALICE), 'POST', `/backlogs/${backlogId}/rank`, { keys: [order[2]], before: order[0] });
        assert.deepEqual((await bob.next('ranked')).data, { keys: [order[2]], by: 'Alice Admin' });

        await api(token(ALICE), 'PUT', `/backlogs/${backlogId}`, { name: 'Renamed live', jql: 'project = PHX' });
        await alice.next('backlog-changed');
        await bob.next('backlog-changed');
      } finally {
        await alice.close();
        await bob.close();
      }
    });

    it('tells an open panel of a change made directly in Jira (webhook through the alert intake)', async () => {
      const panel = await openEventStream(eventsUrl(), token(ALICE));
      try {
        await panel.next('ready');
        // The panel lists its backlog, as the tab does; the hub then knows which issues it shows.
        assert.equal((await api(token(ALICE), 'GET', `/backlogs/${backlogId}/issues`)).status, 200);
        const from = panel.events.length;
        const change = await jira('carol', 'PUT', '/rest/api/3/issue/PHX-21', { fields: { summary: 'Changed in Jira itself' } });
        assert.equal(change.status, 204, JSON.stringify(change.body));
        const event = await panel.next('issue-changed', (d) => d.key === 'PHX-21', { from });
        assert.deepEqual(event.data, { key: 'PHX-21' });
        // A change to an issue the panel never showed is not sent to it.
        await jira('carol', 'PUT', '/rest/api/3/issue/KAN-2', { fields: { summary: 'Not on this backlog' } });
        await jira('carol', 'PUT', '/rest/api/3/issue/PHX-22', { fields: { summary: 'On this backlog' } });
        await panel.next('issue-changed', (d) => d.key === 'PHX-22', { from });
        assert.ok(!panel.events.some((e) => e.data?.key === 'KAN-2'));
      } finally {
        await panel.close();
      }
    });

    it('announces an issue created directly in Jira to the open backlogs it matches', async () => {
      const kan = await newBacklog('project = KAN');
      const phxPanel = await openEventStream(eventsUrl(), token(ALICE));
      const kanPanel = await openEventStream(`${testBot.bot.url}/api/tab/backlogs/${kan}/events`, token(BOB));
      try {
        await phxPanel.next('ready');
        await kanPanel.next('ready');
        const created = await jira('carol', 'POST', '/rest/api/3/issue', {
          fields: { project: { key: 'PHX' }, issuetype: { id: '10002' }, summary: 'Created in Jira itself' },
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const event = await phxPanel.next('issue-created', (d) => d.key === created.body.key);
        assert.deepEqual(event.data, { key: created.body.key });
        // The panel then refetches it as its own user, and finds it in the backlog.
        assert.equal((await api(token(ALICE), 'GET', `/backlogs/${backlogId}/issues/${created.body.key}`)).status, 200);
        // The KAN backlog does not match it, so its panel hears nothing of it.
        const kanIssue = await jira('carol', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'KAN' }, issuetype: { id: '10002' }, summary: 'For KAN' } });
        await kanPanel.next('issue-created', (d) => d.key === kanIssue.body.key);
        assert.ok(!kanPanel.events.some((e) => e.data?.key === created.body.key));
        assert.ok(!phxPanel.events.some((e) => e.data?.key === kanIssue.body.key));
      } finally {
        await phxPanel.close();
        await kanPanel.close();
      }
    });

    it('cleans up when a panel goes away, and refuses a stream to who may not open the backlog', async () => {
      const panel = await openEventStream(eventsUrl(), token(ALICE));
      await panel.next('ready');
      assert.equal(testBot.bot.meetings.hub.listenerCount(backlogId), 1);
      await panel.close();
      const deadline = Date.now() + 5000;
      while (testBot.bot.meetings.hub.listenerCount(backlogId) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(testBot.bot.meetings.hub.listenerCount(backlogId), 0);
      const refused = await fetch(eventsUrl(), { headers: { authorization: `Bearer ${token(NOBODY)}` } });
      assert.equal(refused.status, 403);
      assert.equal(((await refused.json()) as any).error.code, 'notConnected');
    });

    it('never writes a token, an email or a name to the logs', () => {
      const logs = testBot.logs.raw();
      for (const t of tokens.values()) assert.ok(!logs.includes(t.split('.')[2]), 'a token signature reached the logs');
      assert.doesNotMatch(logs, /@example\.com/);
      assert.doesNotMatch(logs, /Bob Builder|Alice Admin/);
      assert.match(logs, /tab event stream opened/);
    });
  });
});
