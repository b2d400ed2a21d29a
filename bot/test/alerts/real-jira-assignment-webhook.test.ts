import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src';
import {
  CHANNEL_ID,
  DEFAULT_TENANT_ID,
  TEAM_ID,
  TEAMS_USER,
  conversationUpdateBotAdded,
  invokeActivity,
  messageActivity,
  postActivity,
  startBotConnector,
  teamsMember,
  type Account,
  type BotConnector,
} from '../../../dev/bot-connector-emu/src';
import { SubscriptionVerb } from '../../src/cards/subscription-verb';
import { connectionOwner } from '../../src/connections/connection';
import { ADMIN_WEBHOOK_PATH } from '../../src/http/webhook-routes';
import { siteIdOf } from '../../src/wiring/site-directory';
import { cardText } from '../support/validate-card';
import { startTestBot, type TestBot } from '../support/start-test-bot';

const SECRET = 'real-jira-assignment-secret';
const BOB: Account = { id: '29:bob-builder', name: 'Bob Builder', aadObjectId: '0b0b0b0b-0000-4000-8000-000000000002' };
const BOB_ACCOUNT_ID = '712020:00000000-0000-4000-8000-000000000002';
const BOB_CHAT = 'a:1bob-personal-chat';

/**
 * Issue #17 defect 2: Jira Cloud sends `issue_assigned` with an empty changelog. With the
 * simulator sending webhooks that way (and in the REST v2 shape), an assignment made in Jira
 * must still reach the subscribed channel and the assignee's personal chat.
 */
describe('an assignment from real Jira Cloud (empty changelog) in the assembled service', () => {
  let sim: JiraSim;
  let connector: BotConnector;
  let testBot: TestBot;
  let webhookUrl: string;

  const basic = (user: string) => `Basic ${Buffer.from(`${user}@example.com:sim-token-${user}`).toString('base64')}`;
  const jira = async (user: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: basic(user), 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
    return response.status === 204 ? undefined : response.json();
  };
  const scope = (from: Account) => ({ serviceUrl: connector.url, conversationType: 'channel' as const, conversationId: CHANNEL_ID, teamId: TEAM_ID, from });
  const channelCards = () =>
    connector
      .activities(CHANNEL_ID)
      .flatMap((call) => (call.body?.attachments ?? []) as Array<{ content: unknown }>)
      .map((a) => cardText(a.content as never));

  before(async () => {
    sim = await startJiraSim({ port: 0, webhookRetry: { attempts: 1, baseDelayMs: 10 }, realism: { emptyAssigneeChangelog: true, webhookRestV2: true } });
    connector = await startBotConnector();
    connector.seedTeam({
      id: TEAM_ID,
      name: 'Phoenix',
      members: [
        teamsMember({ id: TEAMS_USER.id, aadObjectId: TEAMS_USER.aadObjectId, givenName: 'Alice', surname: 'Admin' }),
        teamsMember({ id: BOB.id, aadObjectId: BOB.aadObjectId, givenName: 'Bob', surname: 'Builder' }),
      ],
      owners: [TEAMS_USER.aadObjectId!],
    });
    testBot = await startTestBot({ GRAPH_BASE_URL: connector.graphUrl, JIRA_BASE_URL: sim.url, JIRA_WEBHOOK_SECRET: SECRET, ALERT_POLL_INTERVAL_SECONDS: '0' });
    webhookUrl = `${testBot.bot.url}${ADMIN_WEBHOOK_PATH.replace(':siteId', siteIdOf(sim.url))}`;
    await postActivity(testBot.messagesUrl, conversationUpdateBotAdded(scope(TEAMS_USER)));
    const connect = (who: Account, user: string) =>
      testBot.bot.connections.connectWithApiToken(connectionOwner(DEFAULT_TENANT_ID, who), { siteUrl: sim.url, email: `${user}@example.com`, apiToken: `sim-token-${user}` });
    await connect(TEAMS_USER, 'alice');
    await connect(BOB, 'bob');
    // Bob has talked to the bot in his personal chat, so it can notify him there.
    await postActivity(testBot.messagesUrl, messageActivity({ serviceUrl: connector.url, conversationType: 'personal', conversationId: BOB_CHAT, from: BOB, text: 'status' }));
    await jira('alice', 'POST', '/rest/webhooks/1.0/webhook', {
      name: 'Jira for Teams',
      url: webhookUrl,
      events: ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created'],
      filters: { 'issue-related-events-section': '' },
      secret: SECRET,
    });
    const invoke = invokeActivity(
      'composeExtension/fetchTask',
      {},
      {
        ...scope(TEAMS_USER),
        overrides: {
          name: 'task/submit',
          value: { data: { verb: SubscriptionVerb.Save, projects: 'PHX', events: 'assigned', statuses: '', fields: '', twoWayThreads: 'false', site: sim.url } },
        },
      },
    );
    const saved = await postActivity(testBot.messagesUrl, invoke);
    assert.equal(saved.status, 200);
    assert.equal(saved.body, undefined, 'the subscription is saved');
  });
  after(async () => {
    await testBot?.close();
    await connector?.close();
    await sim?.close();
  });

  it('delivers the assignment to the subscribed channel and the assignee personal chat', async () => {
    connector.clear();
    await jira('alice', 'PUT', '/rest/api/3/issue/PHX-6/assignee', { accountId: BOB_ACCOUNT_ID });

    await connector.waitFor(() => channelCards().some((text) => /PHX\\?-6/.test(text)) && connector.activities(BOB_CHAT).length > 0, { timeoutMs: 15_000 });

    // The simulator did send what Jira Cloud sends: an assignment with no changelog items.
    const sent = sim.webhooks.deliveries().filter((d) => d.url === webhookUrl && /"issue_assigned"/.test(d.body));
    assert.equal(sent.length, 1);
    assert.deepEqual(JSON.parse(sent[0].body).changelog.items, []);
    assert.equal(sent[0].status, 'delivered');

    const card = channelCards().find((text) => /PHX\\?-6/.test(text))!;
    assert.match(card, /Alice Admin changed the assignee of PHX\\?-6/);
    assert.match(card, /Assignee\nBob Builder/);
    assert.doesNotMatch(card, /Unassigned/);
    const [personal] = connector.activities(BOB_CHAT);
    assert.match(cardText(personal.body.attachments[0].content), /PHX-6/);
  });
});
