import assert from 'node:assert/strict';
import {
  CHANNEL_ID,
  GROUP_CHAT_ID,
  LEGACY_CHANNEL_ID,
  messageActivity,
  postActivity,
  startBotConnector,
  type BotConnector,
  type ConversationType,
} from '../../../dev/bot-connector-emu/src';
import { assertValidCard, cardText } from '../support/validate-card';
import { startTestBot, type TestBot } from '../support/start-test-bot';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

describe('help over HTTP', () => {
  let connector: BotConnector;
  let testBot: TestBot;

  before(async () => {
    connector = await startBotConnector();
    testBot = await startTestBot();
  });
  after(async () => {
    await testBot?.close();
    await connector?.close();
  });
  beforeEach(() => connector.clear());

  const cases: Array<{ type: ConversationType; conversationId?: string; hint: RegExp }> = [
    { type: 'personal', hint: /Type a command/ },
    { type: 'groupChat', conversationId: GROUP_CHAT_ID, hint: /@Jira help/ },
    { type: 'channel', conversationId: CHANNEL_ID, hint: /@Jira help/ },
    { type: 'channel', conversationId: LEGACY_CHANNEL_ID, hint: /@Jira help/ },
  ];

  for (const { type, conversationId, hint } of cases) {
    it(`answers help with the command card in ${type}${conversationId?.endsWith('skype') ? ' (legacy id)' : ''}`, async () => {
      const activity = messageActivity({ serviceUrl: connector.url, conversationType: type, conversationId, text: 'help' });
      const response = await postActivity(testBot.messagesUrl, activity);
      assert.equal(response.status, 200);

      const [reply] = await connector.waitForActivities(1, { conversationId: activity.conversation.id });
      assert.equal(reply.kind, 'replyToActivity');
      assert.equal(reply.activityId, activity.id);
      const attachment = reply.body.attachments?.[0];
      assert.equal(attachment?.contentType, ADAPTIVE_CARD);
      assertValidCard(attachment.content);
      const text = cardText(attachment.content);
      assert.match(text, /\*\*help\*\*/);
      assert.match(text, hint);
    });
  }

  it('understands help with surrounding spaces and any case', async () => {
    const activity = messageActivity({ serviceUrl: connector.url, conversationType: 'personal', text: '  HeLp \n' });
    await postActivity(testBot.messagesUrl, activity);
    const [reply] = await connector.waitForActivities(1);
    assert.equal(reply.body.attachments?.[0]?.contentType, ADAPTIVE_CARD);
  });

  it('answers an unknown command with a pointer to help, and logs none of its text', async () => {
    const secret = 'please file SECRET-PLAN for ana@example.com';
    const activity = messageActivity({ serviceUrl: connector.url, conversationType: 'channel', conversationId: CHANNEL_ID, text: secret });
    await postActivity(testBot.messagesUrl, activity);
    const [reply] = await connector.waitForActivities(1);
    assert.match(reply.body.text, /don't know that command.*help/);
    assert.ok(!testBot.logs.raw().includes('SECRET-PLAN'), 'message text must not reach the logs');
    assert.ok(!testBot.logs.raw().includes('ana@example.com'), 'emails must not reach the logs');
  });

  it('answers a malformed activity with 400 and sends nothing', async () => {
    const response = await fetch(testBot.messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type": "message", "text": ',
    });
    assert.equal(response.status, 400);
    assert.equal(connector.activities().length, 0);
  });
});

describe('Bot Framework authentication', () => {
  let connector: BotConnector;
  let testBot: TestBot;

  before(async () => {
    connector = await startBotConnector();
    testBot = await startTestBot({
      BOT_ID: '00000000-0000-0000-0000-0000000000b0',
      BOT_PASSWORD: 'not-used-in-this-test',
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    });
  });
  after(async () => {
    await testBot?.close();
    await connector?.close();
  });

  it('refuses an activity without a token when BOT_ID is set, and sends nothing', async () => {
    const activity = messageActivity({ serviceUrl: connector.url, conversationType: 'personal', text: 'help' });
    const response = await postActivity(testBot.messagesUrl, activity);
    assert.equal(response.status, 401);
    assert.equal(connector.activities().length, 0);
  });
});
