import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startJiraSim, type JiraSim } from '@jira-teams/jira-sim';
import type { Server } from 'restify';
import { CHANNEL_ID, invokeActivity, messageActionValue, postActivity, startBotConnector, type BotConnector } from '../../../../dev/bot-connector-emu/src';
import { CreateIssueVerb } from '../../../src/cards/create-issue-dialog-card';
import { AddCommentVerb } from '../../../src/cards/add-comment-dialog-card';
import { readConfig } from '../../../src/config';
import type { ApiTokenConnection } from '../../../src/connections/connection';
import { createHttpServer } from '../../../src/http/create-http-server';
import { createJiraClient, type JiraClient } from '../../../src/jira/create-jira-client';
import { RequestPipeline } from '../../../src/jira/request-pipeline';
import { SiteScheduler } from '../../../src/jira/site-scheduler';
import { createLogger } from '../../../src/log/create-logger';
import { openSqliteStore } from '../../../src/store/sqlite-store';
import type { Store } from '../../../src/store/store';
import { ComposeCommand } from '../../../src/teams/compose/compose-command';
import { composeFeature } from '../../../src/teams/compose/compose-feature';
import { jiraIssueWriter } from '../../../src/teams/compose/jira-issue-writer';
import { createTeamsApp } from '../../../src/teams/create-teams-app';
import { captureLogs } from '../../support/capture-logs';
import { assertValidCard, cardText } from '../../support/validate-card';
import { adfText, assertValidAdf } from '../../jira/adf/assert-valid-adf';

type Json = Record<string, any>;

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

const MESSAGE_HTML =
  '<p><b>Payments</b> time out for EU cards<br>seen since 09:00</p><ol><li>add a card</li><li>pay</li></ol><pre class="language-json"><code>{"code": 504}</code></pre><p>See <a href="https://status.example.com/incidents/42">incident 42</a></p>';

describe('message actions against the Jira simulator', () => {
  let sim: JiraSim;
  let connector: BotConnector;
  let server: Server;
  let store: Store;
  let botUrl: string;
  let jira: JiraClient;

  before(async () => {
    sim = await startJiraSim({ port: 0 });
    connector = await startBotConnector();
    const user = sim.state.site.users[2];
    const connection: ApiTokenConnection = {
      kind: 'apiToken',
      owner: { tenantId: 't', userId: 'u' },
      siteUrl: sim.url,
      email: user.email,
      apiToken: user.apiToken,
      accountId: user.accountId,
      displayName: user.displayName,
      status: 'active',
      createdAt: 0,
      updatedAt: 0,
    };
    jira = createJiraClient(connection, { pipeline: new RequestPipeline({ scheduler: new SiteScheduler() }), apiUrl: sim.url });
    const logger = createLogger({ level: 'warn', destination: captureLogs().stream });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-compose-sim-'));
    store = openSqliteStore(path.join(dataDir, 'store.db'));
    const teams = createTeamsApp({
      config: readConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'https://bot.test' }),
      logger,
      features: [composeFeature({ store, logger, writerFor: async () => jiraIssueWriter(jira) })],
    });
    server = createHttpServer({
      logger,
      processActivity: (req, res) => teams.adapter.process(req, res, (context) => teams.app.run(context).then(() => undefined)),
      readiness: async () => ({ ready: true, checks: {} }),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await store?.close();
    await connector?.close();
    await sim?.close();
  });

  async function invoke(name: 'composeExtension/fetchTask' | 'composeExtension/submitAction', value: Json): Promise<Json> {
    const activity = invokeActivity(name, value, {
      serviceUrl: connector.url,
      conversationType: 'channel',
      conversationId: `${CHANNEL_ID};messageid=1700000000001`,
      overrides: { localTimezone: 'America/New_York' },
    });
    const response = await postActivity(`${botUrl}/api/messages`, activity);
    assert.equal(response.status, 200);
    return response.body;
  }

  it('creates the issue with every custom field type, the message as ADF and a remote link back', async () => {
    const value = messageActionValue({ commandId: ComposeCommand.CreateIssue, html: MESSAGE_HTML, messageId: '1700000000001' });
    const opened = (await invoke('composeExtension/fetchTask', value)).task.value.card.content;
    assertValidCard(opened);
    const bug = (await invoke('composeExtension/submitAction', { ...value, data: submitData(opened, CreateIssueVerb.Refresh, { project: 'KAN', issuetype: '10003' }) }))
      .task.value.card.content;
    assertValidCard(bug);

    const users = await jira.v3.userSearch.findAssignableUsers({ project: 'KAN' });
    const assignee = users[0].accountId!;
    const done = await invoke('composeExtension/submitAction', {
      ...value,
      data: submitData(bug, CreateIssueVerb.Submit, {
        priority: '2',
        assignee,
        labels: 'payments eu',
        duedate: '2026-12-24',
        customfield_10015: '2026-12-01',
        customfield_10031: '120',
        customfield_10032: '10100',
        customfield_10033: '10110,10112',
        customfield_10034: '10120:10121',
        customfield_10035: assignee,
        customfield_10030: '2026-07-01',
        'customfield_10030.time': '09:30',
      }),
    });
    assert.equal(done.task, undefined, `the dialog closes: ${JSON.stringify(done).slice(0, 500)}`);
    const [posted] = await connector.waitForActivities(1);
    const key = /Created (\S+)/.exec(cardText(posted.body.attachments[0].content).replace(/\\/g, ''))?.[1];
    assert.ok(key, 'the new issue is announced in the conversation');

    const issue = await jira.v3.issues.getIssue({ issueIdOrKey: key, fields: ['*all'] });
    const f = issue.fields as Json;
    assert.equal(f.summary, 'Payments time out for EU cards');
    assert.equal(f.issuetype.id, '10003');
    assert.equal(f.priority.id, '2');
    assert.equal(f.assignee.accountId, assignee);
    assert.deepEqual([...f.labels].sort(), ['eu', 'payments']);
    assert.equal(f.duedate, '2026-12-24');
    assert.equal(f.customfield_10015, '2026-12-01');
    assert.equal(f.customfield_10031, 120);
    assert.equal(f.customfield_10032.id, '10100');
    assert.deepEqual(f.customfield_10033.map((o: Json) => o.id), ['10110', '10112']);
    assert.equal(f.customfield_10034.id, '10120');
    assert.equal(f.customfield_10034.child.id, '10121');
    assert.equal(f.customfield_10035.accountId, assignee);
    assert.equal(new Date(f.customfield_10030).toISOString(), '2026-07-01T13:30:00.000Z', '09:30 in New York');
    assertValidAdf(f.description);
    const description = JSON.stringify(f.description);
    for (const type of ['orderedList', 'codeBlock', 'strong']) assert.ok(description.includes(`"${type}"`), `description keeps ${type}`);
    assert.ok(description.includes('https://status.example.com/incidents/42'));
    assert.match(adfText(f.description), /From Teams: message by Megan Bowen$/);

    const links = await jira.v3.issueRemoteLinks.getRemoteIssueLinks({ issueIdOrKey: key });
    const list = (Array.isArray(links) ? links : [links]) as Json[];
    assert.deepEqual(list.map((l) => l.object.url), [value.messagePayload.linkToMessage]);
    assert.equal(list[0].object.title, 'Teams message from Megan Bowen');
  });

  it("shows Jira's own rejection of a field in the dialog", async () => {
    const value = messageActionValue({ commandId: ComposeCommand.CreateIssue, html: '<p>Reviewer from elsewhere</p>' });
    const opened = (await invoke('composeExtension/fetchTask', value)).task.value.card.content;
    const kan = (await invoke('composeExtension/submitAction', { ...value, data: submitData(opened, CreateIssueVerb.Refresh, { project: 'KAN', issuetype: '10002' }) }))
      .task.value.card.content;
    const body = await invoke('composeExtension/submitAction', { ...value, data: submitData(kan, CreateIssueVerb.Submit, { assignee: 'no-such-account' }) });
    const card = body.task.value.card.content;
    assertValidCard(card);
    assert.match(cardText(card), /no\\-such\\-account/);
  });

  it('adds the message as an ADF comment with attribution to an issue found by key', async () => {
    const value = messageActionValue({ commandId: ComposeCommand.AddComment, html: MESSAGE_HTML });
    const opened = (await invoke('composeExtension/fetchTask', value)).task.value.card.content;
    assertValidCard(opened);
    const found = (await invoke('composeExtension/submitAction', { ...value, data: submitData(opened, AddCommentVerb.Search, { issueQuery: 'kan-1' }) })).task.value
      .card.content;
    const done = (await invoke('composeExtension/submitAction', { ...value, data: submitData(found, AddCommentVerb.Submit, {}) })).task.value.card.content;
    assertValidCard(done);
    assert.match(cardText(done), /Comment added to KAN\\-1/);

    const comments = await jira.v3.issueComments.getComments({ issueIdOrKey: 'KAN-1', orderBy: '-created', maxResults: 1 });
    const body = comments.comments?.[0]?.body;
    assertValidAdf(body);
    assert.ok(JSON.stringify(body).includes('"codeBlock"'));
    assert.match(adfText(body), /From Teams: message by Megan Bowen$/);
  });
});
