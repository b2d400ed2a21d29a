import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src';
import {
  CHANNEL_ID,
  DEFAULT_TENANT_ID,
  GROUP_CHAT_ID,
  messageActivity,
  postActivity,
  startBotConnector,
  type Account,
  type BotConnector,
  type ConversationType,
} from '../../../dev/bot-connector-emu/src';
import { connectionOwner } from '../../src/connections/connection';
import { ConnectionErrorCode } from '../../src/connections/connection-error';
import { startTestBot, type TestBot } from '../support/start-test-bot';

const ANA: Account = { id: '29:ana', name: 'Ana', aadObjectId: 'aaaaaaaa-0000-4000-8000-00000000000a' };
const BEN: Account = { id: '29:ben', name: 'Ben', aadObjectId: 'bbbbbbbb-0000-4000-8000-00000000000b' };

/**
 * Connections are per user: whatever conversation two people share, each turn acts with the
 * connection of the person who sent it, or with none.
 */
describe('connection isolation between users', () => {
  let sim: JiraSim;
  let connector: BotConnector;
  let testBot: TestBot;

  before(async () => {
    sim = await startJiraSim({ port: 0 });
    connector = await startBotConnector();
    testBot = await startTestBot({ JIRA_BASE_URL: sim.url });
    await testBot.bot.connections.connectWithApiToken(connectionOwner(DEFAULT_TENANT_ID, ANA), {
      siteUrl: sim.url,
      email: 'alice@example.com',
      apiToken: 'sim-token-alice',
    });
  });
  after(async () => {
    await testBot?.close();
    await connector?.close();
    await sim?.close();
  });
  beforeEach(() => connector.clear());

  async function statusReply(from: Account, conversationType: ConversationType, conversationId?: string): Promise<string> {
    const activity = messageActivity({ serviceUrl: connector.url, conversationType, conversationId, from, text: 'status' });
    assert.equal((await postActivity(testBot.messagesUrl, activity)).status, 200);
    const [reply] = await connector.waitForActivities(1, { conversationId: activity.conversation.id });
    connector.clear();
    return String(reply.body.text ?? '');
  }

  for (const [where, type, conversationId] of [
    ['personal chat', 'personal', undefined],
    ['channel', 'channel', CHANNEL_ID],
    ['group chat', 'groupChat', GROUP_CHAT_ID],
  ] as const) {
    it(`uses only the sender's own connection in a ${where}`, async () => {
      assert.match(await statusReply(ANA, type, conversationId), /Connected to .* as \*\*Alice Admin\*\*/);
      const ben = await statusReply(BEN, type, conversationId);
      assert.doesNotMatch(ben, /Alice/);
      assert.match(ben, /not connected/i);
    });
  }

  it('gives another user no Jira client, even with the first user\'s conversation', async () => {
    await assert.rejects(testBot.bot.connections.jiraFor(connectionOwner(DEFAULT_TENANT_ID, BEN)), { code: ConnectionErrorCode.NotConnected });
    const { connection } = await testBot.bot.connections.jiraFor(connectionOwner(DEFAULT_TENANT_ID, ANA));
    assert.equal(connection.displayName, 'Alice Admin');
  });

  it('keeps a user of another tenant with the same Teams id apart', async () => {
    await assert.rejects(testBot.bot.connections.jiraFor({ tenantId: 'another-tenant', userId: ANA.aadObjectId! }), {
      code: ConnectionErrorCode.NotConnected,
    });
  });
});
