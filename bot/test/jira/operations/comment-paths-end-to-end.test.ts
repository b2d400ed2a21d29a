import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../../../../dev/jira-sim/src';
import {
  CHANNEL_ID,
  DEFAULT_TENANT_ID,
  TEAM_ID,
  TEAMS_USER,
  conversationUpdateBotAdded,
  invokeActivity,
  messageActionValue,
  messageActivity,
  postActivity,
  startBotConnector,
  teamsMember,
  type BotConnector,
} from '../../../../dev/bot-connector-emu/src';
import { AddCommentVerb } from '../../../src/cards/add-comment-dialog-card';
import { SubscriptionVerb } from '../../../src/cards/subscription-verb';
import { Verb } from '../../../src/cards/verb';
import { connectionOwner } from '../../../src/connections/connection';
import { ADMIN_WEBHOOK_PATH } from '../../../src/http/webhook-routes';
import { ComposeCommand } from '../../../src/teams/compose/compose-command';
import { siteIdOf } from '../../../src/wiring/site-directory';
import { waitForRecordedCard } from '../../support/wait-for-recorded-card';
import { startTestBot, type TestBot } from '../../support/start-test-bot';
import { assertValidCard, cardText } from '../../support/validate-card';
import { assertValidAdf } from '../adf/assert-valid-adf';

type Json = Record<string, any>;

const SECRET = 'comment-paths-shared-secret';
const ISSUE = 'PHX-8';
/** Two lines and a blank line: the text whose ADF the three paths once wrote in three shapes. */
const MULTI_LINE = 'Fixed in build 42\nverified on staging\n\nClosing after the review';
/** What a reply in a channel thread can carry (Teams' text arrives as one line). */
const ONE_LINE = 'Deployed the fix to staging';

/** The data an Action.Submit of the dialog sends: its inputs' values, overridden by `inputs`, plus its data. */
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

/**
 * A comment typed by a user reaches Jira by three paths: the issue card's comment box, a reply
 * in an alert's thread, and the compose "Add comment" dialog. Through the assembled service
 * and the simulator, each stores the same ADF for the same text.
 */
describe('plain-text comments through the assembled service', () => {
  let sim: JiraSim;
  let connector: BotConnector;
  let testBot: TestBot;

  const jira = async (method: string, path: string, body?: unknown): Promise<Json | undefined> => {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: sim.basicAuth('alice@example.com'), 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
    return response.status === 204 ? undefined : ((await response.json()) as Json);
  };
  const latestComment = async (): Promise<Json> => {
    const page = (await jira('GET', `/rest/api/3/issue/${ISSUE}/comment?orderBy=-created&maxResults=1`))!;
    const [comment] = page.comments as Json[];
    assertValidAdf(comment.body);
    return comment.body;
  };
  const channel = () => ({ serviceUrl: connector.url, conversationType: 'channel' as const, conversationId: CHANNEL_ID, teamId: TEAM_ID, from: TEAMS_USER });
  const invoke = async (name: string, value: Json, conversationId = CHANNEL_ID): Promise<Json> => {
    const response = await postActivity(testBot.messagesUrl, invokeActivity(name as never, value, { ...channel(), conversationId }));
    assert.equal(response.status, 200, JSON.stringify(response.body).slice(0, 300));
    return response.body as Json;
  };

  before(async () => {
    sim = await startJiraSim({ port: 0, webhookRetry: { attempts: 1, baseDelayMs: 10 } });
    connector = await startBotConnector();
    connector.seedTeam({
      id: TEAM_ID,
      name: 'Phoenix',
      members: [teamsMember({ id: TEAMS_USER.id, aadObjectId: TEAMS_USER.aadObjectId, givenName: 'Alice', surname: 'Admin' })],
      owners: [TEAMS_USER.aadObjectId!],
    });
    testBot = await startTestBot({ GRAPH_BASE_URL: connector.graphUrl, JIRA_BASE_URL: sim.url, JIRA_WEBHOOK_SECRET: SECRET, ALERT_POLL_INTERVAL_SECONDS: '0' });
    await postActivity(testBot.messagesUrl, conversationUpdateBotAdded(channel()));
    await testBot.bot.connections.connectWithApiToken(connectionOwner(DEFAULT_TENANT_ID, TEAMS_USER), {
      siteUrl: sim.url,
      email: 'alice@example.com',
      apiToken: 'sim-token-alice',
    });
    await jira('POST', '/rest/webhooks/1.0/webhook', {
      name: 'Jira for Teams',
      url: `${testBot.bot.url}${ADMIN_WEBHOOK_PATH.replace(':siteId', siteIdOf(sim.url))}`,
      events: ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created'],
      filters: { 'issue-related-events-section': '' },
      secret: SECRET,
    });
  });
  after(async () => {
    await testBot?.close();
    await connector?.close();
    await sim?.close();
  });

  /** The issue card's comment box (Action.Execute `jira.comment`). */
  async function commentFromCard(text: string): Promise<Json> {
    const answer = await invoke('adaptiveCard/action', {
      action: { type: 'Action.Execute', verb: Verb.Comment, data: { key: ISSUE, site: new URL(sim.url).host, comment: text } },
      trigger: 'manual',
    });
    assert.match(cardText(answer.value), /Your comment was added/);
    return latestComment();
  }

  /** The compose dialog on a message, with the comment typed over the prefill; the last paragraph is its "From Teams" line. */
  async function commentFromDialog(text: string): Promise<Json> {
    const value = messageActionValue({ commandId: ComposeCommand.AddComment, html: '<p>something else</p>' });
    const dialog = (body: Json) => {
      assert.equal(body.task?.type, 'continue', JSON.stringify(body).slice(0, 300));
      assertValidCard(body.task.value.card.content);
      return body.task.value.card.content as Json;
    };
    const opened = dialog(await invoke('composeExtension/fetchTask', value));
    const found = dialog(await invoke('composeExtension/submitAction', { ...value, data: submitData(opened, AddCommentVerb.Search, { issueQuery: ISSUE }) }));
    const done = dialog(await invoke('composeExtension/submitAction', { ...value, data: submitData(found, AddCommentVerb.Submit, { comment: text }) }));
    assert.match(cardText(done), /Comment added to PHX\\-8/);
    const body = await latestComment();
    const attribution = body.content.pop();
    assert.match(JSON.stringify(attribution), /From Teams/);
    return body;
  }

  /** A reply in the thread of the alert card posted for the issue, in a two-way subscription. */
  async function commentFromThread(text: string): Promise<Json> {
    const form = { verb: SubscriptionVerb.Save, site: sim.url, projects: 'PHX', events: 'commented,fieldChanged,transitioned', statuses: '', fields: '', twoWayThreads: 'true' };
    const submit = await postActivity(
      testBot.messagesUrl,
      invokeActivity('composeExtension/fetchTask', {}, { ...channel(), overrides: { name: 'task/submit', value: { data: form } } }),
    );
    assert.equal(submit.status, 200);
    connector.clear();
    await jira('PUT', `/rest/api/3/issue/${ISSUE}`, { fields: { summary: 'Threaded issue' } });
    const alerted = () => connector.activities(CHANNEL_ID).find((c) => JSON.stringify(c.body).includes(ISSUE));
    await connector.waitFor(() => alerted() !== undefined, { timeoutMs: 15_000 });
    const rootId = (alerted()!.response as { id: string }).id;
    await waitForRecordedCard(testBot.bot.store, rootId);

    await postActivity(testBot.messagesUrl, messageActivity({ ...channel(), conversationId: `${CHANNEL_ID};messageid=${rootId}`, text }));
    await connector.waitFor(() => connector.activities(CHANNEL_ID).some((c) => JSON.stringify(c.body).includes(`Added to ${ISSUE}`)), { timeoutMs: 10_000 });
    return latestComment();
  }

  it('stores one ADF shape for the same text from a card, a thread reply and the compose dialog', async () => {
    const fromCard = await commentFromCard(ONE_LINE);
    const fromThread = await commentFromThread(ONE_LINE);
    const fromDialog = await commentFromDialog(ONE_LINE);
    assert.deepEqual(fromThread, fromCard);
    assert.deepEqual(fromDialog, fromCard);
  });

  it('keeps line breaks and paragraphs alike from the card and the compose dialog', async () => {
    const expected = {
      type: 'doc',
      version: 1,
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Fixed in build 42' }, { type: 'hardBreak' }, { type: 'text', text: 'verified on staging' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Closing after the review' }] },
      ],
    };
    assert.deepEqual(await commentFromCard(MULTI_LINE), expected);
    assert.deepEqual(await commentFromDialog(MULTI_LINE), expected);
  });
});
