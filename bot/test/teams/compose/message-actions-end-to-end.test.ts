import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startJiraSim, type JiraSim } from '../../../../dev/jira-sim/src';
import {
  BOT_ACCOUNT,
  CHANNEL_ID,
  DEFAULT_TENANT_ID,
  TEAMS_USER,
  invokeActivity,
  messageActionValue,
  postActivity,
  startBotConnector,
  type Account,
  type BotConnector,
} from '../../../../dev/bot-connector-emu/src';
import { AddCommentVerb } from '../../../src/cards/add-comment-dialog-card';
import { CreateIssueVerb } from '../../../src/cards/create-issue-dialog-card';
import { Verb } from '../../../src/cards/verb';
import { connectionOwner } from '../../../src/connections/connection';
import { ComposeCommand } from '../../../src/teams/compose/compose-command';
import { createDefaultsRepository } from '../../../src/teams/compose/create-defaults';
import { CONNECTION_KINDS, connectAs, oauthAppEnv, revokeAccess } from '../../support/connect-as';
import { startTestBot, type TestBot } from '../../support/start-test-bot';
import { assertValidCard, cardText, findCardElement as findInput } from '../../support/validate-card';
import { adfText, assertValidAdf } from '../../jira/adf/assert-valid-adf';

type Json = Record<string, any>;

const FIXTURES = path.resolve(__dirname, '../../fixtures/teams-activities');
const fixture = (name: string): Json => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));

/** The recorded message action (Microsoft's sample): its user, tenant, channel and message, as Teams sent them. */
const RECORDED_FETCH = fixture('composeExtension.fetchTask.messagePayload.channel-reply.json');
/** The recorded submit from the compose box, as Microsoft documents it. */
const RECORDED_SUBMIT = fixture('composeExtension.submitAction.shortened.json');
const RECORDED_TENANT: string = RECORDED_FETCH.conversation.tenantId;
const RECORDED_USER: Account = RECORDED_FETCH.from;

const teamsUser = (n: number, name: string): Account => ({
  id: `29:1test-user-${n}`,
  name,
  aadObjectId: `00000000-0000-4000-9000-00000000000${n}`,
});
const VICTOR = teamsUser(1, 'Victor Viewer');
const DAVE = teamsUser(2, 'Dave Developer');

const MESSAGE_HTML =
  '<p><b>Payments</b> time out for EU cards<br>seen since 09:00</p><ol><li>add a card</li><li>pay</li></ol><pre class="language-json"><code>{"code": 504}</code></pre><p>See <a href="https://status.example.com/incidents/42">incident 42</a></p>';

/** The data an Action.Submit of the card sends: its inputs' values, overridden by `inputs`, plus its data. */
function submitData(card: Json, verb: string, inputs: Record<string, string>): Json {
  const values: Json = {};
  let data: Json | undefined;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Json;
      if (typeof n.type === 'string' && n.type.startsWith('Input.') && n.value !== undefined) values[n.id] = String(n.value);
      if (n.type === 'Action.Submit' && n.data?.verb === verb) data = n.data;
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  assert.ok(data, `no ${verb} action`);
  return { ...values, ...inputs, ...data };
}

const choiceValues = (card: unknown, id: string): string[] => (findInput(card, id)?.choices ?? []).map((c: Json) => c.value);

/**
 * The message actions through the service as `npm start` composes it (startBot), with users
 * connected to the Jira simulator by API token, and again by OAuth 2.0 (3LO) with the scopes the
 * app requests, replies going to the Bot Connector emulation, and every effect checked in the simulator.
 */
for (const via of CONNECTION_KINDS)
  describe(`message actions through the assembled service (${via} connections)`, () => {
    let sim: JiraSim;
    let connector: BotConnector;
    let testBot: TestBot;

    const jiraGet = async (email: string, pathAndQuery: string): Promise<Json> => {
      const response = await fetch(`${sim.url}${pathAndQuery}`, { headers: { authorization: sim.basicAuth(email), accept: 'application/json' } });
      assert.equal(response.status, 200, `${pathAndQuery}: ${response.status}`);
      return (await response.json()) as Json;
    };

    const connect = (tenantId: string, from: Account, handle: string) =>
      connectAs({ connections: testBot.bot.connections, sim, owner: connectionOwner(tenantId, from), email: `${handle}@example.com`, via });

    before(async () => {
      sim = await startJiraSim({ port: 0 });
      connector = await startBotConnector();
      testBot = await startTestBot({ JIRA_BASE_URL: sim.url, ...(via === 'oauth' ? oauthAppEnv(sim) : {}) });
      await connect(RECORDED_TENANT, RECORDED_USER, 'bob');
      await connect(DEFAULT_TENANT_ID, TEAMS_USER, 'erin');
      await connect(DEFAULT_TENANT_ID, VICTOR, 'victor');
      await connect(DEFAULT_TENANT_ID, DAVE, 'dave');
    });
    after(async () => {
      await testBot?.close();
      await connector?.close();
      await sim?.close();
    });
    beforeEach(() => connector.clear());

    /** The recorded fetchTask with our command id, sent as Teams would, with `value` changed by `change`. */
    function recordedActivity(name: 'composeExtension/fetchTask' | 'composeExtension/submitAction', value: Json): Json {
      return {
        ...RECORDED_FETCH,
        name,
        channelId: 'msteams',
        serviceUrl: connector.url,
        recipient: BOT_ACCOUNT,
        timestamp: new Date().toISOString(),
        localTimezone: 'America/New_York',
        value,
      };
    }

    async function post(activity: Json): Promise<Json> {
      const response = await postActivity(testBot.messagesUrl, activity);
      assert.equal(response.status, 200, JSON.stringify(response.body).slice(0, 300));
      return response.body as Json;
    }

    /** A message action as another user of the default tenant, on a message of MESSAGE_HTML. */
    async function invokeAs(from: Account, name: 'composeExtension/fetchTask' | 'composeExtension/submitAction', value: Json): Promise<Json> {
      return post(
        invokeActivity(name, value, {
          serviceUrl: connector.url,
          conversationType: 'channel',
          conversationId: `${CHANNEL_ID};messageid=1700000000001`,
          from,
          overrides: { localTimezone: 'America/New_York' },
        }),
      );
    }

    const dialogOf = (body: Json): Json => {
      assert.equal(body.task?.type, 'continue', `a dialog, not ${JSON.stringify(body).slice(0, 300)}`);
      const card = body.task.value.card.content;
      assertValidCard(card);
      return card;
    };

    it('creates an issue from the documented message action: every custom field type, the message as ADF, a link back, the live card in the thread', async () => {
      const fetchValue = { ...RECORDED_FETCH.value, commandId: ComposeCommand.CreateIssue };
      const opened = dialogOf(await post(recordedActivity('composeExtension/fetchTask', fetchValue)));
      assert.equal(findInput(opened, 'summary')?.value, 'Testing outgoing Webhook-Nikitha - Hi', 'the summary is the first line, the mention as its name');

      const submit = (data: Json) => post(recordedActivity('composeExtension/submitAction', { ...fetchValue, data }));
      const bug = dialogOf(await submit(submitData(opened, CreateIssueVerb.Refresh, { project: 'KAN', issuetype: '10003' })));
      const reviewer = (await jiraGet('bob@example.com', '/rest/api/3/user/assignable/search?project=KAN&query=carol'))[0].accountId as string;
      const assignee = (await jiraGet('bob@example.com', '/rest/api/3/myself')).accountId as string;
      assert.ok(choiceValues(bug, 'assignee').includes(assignee), "the assignee picker offers KAN's assignable users");

      const done = await submit(
        submitData(bug, CreateIssueVerb.Submit, {
          priority: '2',
          assignee,
          labels: 'payments eu',
          duedate: '2026-12-24',
          customfield_10015: '2026-12-01',
          customfield_10031: '120',
          customfield_10032: '10100',
          customfield_10033: '10110,10112',
          customfield_10034: '10120:10121',
          customfield_10035: reviewer,
          customfield_10030: '2026-07-01',
          'customfield_10030.time': '09:30',
        }),
      );
      assert.equal(done.task, undefined, `the dialog closes: ${JSON.stringify(done).slice(0, 500)}`);

      const [posted] = await connector.waitForActivities(1);
      assert.equal(posted.conversationId, RECORDED_FETCH.conversation.id, 'the card goes to the thread of the message');
      const card = posted.body.attachments[0].content;
      assertValidCard(card);
      const key = /\[(KAN\\-\d+)\]/.exec(cardText(card))?.[1]?.replace(/\\/g, '');
      assert.ok(key, `the live issue card names the new issue: ${cardText(card).slice(0, 200)}`);
      assert.equal(card.refresh?.action?.verb, Verb.Refresh, 'the live issue card, which refreshes itself');
      assert.match(cardText(card), /Testing outgoing Webhook\\-Nikitha \\- Hi/);
      assert.match(cardText(card), /Bob Builder/, 'with the assignee as Jira has it');
      const verbs: string[] = JSON.stringify(card.actions).match(/"verb":"[^"]+"/g) ?? [];
      assert.ok(verbs.includes(`"verb":"${Verb.Transition}"`), 'with the transitions Jira offers Bob');
      assert.ok(!verbs.includes(`"verb":"${Verb.Assign}"`), 'and no "Assign to me" on an issue already his');
      assert.ok(!testBot.logs.raw().includes('Nikitha'), 'no message text in the logs');

      const issue = await jiraGet('bob@example.com', `/rest/api/3/issue/${key}?fields=*all`);
      const f = issue.fields as Json;
      assert.equal(f.summary, 'Testing outgoing Webhook-Nikitha - Hi');
      assert.equal(f.issuetype.id, '10003');
      assert.equal(f.priority.id, '2');
      assert.equal(f.assignee.accountId, assignee);
      assert.equal(f.reporter.accountId, assignee, 'created as the user, not as the app');
      assert.deepEqual([...f.labels].sort(), ['eu', 'payments']);
      assert.equal(f.duedate, '2026-12-24');
      assert.equal(f.customfield_10015, '2026-12-01', 'date');
      assert.equal(f.customfield_10031, 120, 'number');
      assert.equal(f.customfield_10032.id, '10100', 'single select');
      assert.deepEqual(
        f.customfield_10033.map((o: Json) => o.id),
        ['10110', '10112'],
        'multi select',
      );
      assert.equal(f.customfield_10034.id, '10120', 'cascading select');
      assert.equal(f.customfield_10034.child.id, '10121');
      assert.equal(f.customfield_10035.accountId, reviewer, 'user');
      assert.equal(new Date(f.customfield_10030).toISOString(), '2026-07-01T13:30:00.000Z', 'datetime: 09:30 in New York');
      assertValidAdf(f.description);
      assert.ok(JSON.stringify(f.description).includes('Testing outgoing Webhook-Nikitha'), 'the mention as the name');
      assert.match(adfText(f.description), /From Teams: message by Olo Brockhouse/);

      const links = (await jiraGet('bob@example.com', `/rest/api/3/issue/${key}/remotelink`)) as unknown as Json[];
      assert.deepEqual(
        links.map((l) => l.object.url),
        [RECORDED_FETCH.value.messagePayload.linkToMessage],
      );
      assert.equal(links[0].object.title, 'Teams message from Olo Brockhouse');
    });

    it('returns the dialog from the documented compose-box submit as a preview of the live issue card', async () => {
      const composeValue = { commandId: ComposeCommand.CreateIssue, commandContext: 'compose', context: { theme: 'default' } };
      const opened = dialogOf(await invokeAs(TEAMS_USER, 'composeExtension/fetchTask', composeValue));
      const submit = (data: Json) =>
        post({
          ...invokeActivity('composeExtension/submitAction', {}, { serviceUrl: connector.url, conversationType: 'channel', conversationId: CHANNEL_ID }),
          value: { ...RECORDED_SUBMIT.value, commandId: ComposeCommand.CreateIssue, data },
        });
      const kan = dialogOf(await submit(submitData(opened, CreateIssueVerb.Refresh, { project: 'KAN', issuetype: '10002' })));
      const body = await submit(submitData(kan, CreateIssueVerb.Submit, { summary: 'Typed in the compose box' }));
      assert.equal(body.composeExtension?.type, 'result', JSON.stringify(body).slice(0, 300));
      const card = body.composeExtension.attachments[0].content;
      assertValidCard(card);
      assert.equal(card.refresh?.action?.verb, Verb.Refresh);
      const key = /\[(KAN\\-\d+)\]/.exec(cardText(card))?.[1]?.replace(/\\/g, '');
      assert.ok(key);
      const issue = await jiraGet('erin@example.com', `/rest/api/3/issue/${key}?fields=summary`);
      assert.equal(issue.fields.summary, 'Typed in the compose box');
      assert.deepEqual(await jiraGet('erin@example.com', `/rest/api/3/issue/${key}/remotelink`), [], 'no message to link back to');
    });

    it('returns the dialog with the error and every typed value when a required field is missing', async () => {
      const value = messageActionValue({ commandId: ComposeCommand.CreateIssue, html: MESSAGE_HTML });
      const opened = dialogOf(await invokeAs(TEAMS_USER, 'composeExtension/fetchTask', value));
      const incident = dialogOf(
        await invokeAs(TEAMS_USER, 'composeExtension/submitAction', {
          ...value,
          data: submitData(opened, CreateIssueVerb.Refresh, { project: 'SUP', issuetype: '10006' }),
        }),
      );
      const before = (await jiraGet('erin@example.com', '/rest/api/3/search/jql?jql=project%3DSUP&maxResults=100')).issues.length;
      const typed = { summary: 'Checkout down for EU', labels: 'eu urgent', duedate: '2026-12-24', customfield_10031: '42', customfield_10036: 'vip' };
      const card = dialogOf(await invokeAs(TEAMS_USER, 'composeExtension/submitAction', { ...value, data: submitData(incident, CreateIssueVerb.Submit, typed) }));
      assert.match(cardText(card), /Environment is required/);
      for (const [id, typedValue] of Object.entries(typed)) assert.equal(String(findInput(card, id)?.value), typedValue, `${id} is kept`);
      assert.equal(findInput(card, 'project')?.value, 'SUP');
      assert.equal(findInput(card, 'issuetype')?.value, '10006');
      const after = (await jiraGet('erin@example.com', '/rest/api/3/search/jql?jql=project%3DSUP&maxResults=100')).issues.length;
      assert.equal(after, before, 'nothing is created');
    });

    it("searches projects with Jira's project search, recent first, keeping what was typed, and says when none match", async () => {
      const value = messageActionValue({ commandId: ComposeCommand.CreateIssue, html: MESSAGE_HTML });
      // Erin created her last issue in PHX, so PHX is a recent project.
      await createDefaultsRepository(testBot.bot.store).remember(connectionOwner(DEFAULT_TENANT_ID, TEAMS_USER), 'another conversation', {
        projectKey: 'PHX',
        issueTypeId: '10002',
      });
      const opened = dialogOf(await invokeAs(TEAMS_USER, 'composeExtension/fetchTask', value));
      assert.deepEqual(choiceValues(opened, 'project'), ['PHX', 'KAN', 'SUP'], 'recent first, then Jira order');

      const found = dialogOf(
        await invokeAs(TEAMS_USER, 'composeExtension/submitAction', {
          ...value,
          data: submitData(opened, CreateIssueVerb.SearchProjects, { projectQuery: 'a', summary: 'My words', issuetype: '10000' }),
        }),
      );
      assert.deepEqual(choiceValues(found, 'project'), ['PHX', 'KAN'], "Atlas Web and Phoenix Platform match 'a', the recent one first");
      assert.match(cardText(found), /2 projects match 'a'/);
      assert.equal(findInput(found, 'project')?.value, 'PHX');
      assert.equal(findInput(found, 'summary')?.value, 'My words');
      assert.equal(findInput(found, 'projectQuery')?.value, 'a');

      const atlas = dialogOf(
        await invokeAs(TEAMS_USER, 'composeExtension/submitAction', {
          ...value,
          data: submitData(found, CreateIssueVerb.SearchProjects, { projectQuery: 'atlas' }),
        }),
      );
      assert.deepEqual(choiceValues(atlas, 'project'), ['KAN']);
      assert.equal(findInput(atlas, 'project')?.value, 'KAN', 'the search selects its match');
      assert.deepEqual(
        findInput(atlas, 'issuetype')?.choices.map((c: Json) => c.title),
        ['Story', 'Task', 'Bug'],
        "and shows that project's issue types",
      );
      assert.equal(findInput(atlas, 'summary')?.value, 'My words');

      const none = dialogOf(
        await invokeAs(TEAMS_USER, 'composeExtension/submitAction', {
          ...value,
          data: submitData(atlas, CreateIssueVerb.SearchProjects, { projectQuery: 'xyz' }),
        }),
      );
      assert.match(cardText(none), /No project matches 'xyz'/);
      assert.deepEqual(choiceValues(none, 'project'), ['PHX', 'KAN', 'SUP'], 'every project stays on offer');
      assert.equal(findInput(none, 'project')?.value, 'KAN', 'the chosen project stays chosen');
      assert.equal(findInput(none, 'summary')?.value, 'My words');
      assert.equal(findInput(none, 'projectQuery')?.value, 'xyz');
    });

    it("searches the project's assignable people, keeping anyone already chosen", async () => {
      const value = messageActionValue({ commandId: ComposeCommand.CreateIssue, html: MESSAGE_HTML });
      const opened = dialogOf(await invokeAs(TEAMS_USER, 'composeExtension/fetchTask', value));
      const kan = dialogOf(
        await invokeAs(TEAMS_USER, 'composeExtension/submitAction', { ...value, data: submitData(opened, CreateIssueVerb.Refresh, { project: 'KAN', issuetype: '10002' }) }),
      );
      const everyone = (await jiraGet('erin@example.com', '/rest/api/3/user/assignable/search?project=KAN&maxResults=100')) as unknown as Json[];
      assert.deepEqual(
        choiceValues(kan, 'assignee'),
        everyone.map((u) => u.accountId),
        "KAN's assignable users",
      );
      const bob = everyone.find((u) => u.displayName === 'Bob Builder')!.accountId as string;
      const carol = everyone.find((u) => u.displayName === 'Carol Product')!.accountId as string;

      const found = dialogOf(
        await invokeAs(TEAMS_USER, 'composeExtension/submitAction', {
          ...value,
          data: submitData(kan, CreateIssueVerb.SearchPeople, { peopleQuery: 'carol', assignee: bob, summary: 'Kept' }),
        }),
      );
      assert.deepEqual(choiceValues(found, 'assignee'), [bob, carol], 'the match, and Bob who was already chosen');
      assert.equal(findInput(found, 'assignee')?.value, bob);
      assert.match(cardText(found), /1 person matches 'carol'/);
      assert.equal(findInput(found, 'summary')?.value, 'Kept');

      const none = dialogOf(
        await invokeAs(TEAMS_USER, 'composeExtension/submitAction', { ...value, data: submitData(found, CreateIssueVerb.SearchPeople, { peopleQuery: 'zzz' }) }),
      );
      assert.match(cardText(none), /No one assignable in KAN matches 'zzz'/);
      assert.equal(choiceValues(none, 'assignee').length, everyone.length);
    });

    it('says in the dialog when the chosen issue type is not one of the project’s', async () => {
      const value = messageActionValue({ commandId: ComposeCommand.CreateIssue, html: MESSAGE_HTML });
      const opened = dialogOf(await invokeAs(TEAMS_USER, 'composeExtension/fetchTask', value));
      const kan = dialogOf(
        await invokeAs(TEAMS_USER, 'composeExtension/submitAction', { ...value, data: submitData(opened, CreateIssueVerb.Refresh, { project: 'KAN', issuetype: '10002' }) }),
      );
      // Epic (10000) exists only in PHX.
      const card = dialogOf(
        await invokeAs(TEAMS_USER, 'composeExtension/submitAction', { ...value, data: submitData(kan, CreateIssueVerb.Submit, { issuetype: '10000', summary: 'Kept' }) }),
      );
      assert.match(cardText(card), /KAN has no issue type with id 10000/);
      assert.match(cardText(card), /Not an issue type of KAN/);
      assert.equal(findInput(card, 'summary')?.value, 'Kept');
      assert.deepEqual(choiceValues(card, 'issuetype'), ['10001', '10002', '10003']);
    });

    it("shows Jira's own rejection of a field in the dialog, keeping the values", async () => {
      const value = messageActionValue({ commandId: ComposeCommand.CreateIssue, html: '<p>Reviewer from elsewhere</p>' });
      const opened = dialogOf(await invokeAs(TEAMS_USER, 'composeExtension/fetchTask', value));
      const kan = dialogOf(
        await invokeAs(TEAMS_USER, 'composeExtension/submitAction', { ...value, data: submitData(opened, CreateIssueVerb.Refresh, { project: 'KAN', issuetype: '10002' }) }),
      );
      const card = dialogOf(
        await invokeAs(TEAMS_USER, 'composeExtension/submitAction', { ...value, data: submitData(kan, CreateIssueVerb.Submit, { assignee: 'no-such-account', labels: 'kept' }) }),
      );
      assert.match(cardText(card), /Jira did not accept this/);
      assert.match(cardText(card), /no\\-such\\-account/);
      assert.equal(findInput(card, 'labels')?.value, 'kept');
      assert.equal(findInput(card, 'summary')?.value, 'Reviewer from elsewhere');
    });

    it('names the missing Create Issues permission in the dialog (Victor may only browse PHX)', async () => {
      const value = messageActionValue({ commandId: ComposeCommand.CreateIssue, html: MESSAGE_HTML, conversationId: CHANNEL_ID });
      const opened = dialogOf(await invokeAs(VICTOR, 'composeExtension/fetchTask', value));
      // Jira's project search with action=create lists no project for him.
      assert.match(cardText(opened), /You can't create issues in any Jira project\. Ask a Jira admin for the Create Issues permission/);
      assert.equal(findInput(opened, 'summary')?.value, 'Payments time out for EU cards', 'the prefill stays');
      // A project forced into the form (an old dialog, a crafted submit) is still checked by name.
      const phx = dialogOf(await invokeAs(VICTOR, 'composeExtension/submitAction', { ...value, data: submitData(opened, CreateIssueVerb.Refresh, { project: 'PHX' }) }));
      assert.match(cardText(phx), /Create Issues"? permission/);
      assert.equal(findInput(phx, 'summary')?.value, 'Payments time out for EU cards', 'the prefill stays');

      const submitted = dialogOf(await invokeAs(VICTOR, 'composeExtension/submitAction', { ...value, data: submitData(phx, CreateIssueVerb.Submit, { summary: 'Mine' }) }));
      // PHX is not among the projects he may create in, so the dialog asks for one again.
      assert.match(cardText(submitted), /Create Issues"? permission|Choose a project/);
      assert.equal(findInput(submitted, 'summary')?.value, 'Mine');
      const victorsIssues = await jiraGet('alice@example.com', `/rest/api/3/search/jql?jql=${encodeURIComponent('reporter = "712020:00000000-0000-4000-8000-000000000008"')}`);
      assert.equal(victorsIssues.issues.length, 0, 'nothing was created');
    });

    it('tells the user in the dialog when their Jira connection has expired', async () => {
      const value = messageActionValue({ commandId: ComposeCommand.CreateIssue, html: MESSAGE_HTML });
      const opened = dialogOf(await invokeAs(DAVE, 'composeExtension/fetchTask', value));
      // Dave revokes the API token, or the app's access, in Atlassian's account settings while the dialog is open.
      revokeAccess(sim, 'dave@example.com', via);

      const submitted = await invokeAs(DAVE, 'composeExtension/submitAction', { ...value, data: submitData(opened, CreateIssueVerb.Submit, { summary: 'Lost?' }) });
      assert.equal(submitted.task?.type, 'message', JSON.stringify(submitted).slice(0, 300));
      assert.match(submitted.task.value, /Jira connection has expired or was revoked.*connect/);

      const reopened = await invokeAs(DAVE, 'composeExtension/fetchTask', value);
      assert.equal(reopened.task?.type, 'message');
      assert.match(reopened.task.value, /expired or was revoked/);
    });

    it('adds the message as an ADF comment with attribution to an issue found by key', async () => {
      const value = messageActionValue({ commandId: ComposeCommand.AddComment, html: MESSAGE_HTML });
      const opened = dialogOf(await invokeAs(TEAMS_USER, 'composeExtension/fetchTask', value));
      const found = dialogOf(await invokeAs(TEAMS_USER, 'composeExtension/submitAction', { ...value, data: submitData(opened, AddCommentVerb.Search, { issueQuery: 'kan-1' }) }));
      assert.deepEqual(choiceValues(found, 'issue'), ['KAN-1']);
      const done = dialogOf(await invokeAs(TEAMS_USER, 'composeExtension/submitAction', { ...value, data: submitData(found, AddCommentVerb.Submit, {}) }));
      assert.match(cardText(done), /Comment added to KAN\\-1/);

      const comments = await jiraGet('erin@example.com', '/rest/api/3/issue/KAN-1/comment?orderBy=-created&maxResults=1');
      const [comment] = comments.comments as Json[];
      assert.equal(comment.author.displayName, 'Erin Tester', 'written as the user');
      assertValidAdf(comment.body);
      const body = JSON.stringify(comment.body);
      for (const type of ['orderedList', 'codeBlock', 'strong']) assert.ok(body.includes(`"${type}"`), `the comment keeps ${type}`);
      assert.ok(body.includes('https://status.example.com/incidents/42'), 'and the link');
      assert.match(adfText(comment.body), /From Teams: message by Megan Bowen$/);
    });
  });
