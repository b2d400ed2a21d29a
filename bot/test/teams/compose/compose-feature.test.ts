import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHANNEL_ID, invokeActivity, messageActionValue, messageActivity, postActivity, startBotConnector, type BotConnector } from '../../../../dev/bot-connector-emu/src';
import { CreateIssueVerb } from '../../../src/cards/create-issue-dialog-card';
import { AddCommentVerb } from '../../../src/cards/add-comment-dialog-card';
import { Verb } from '../../../src/cards/verb';
import { readConfig } from '../../../src/config';
import { ConnectionError, ConnectionErrorCode } from '../../../src/connections/connection-error';
import { JiraError, JiraErrorCode } from '../../../src/jira/jira-error';
import { createLogger } from '../../../src/log/create-logger';
import { openSqliteStore } from '../../../src/store/sqlite-store';
import type { Store } from '../../../src/store/store';
import { composeFeature } from '../../../src/teams/compose/compose-feature';
import { ComposeCommand } from '../../../src/teams/compose/compose-command';
import { captureLogs } from '../../support/capture-logs';
import { serveFeatures, type ServedFeatures } from '../../support/serve-features';
import { assertValidCard, cardText, findCardElement as findInput } from '../../support/validate-card';
import { adfText, assertValidAdf } from '../../jira/adf/assert-valid-adf';
import { FakeIssueWriter } from './fake-issue-writer';

type Json = Record<string, any>;

/** The data an Action.Submit of the card sends: its own data plus the inputs' current values. */
function submitData(card: Json, verb: string, inputs: Record<string, string>): Json {
  const actions: Json[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if ((node as Json).type === 'Action.Submit') actions.push(node);
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  const action = actions.find((a) => a.data?.verb === verb);
  assert.ok(action, `no ${verb} action`);
  const values: Json = {};
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (node && typeof node === 'object') {
      const n = node as Json;
      if (typeof n.type === 'string' && n.type.startsWith('Input.') && n.value !== undefined) values[n.id] = String(n.value);
      Object.values(node).forEach(collect);
    }
  };
  collect(card);
  return { ...values, ...inputs, ...action.data };
}

const MESSAGE_HTML =
  '<p>Checkout fails on <b>Safari</b> 17<br>since the last deploy</p><ul><li>open cart</li><li>pay</li></ul><pre class="language-text"><code>TypeError: x is undefined</code></pre>';

describe('create issue and add comment from Teams messages', () => {
  let connector: BotConnector;
  let served: ServedFeatures;
  let store: Store;
  let botUrl: string;
  let writer: FakeIssueWriter;
  let connected: boolean;
  let logs: ReturnType<typeof captureLogs>;

  before(async () => {
    connector = await startBotConnector();
    logs = captureLogs();
    const logger = createLogger({ level: 'debug', destination: logs.stream });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-compose-'));
    const config = readConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'https://bot.test' });
    store = openSqliteStore(path.join(dataDir, 'store.db'));
    const feature = composeFeature({
      store,
      logger,
      writerFor: async () => {
        if (!connected) throw new ConnectionError(ConnectionErrorCode.NotConnected);
        return writer;
      },
    });
    served = await serveFeatures({ config, logger, features: [feature] });
    botUrl = served.url;
  });

  after(async () => {
    await served?.close();
    await store?.close();
    await connector?.close();
  });

  beforeEach(async () => {
    // Each test starts without remembered projects.
    for (const item of await store.list('createDefaults')) await store.delete(item.key);
    writer = new FakeIssueWriter();
    connected = true;
    connector.clear();
  });

  const scope = () => ({ serviceUrl: connector.url, conversationType: 'channel' as const, conversationId: `${CHANNEL_ID};messageid=1700000000000` });

  async function invoke(name: 'composeExtension/fetchTask' | 'composeExtension/submitAction', value: Json, overrides: Json = {}) {
    const response = await postActivity(`${botUrl}/api/messages`, invokeActivity(name, value, { ...scope(), overrides }));
    assert.equal(response.status, 200);
    return response.body;
  }

  async function openCreate(): Promise<{ card: Json; value: Json }> {
    const value = messageActionValue({ commandId: ComposeCommand.CreateIssue, html: MESSAGE_HTML, messageId: '1700000000000' });
    const body = await invoke('composeExtension/fetchTask', value);
    assert.equal(body.task.type, 'continue');
    const card = body.task.value.card.content;
    assertValidCard(card);
    return { card, value };
  }

  it('opens a dialog prefilled from the message: summary from the first line, description as text', async () => {
    const { card } = await openCreate();
    assert.equal(findInput(card, 'summary')?.value, 'Checkout fails on Safari 17');
    assert.equal(findInput(card, 'description')?.value, 'Checkout fails on Safari 17\nsince the last deploy\n\n- open cart\n- pay\n\nTypeError: x is undefined');
    assert.equal(findInput(card, 'project')?.value, 'OPS', 'with no history, the first project');
  });

  it('keeps what the user typed and shows the missing required fields', async () => {
    const { card: first, value } = await openCreate();
    const refreshed = await invoke('composeExtension/submitAction', {
      ...value,
      data: submitData(first, CreateIssueVerb.Refresh, { project: 'WEB', issuetype: '10001' }),
    });
    const web = refreshed.task.value.card.content;
    assertValidCard(web);
    assert.equal(findInput(web, 'customfield_10034')?.type, 'Input.ChoiceSet', "WEB's required fields appear after a refresh");

    const body = await invoke('composeExtension/submitAction', {
      ...value,
      data: submitData(web, CreateIssueVerb.Submit, { summary: 'My own summary', customfield_10016: 'lots' }),
    });
    const card = body.task.value.card.content;
    assertValidCard(card);
    assert.match(cardText(card), /Start date is required/);
    assert.match(cardText(card), /Story Points must be a number/);
    assert.equal(findInput(card, 'summary')?.value, 'My own summary');
    assert.equal(findInput(card, 'customfield_10016'), findInput(card, 'customfield_10016'));
    assert.equal(writer.created.length, 0, 'nothing is created while a field is wrong');
  });

  it('creates the issue with typed custom fields, rich description and a link back, and posts the card', async () => {
    const { card: first, value } = await openCreate();
    const web = (await invoke('composeExtension/submitAction', { ...value, data: submitData(first, CreateIssueVerb.Refresh, { project: 'WEB', issuetype: '10001' }) })).task.value
      .card.content;
    const data = submitData(web, CreateIssueVerb.Submit, {
      assignee: 'acc-ann',
      labels: 'checkout safari',
      customfield_10015: '2026-12-01',
      customfield_10016: '3',
      customfield_10030: '2026-07-01',
      'customfield_10030.time': '09:30',
      customfield_10032: '10101',
      customfield_10033: '10110,10111',
      customfield_10034: '10123:10124',
      customfield_10035: 'acc-bob',
      customfield_10037: 'A race in the cart',
    });
    const body = await invoke('composeExtension/submitAction', { ...value, data }, { localTimezone: 'Europe/Berlin' });
    assert.equal(body.task, undefined, 'the dialog closes');

    assert.equal(writer.created.length, 1);
    const fields = writer.created[0];
    assert.deepEqual(fields.project, { key: 'WEB' });
    assert.deepEqual(fields.issuetype, { id: '10001' });
    assert.equal(fields.summary, 'Checkout fails on Safari 17');
    assert.deepEqual(fields.assignee, { accountId: 'acc-ann' });
    assert.deepEqual(fields.labels, ['checkout', 'safari']);
    assert.equal(fields.customfield_10016, 3);
    assert.equal(fields.customfield_10030, '2026-07-01T09:30:00.000+0200');
    assert.deepEqual(fields.customfield_10033, [{ id: '10110' }, { id: '10111' }]);
    assert.deepEqual(fields.customfield_10034, { id: '10123', child: { id: '10124' } });
    assert.deepEqual(fields.customfield_10035, { accountId: 'acc-bob' });
    assertValidAdf(fields.description);
    const description = JSON.stringify(fields.description);
    assert.ok(description.includes('"type":"bulletList"') && description.includes('"type":"codeBlock"'), 'the message keeps its structure');
    assert.match(adfText(fields.description), /From Teams: message by Megan Bowen$/);

    assert.deepEqual(writer.links, [{ issueKey: 'WEB-1', link: { url: value.messagePayload.linkToMessage, title: 'Teams message from Megan Bowen' } }]);
    const [posted] = await connector.waitForActivities(1);
    const issueCard = posted.body.attachments[0].content;
    assertValidCard(issueCard);
    assert.match(cardText(issueCard), /\[WEB\\-1\]\(https:\/\/acme\.atlassian\.net\/browse\/WEB-1\)/, 'the live issue card, not a confirmation');
    assert.equal(issueCard.refresh?.action?.verb, Verb.Refresh, 'the card refreshes itself like an unfurled one');
    assert.ok(!logs.raw().includes('Safari'), 'no message text in the logs');

    const again = await openCreate();
    assert.equal(findInput(again.card, 'project')?.value, 'WEB', 'the project used last here comes first next time');
    assert.equal(findInput(again.card, 'project')?.choices[0].value, 'WEB');
  });

  it('falls back to a short confirmation when Jira cannot show the new issue yet', async () => {
    const { card, value } = await openCreate();
    writer.failIssueView = new JiraError(JiraErrorCode.NotFound, { status: 404 });
    const body = await invoke('composeExtension/submitAction', { ...value, data: submitData(card, CreateIssueVerb.Submit, {}) });
    assert.equal(body.task, undefined, 'the dialog closes');
    const [posted] = await connector.waitForActivities(1);
    assertValidCard(posted.body.attachments[0].content);
    assert.match(cardText(posted.body.attachments[0].content), /Created OPS\\-1/);
  });

  it('filters the project list by the search box, picks the match, and says when nothing matches', async () => {
    const { card, value } = await openCreate();
    const found = (await invoke('composeExtension/submitAction', { ...value, data: submitData(card, CreateIssueVerb.SearchProjects, { projectQuery: 'site', summary: 'Typed' }) }))
      .task.value.card.content;
    assertValidCard(found);
    assert.deepEqual(
      findInput(found, 'project')?.choices.map((c: Json) => c.value),
      ['WEB'],
    );
    assert.equal(findInput(found, 'project')?.value, 'WEB', 'the search selects its match');
    assert.deepEqual(
      findInput(found, 'issuetype')?.choices.map((c: Json) => c.title),
      ['Bug', 'Task'],
      "and loads that project's issue types",
    );
    assert.equal(findInput(found, 'issuetype')?.value, '10002', 'keeping the chosen type, which WEB has too');
    assert.equal(findInput(found, 'summary')?.value, 'Typed');
    assert.equal(findInput(found, 'projectQuery')?.value, 'site');

    const none = (await invoke('composeExtension/submitAction', { ...value, data: submitData(found, CreateIssueVerb.SearchProjects, { projectQuery: 'xyz' }) })).task.value.card
      .content;
    assertValidCard(none);
    assert.match(cardText(none), /No project matches 'xyz'/);
    assert.deepEqual(
      findInput(none, 'project')?.choices.map((c: Json) => c.value),
      ['OPS', 'WEB'],
      'every project stays available',
    );
    assert.equal(findInput(none, 'project')?.value, 'WEB', 'the chosen project stays chosen');
    assert.equal(findInput(none, 'summary')?.value, 'Typed');
  });

  it('uses the edited description as text, with the attribution, when the user rewrote it', async () => {
    const { card, value } = await openCreate();
    await invoke('composeExtension/submitAction', { ...value, data: submitData(card, CreateIssueVerb.Submit, { description: 'Short\nversion' }) });
    assert.equal(writer.created.length, 1);
    assert.equal(adfText(writer.created[0].description), 'Short\nversion\nFrom Teams: message by Megan Bowen');
  });

  it('asks the user to check the fields when they switched project without refreshing', async () => {
    const { card, value } = await openCreate();
    const body = await invoke('composeExtension/submitAction', { ...value, data: submitData(card, CreateIssueVerb.Submit, { project: 'WEB', issuetype: '10001' }) });
    assert.match(cardText(body.task.value.card.content), /now those of the project and type you chose/);
    assert.equal(writer.created.length, 0);
  });

  it('shows a missing permission in the dialog, keeping the values', async () => {
    const { card, value } = await openCreate();
    writer.failCreate = new JiraError(JiraErrorCode.Forbidden, { status: 403, permission: 'Create Issues' });
    const body = await invoke('composeExtension/submitAction', { ...value, data: submitData(card, CreateIssueVerb.Submit, { summary: 'Kept' }) });
    const again = body.task.value.card.content;
    assertValidCard(again);
    assert.match(cardText(again), /Create Issues/);
    assert.equal(findInput(again, 'summary')?.value, 'Kept');
  });

  it('returns the card as a compose-box preview when started from the compose box', async () => {
    const value = { commandId: ComposeCommand.CreateIssue, commandContext: 'compose', context: { theme: 'default' } };
    const opened = await invoke('composeExtension/fetchTask', value);
    const card = opened.task.value.card.content;
    assert.equal(findInput(card, 'summary')?.value, undefined);
    const body = await invoke('composeExtension/submitAction', { ...value, data: submitData(card, CreateIssueVerb.Submit, { summary: 'From compose' }) });
    assert.equal(body.composeExtension.type, 'result');
    assertValidCard(body.composeExtension.attachments[0].content);
    assert.equal(writer.created[0].description, undefined, 'nothing to describe');
    assert.equal(writer.links.length, 0, 'no message to link back to');
  });

  it('tells a user who has not connected Jira how to connect', async () => {
    connected = false;
    const body = await invoke('composeExtension/fetchTask', messageActionValue({ commandId: ComposeCommand.CreateIssue, html: '<p>x</p>' }));
    assert.equal(body.task.type, 'message');
    assert.match(body.task.value, /connect/);
  });

  it('adds a comment with the message as ADF and attribution, and confirms', async () => {
    const value = messageActionValue({ commandId: ComposeCommand.AddComment, html: MESSAGE_HTML });
    const opened = await invoke('composeExtension/fetchTask', value);
    const card = opened.task.value.card.content;
    assertValidCard(card);
    assert.deepEqual(
      findInput(card, 'issue')?.choices.map((c: Json) => c.value),
      ['WEB-7', 'OPS-2'],
    );

    const found = await invoke('composeExtension/submitAction', { ...value, data: submitData(card, AddCommentVerb.Search, { issueQuery: 'signing' }) });
    const results = found.task.value.card.content;
    assert.deepEqual(
      findInput(results, 'issue')?.choices.map((c: Json) => c.value),
      ['OPS-2'],
    );

    const done = await invoke('composeExtension/submitAction', { ...value, data: submitData(results, AddCommentVerb.Submit, {}) });
    const confirmation = done.task.value.card.content;
    assertValidCard(confirmation);
    assert.match(cardText(confirmation), /Comment added to OPS\\-2/);
    assert.equal(writer.comments.length, 1);
    assert.equal(writer.comments[0].issueKey, 'OPS-2');
    assertValidAdf(writer.comments[0].body);
    assert.ok(JSON.stringify(writer.comments[0].body).includes('"type":"codeBlock"'));
    assert.match(adfText(writer.comments[0].body), /From Teams: message by Megan Bowen$/);
  });

  it('asks for an issue and a comment before adding anything', async () => {
    const value = messageActionValue({ commandId: ComposeCommand.AddComment, html: '<p>x</p>' });
    const body = await invoke('composeExtension/submitAction', { ...value, data: { verb: AddCommentVerb.Submit, comment: ' ' } });
    const card = body.task.value.card.content;
    assertValidCard(card);
    assert.match(cardText(card), /Choose an issue/);
    assert.match(cardText(card), /Write the comment/);
    assert.equal(writer.comments.length, 0);
  });

  it('quick-creates with create SUMMARY once the user has a project here, and offers the dialog before that', async () => {
    const say = async (text: string) => {
      connector.clear();
      const activity = messageActivity({ ...scope(), text });
      assert.equal((await postActivity(`${botUrl}/api/messages`, activity)).status, 200);
      const [reply] = await connector.waitForActivities(1);
      return reply.body.attachments[0].content;
    };
    const first = await say('create Login button is grey');
    assertValidCard(first);
    assert.match(cardText(first), /don’t know which project/);
    assert.equal(writer.created.length, 0);

    // The start card's button fetches the same dialog as a task module.
    const fetched = await postActivity(
      `${botUrl}/api/messages`,
      invokeActivity('composeExtension/fetchTask', {}, { ...scope(), overrides: { name: 'task/fetch', value: { data: { verb: CreateIssueVerb.Open } } } }),
    );
    const dialog = fetched.body.task.value.card.content;
    assertValidCard(dialog);
    const searched = await postActivity(
      `${botUrl}/api/messages`,
      invokeActivity(
        'composeExtension/submitAction',
        {},
        {
          ...scope(),
          overrides: { name: 'task/submit', value: { data: submitData(dialog, CreateIssueVerb.SearchProjects, { projectQuery: 'oper' }) } },
        },
      ),
    );
    assert.deepEqual(
      findInput(searched.body.task.value.card.content, 'project')?.choices.map((c: Json) => c.value),
      ['OPS'],
      'the search works in the task module too',
    );
    const submitted = await postActivity(
      `${botUrl}/api/messages`,
      invokeActivity(
        'composeExtension/submitAction',
        {},
        {
          ...scope(),
          overrides: { name: 'task/submit', value: { data: submitData(dialog, CreateIssueVerb.Submit, { summary: 'First one' }) } },
        },
      ),
    );
    assert.equal(submitted.status, 200);
    assert.deepEqual(writer.created[0], { project: { key: 'OPS' }, issuetype: { id: '10002' }, summary: 'First one', priority: { id: '3' } });

    const quick = await say('create Login button is grey');
    assertValidCard(quick);
    assert.deepEqual(writer.created[1], { project: { key: 'OPS' }, issuetype: { id: '10002' }, summary: 'Login button is grey' });
    assert.match(cardText(quick), /OPS\\-2/);
    assert.match(cardText(quick), /Login button is grey/);
  });

  it('asks for the project on the card when create SUMMARY has none yet, creates there, and remembers it', async () => {
    const say = async (text: string) => {
      connector.clear();
      const activity = messageActivity({ ...scope(), text });
      assert.equal((await postActivity(`${botUrl}/api/messages`, activity)).status, 200);
      const [reply] = await connector.waitForActivities(1);
      postedId = (reply.response as { id?: string } | undefined)?.id;
      return reply.body.attachments[0].content;
    };
    let postedId: string | undefined;
    const asked: Json = await say('create Export button does nothing');
    assertValidCard(asked);
    assert.match(cardText(asked), /Export button does nothing/);
    assert.deepEqual(
      findInput(asked, 'project')?.choices.map((c: Json) => c.value),
      ['OPS', 'WEB'],
      'the projects the user can create in',
    );
    const actions = (asked.actions ?? []) as Json[];
    const create = actions.find((a) => a.type === 'Action.Execute')!;
    assert.equal(create?.verb, CreateIssueVerb.Quick);
    const dialogButton = actions.find((a) => a.data?.msteams?.type === 'task/fetch')!;
    assert.equal(dialogButton?.data.summary, 'Export button does nothing', 'the dialog button keeps the summary');

    // More fields: the dialog opens with the summary typed in the command.
    const fetched = await postActivity(
      `${botUrl}/api/messages`,
      invokeActivity('composeExtension/fetchTask', {}, { ...scope(), overrides: { name: 'task/fetch', value: { data: dialogButton.data } } }),
    );
    assert.equal(findInput(fetched.body.task.value.card.content, 'summary')?.value, 'Export button does nothing');

    // Create: Teams merges the chosen project into the action's data.
    const answered = await postActivity(
      `${botUrl}/api/messages`,
      invokeActivity(
        'adaptiveCard/action',
        { action: { type: 'Action.Execute', verb: create.verb, data: { ...create.data, project: 'WEB' } }, trigger: 'manual' },
        {
          ...scope(),
          replyToId: postedId,
        },
      ),
    );
    assert.equal(answered.status, 200);
    assert.deepEqual(writer.created[0], { project: { key: 'WEB' }, issuetype: { id: '10002' }, summary: 'Export button does nothing' });
    assert.equal(answered.body.type, 'application/vnd.microsoft.card.adaptive', 'the new issue replaces the question');
    assert.match(cardText(answered.body.value), /Export button does nothing/);

    const quick = await say('create Import too');
    assert.deepEqual(writer.created[1], { project: { key: 'WEB' }, issuetype: { id: '10002' }, summary: 'Import too' });
    assert.match(cardText(quick), /Import too/);
  });
});
