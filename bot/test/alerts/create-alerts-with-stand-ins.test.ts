import assert from 'node:assert/strict';
import {
  DEFAULT_TENANT_ID,
  PERSONAL_CHAT_ID,
  installationUpdateAdd,
  postActivity,
  startBotConnector,
  type BotConnector,
  type RecordedCall,
} from '../../../dev/bot-connector-emu/src';
import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src/start-jira-sim';
import { createAlerts, type Alerts } from '../../src/alerts/create-alerts';
import { ALL_EVENT_KINDS } from '../../src/alerts/issue-event';
import { batchedKeyJql, type JqlKeySearch } from '../../src/alerts/subscription-matcher';
import { conversationReferences } from '../../src/conversations/conversation-references';
import { ADMIN_WEBHOOK_PATH } from '../../src/http/webhook-routes';
import { createLogger } from '../../src/log/create-logger';
import { adapterAlertSender } from '../../src/teams/alerts/adapter-alert-sender';
import { startTestBot, type TestBot } from '../support/start-test-bot';
import { assertValidCard, cardText } from '../support/validate-card';
import { startWebhookServer } from './start-webhook-server';
import { subscription } from './subscription-builder';

const SECRET = 'pipeline-secret';
const ALL = '19:all-phx@thread.tacv2';
const HIGHEST = '19:highest-only@thread.tacv2';
const SPRINT = '19:remote-jql@thread.tacv2';

/**
 * createAlerts on its own, with stand-ins for the ports the service wires to Jira and Teams
 * (permissions allow everything, JQL checks go straight to the simulator's search, Bob is the
 * only personal recipient), fed by the simulator's real webhooks through the webhook routes and
 * sending through the Bot Connector emulation. The service as `npm start` assembles it is
 * tested in assembled-alerts.test.ts.
 */
describe('createAlerts with stand-in ports: Jira simulator webhooks -> matching -> outbox -> Bot Connector emulation', function () {
  this.timeout(30_000);
  const logger = createLogger({ level: 'silent' });
  let sim: JiraSim;
  let connector: BotConnector;
  let testBot: TestBot;
  let webhooks: Awaited<ReturnType<typeof startWebhookServer>>;
  let alerts: Alerts;
  const remoteQueries: string[] = [];
  let bobAccountId = '';

  const jira = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: sim.basicAuth('alice@example.com'), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  const transition = async (key: string, to: string) => {
    const { transitions } = await jira('GET', `/rest/api/3/issue/${key}/transitions`);
    const chosen = transitions.find((t: { to: { name: string } }) => t.to.name === to);
    assert.ok(chosen, `no transition of ${key} to ${to}`);
    await jira('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: chosen.id } });
  };

  const cards = (conversationId: string) => connector.activities(conversationId).map((c: RecordedCall) => c.body.attachments[0].content);

  before(async () => {
    sim = await startJiraSim({ webhookRetry: { attempts: 3, baseDelayMs: 10, timeoutMs: 5000 } });
    connector = await startBotConnector();
    testBot = await startTestBot();
    const store = testBot.bot.store;
    for (const conversationId of [ALL, HIGHEST, SPRINT]) {
      await postActivity(testBot.messagesUrl, installationUpdateAdd({ serviceUrl: connector.url, conversationType: 'channel', conversationId, teamId: '19:t@thread.tacv2' }));
    }
    // Bob installed the app for himself and connected his Jira account.
    await postActivity(testBot.messagesUrl, installationUpdateAdd({ serviceUrl: connector.url, conversationType: 'personal', conversationId: PERSONAL_CHAT_ID }));
    const bob = await fetch(`${sim.url}/rest/api/3/myself`, { headers: { authorization: sim.basicAuth('bob@example.com') } });
    bobAccountId = ((await bob.json()) as { accountId: string }).accountId;
    // The remote half of matching, through the simulator's own search.
    const jqlSearch: JqlKeySearch = {
      async keysMatching(_site, keys, jql) {
        remoteQueries.push(jql);
        const result = await jira('POST', '/rest/api/3/search/jql', { jql: batchedKeyJql(keys, jql), fields: ['key'], maxResults: 100 });
        return new Set(result.issues.map((i: { key: string }) => i.key));
      },
    };
    alerts = createAlerts({
      store,
      logger,
      sender: adapterAlertSender({ adapter: testBot.bot.teams.adapter, conversations: conversationReferences(store) }),
      // One card per change here; folding is tested on its own.
      delivery: { updateWindowMs: 0, digestThreshold: Infinity },
      jqlSearch,
      permissions: { canManageConversation: async () => ({ allowed: true }), canAdministerJira: async () => ({ allowed: true }) },
      jqlValidator: { validate: async () => undefined },
      personal: {
        recipients: {
          async forAccounts(_site, accountIds) {
            const target = { tenantId: DEFAULT_TENANT_ID, conversationId: PERSONAL_CHAT_ID };
            return new Map(
              accountIds
                .filter((id) => id === bobAccountId)
                .map((id) => [id, [{ userKey: `${DEFAULT_TENANT_ID}|bob`, owner: { tenantId: DEFAULT_TENANT_ID, userId: 'bob' }, target }]]),
            );
          },
        },
        visibility: { canSee: async () => true },
      },
    });
    const target = (conversationId: string) => ({ tenantId: DEFAULT_TENANT_ID, conversationId });
    await alerts.repository.save(subscription({ site: sim.url, target: target(ALL), projects: ['PHX'], eventKinds: [...ALL_EVENT_KINDS] }));
    await alerts.repository.save(subscription({ site: sim.url, target: target(HIGHEST), projects: ['PHX'], jql: 'project = PHX AND priority = Highest' }));
    await alerts.repository.save(subscription({ site: sim.url, target: target(SPRINT), projects: [], jql: 'project = PHX AND summary ~ "payments"' }));

    webhooks = await startWebhookServer({ site: async (id) => (id === 'sim' ? { url: sim.url, adminSecrets: [SECRET] } : undefined), intake: alerts.intake, logger });
    alerts.startWorkers();
    await jira('POST', '/rest/webhooks/1.0/webhook', {
      name: 'Teams',
      url: `${webhooks.url}${ADMIN_WEBHOOK_PATH.replace(':siteId', 'sim')}`,
      events: ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created'],
      secret: SECRET,
    });
    connector.clear();
  });

  it('tells a connected user in their personal chat when an issue is assigned to them or they are mentioned', async () => {
    await jira('PUT', '/rest/api/3/issue/KAN-3/assignee', { accountId: bobAccountId });
    await jira('POST', '/rest/api/3/issue/KAN-4/comment', {
      body: {
        type: 'doc',
        version: 1,
        content: [
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: 'Can you look, ' },
              { type: 'mention', attrs: { id: bobAccountId, text: '@Bob' } },
            ],
          },
        ],
      },
    });
    await connector.waitForActivities(2, { conversationId: PERSONAL_CHAT_ID, timeoutMs: 10_000 });
    const texts = cards(PERSONAL_CHAT_ID).map((card) => {
      assertValidCard(card);
      return cardText(card);
    });
    assert.match(texts[0], /changed the assignee of KAN\\-3/);
    assert.match(texts[1], /commented on KAN\\-4/);
    assert.match(texts[1], /Can you look/);
    assert.equal(connector.activities(ALL).filter((c) => /KAN/.test(JSON.stringify(c.body))).length, 0, 'channels subscribed to PHX hear nothing of it');
  });

  after(async () => {
    await alerts?.stop();
    await webhooks?.close();
    await testBot?.close();
    await connector?.close();
    await sim?.close();
  });

  it('posts a card for each kind of change, with what changed and who changed it', async () => {
    const me = await jira('GET', '/rest/api/3/myself');
    const created = await jira('POST', '/rest/api/3/issue', {
      fields: { project: { key: 'PHX' }, issuetype: { name: 'Task' }, summary: 'Alert pipeline payments task', priority: { name: 'Medium' } },
    });
    const key: string = created.key;
    await transition(key, 'In Progress');
    await jira('PUT', `/rest/api/3/issue/${key}/assignee`, { accountId: me.accountId });
    await jira('POST', `/rest/api/3/issue/${key}/comment`, { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'On it' }] }] } });
    await jira('PUT', `/rest/api/3/issue/${key}`, { fields: { priority: { name: 'Highest' } } });
    await jira('PUT', `/rest/api/3/issue/${key}`, { fields: { summary: 'Alert pipeline payments task, renamed' } });
    await transition(key, 'Done');
    await jira('DELETE', `/rest/api/3/issue/${key}`);
    await jira('PUT', '/rest/api/3/issue/KAN-1', { fields: { summary: 'Another project' } });

    const expected: Array<[RegExp, RegExp]> = [
      [/Alice .* created/, /Alert pipeline payments task/],
      [/changed the status of/, /To Do → In Progress/],
      [/changed the assignee of/, /None → Alice/],
      [/commented on/, /On it/],
      [/changed the priority of/, /Medium → Highest/],
      [/updated/, /renamed/],
      [/resolved/, /In Progress → Done/],
      [/deleted/, new RegExp(key.replace('-', '\\\\-'))],
    ];
    await connector.waitForActivities(expected.length, { conversationId: ALL, timeoutMs: 20_000 });
    const texts = cards(ALL).map((card) => {
      assertValidCard(card);
      return cardText(card);
    });
    assert.equal(texts.length, expected.length, texts.join('\n---\n'));
    expected.forEach(([headline, detail], i) => {
      assert.match(texts[i], headline, texts[i]);
      assert.match(texts[i], detail, texts[i]);
    });
    assert.ok(
      texts.every((t) => !t.includes('KAN')),
      'the other project stays out',
    );
  });

  it("applies each subscription's JQL: locally when simple, through one Jira search per batch otherwise", async () => {
    // priority = Highest is local JQL: only the changes made once the issue was Highest.
    await connector.waitFor(() => connector.activities(HIGHEST).length >= 4, { timeoutMs: 10_000 });
    const headlines = cards(HIGHEST).map((card) => cardText(card).split('\n')[0]);
    assert.deepEqual(
      headlines.map((h) => h.replace(/^Alice \S+ /, '').replace(/ PHX\\-\d+$/, '')),
      ['changed the priority of', 'updated', 'resolved', 'deleted'],
    );
    // summary ~ is beyond the local subset: Jira decided, and it knows nothing of a deleted issue.
    assert.ok(remoteQueries.length > 0 && remoteQueries.every((q) => q.includes('summary ~')));
    await connector.waitFor(() => connector.activities(SPRINT).length >= 1, { timeoutMs: 10_000 });
    assert.ok(cards(SPRINT).every((card) => /payments/.test(cardText(card)) || /deleted/.test(cardText(card))));
  });
});
