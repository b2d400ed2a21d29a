import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src';
import { DEFAULT_TENANT_ID, messageActivity, postActivity, startBotConnector, type Account, type BotConnector } from '../../../dev/bot-connector-emu/src';
import { connectionOwner } from '../../src/connections/connection';
import { SENT_TABLE, type OutboxEntry } from '../../src/alerts/alert-outbox';
import { ADMIN_WEBHOOK_PATH } from '../../src/http/webhook-routes';
import { siteIdOf } from '../../src/wiring/site-directory';
import { cardText } from '../support/validate-card';
import { CONNECTION_KINDS, connectAs, oauthAppEnv } from '../support/connect-as';
import { startTestBot, type TestBot } from '../support/start-test-bot';

const SECRET = 'notify-visibility-shared-secret';
/** The demo site: Dave works in PHX and KAN but has no access to SUP; Erin works in SUP. */
const DAVE: Account = { id: '29:dave-developer', name: 'Dave Developer', aadObjectId: '0d0d0d0d-0000-4000-8000-0000000000d4' };
const ERIN: Account = { id: '29:erin-tester', name: 'Erin Tester', aadObjectId: '0e0e0e0e-0000-4000-8000-0000000000e5' };
const DAVE_ACCOUNT = '712020:00000000-0000-4000-8000-000000000004';
const ERIN_ACCOUNT = '712020:00000000-0000-4000-8000-000000000005';
const DAVE_CHAT = 'a:1dave-personal-chat';
const ERIN_CHAT = 'a:1erin-personal-chat';
const SECRET_TEXT = 'Customer Zebulon refund ledger 7731';

/**
 * Issue #15 item 3, through the assembled service: a personal notification (here a mention in a
 * comment) reaches only people whose own Jira connection may browse the issue, whether that
 * connection is an API token or OAuth 2.0 (3LO) with the scopes the app requests.
 */
for (const via of CONNECTION_KINDS)
  describe(`security: personal notifications only to people who may see the issue (${via} connections)`, () => {
    let sim: JiraSim;
    let connector: BotConnector;
    let testBot: TestBot;

    const jira = async (user: string, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${sim.url}${path}`, {
        method,
        headers: { authorization: sim.basicAuth(`${user}@example.com`), 'content-type': 'application/json', accept: 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
      return response.status === 204 ? undefined : response.json();
    };
    const everythingSentTo = async (conversationId: string) => {
      const rows = (await testBot.bot.alerts.alerts.outbox.pending(conversationId)).map((row) => row.entry);
      rows.push(...(await testBot.bot.store.list<OutboxEntry>(SENT_TABLE)).map((item) => item.value).filter((entry) => entry.target.conversationId === conversationId));
      return rows;
    };

    before(async () => {
      sim = await startJiraSim({ port: 0, webhookRetry: { attempts: 1, baseDelayMs: 10 } });
      connector = await startBotConnector();
      testBot = await startTestBot({ JIRA_BASE_URL: sim.url, JIRA_WEBHOOK_SECRET: SECRET, ALERT_POLL_INTERVAL_SECONDS: '0', ...(via === 'oauth' ? oauthAppEnv(sim) : {}) });
      for (const [who, user, chat] of [
        [DAVE, 'dave', DAVE_CHAT],
        [ERIN, 'erin', ERIN_CHAT],
      ] as const) {
        await connectAs({ connections: testBot.bot.connections, sim, owner: connectionOwner(DEFAULT_TENANT_ID, who), email: `${user}@example.com`, via, conversationId: chat });
        // Each has talked to the bot in their personal chat, so it could notify them there.
        await postActivity(testBot.messagesUrl, messageActivity({ serviceUrl: connector.url, conversationType: 'personal', conversationId: chat, from: who, text: 'status' }));
      }
      await jira('alice', 'POST', '/rest/webhooks/1.0/webhook', {
        name: 'Jira for Teams',
        url: `${testBot.bot.url}${ADMIN_WEBHOOK_PATH.replace(':siteId', siteIdOf(sim.url))}`,
        events: ['jira:issue_created', 'jira:issue_updated', 'comment_created'],
        secret: SECRET,
      });
    });
    after(async () => {
      await testBot?.close();
      await connector?.close();
      await sim?.close();
    });

    it('sends a mention on a SUP issue to Erin, who may browse SUP, and nothing at all to Dave, who may not', async () => {
      // Dave really cannot see it: Jira answers him 404.
      const asDave = await fetch(`${sim.url}/rest/api/3/issue/SUP-1`, { headers: { authorization: sim.basicAuth('dave@example.com') } });
      assert.equal(asDave.status, 404);
      connector.clear();

      const mention = (id: string, text: string) => ({ type: 'mention', attrs: { id, text } });
      await jira('alice', 'POST', '/rest/api/3/issue/SUP-1/comment', {
        body: {
          type: 'doc',
          version: 1,
          content: [
            {
              type: 'paragraph',
              content: [mention(DAVE_ACCOUNT, '@Dave'), { type: 'text', text: ' ' }, mention(ERIN_ACCOUNT, '@Erin'), { type: 'text', text: ` ${SECRET_TEXT}` }],
            },
          ],
        },
      });

      await connector.waitFor(() => connector.activities(ERIN_CHAT).length > 0, { timeoutMs: 15_000 });
      const erinSaw = connector
        .activities(ERIN_CHAT)
        .map((call) => JSON.stringify(call.body))
        .join('\n');
      assert.match(erinSaw, /SUP-1/);
      assert.match(erinSaw, /Zebulon/);
      assert.match(cardText(connector.activities(ERIN_CHAT)[0].body.attachments[0].content), /Zebulon/);

      // The router queues every target of an event in one step: Erin's card means Dave's answer is final.
      assert.deepEqual(await everythingSentTo(DAVE_CHAT), [], 'nothing about SUP-1 was queued for Dave');
      assert.deepEqual(connector.activities(DAVE_CHAT), [], 'Dave received nothing');
      const logs = testBot.logs.raw();
      assert.doesNotMatch(logs, /Zebulon/, 'the comment text is never logged');
      assert.doesNotMatch(logs, new RegExp(DAVE_ACCOUNT), 'nothing about Dave and the issue is logged');
    });
  });
