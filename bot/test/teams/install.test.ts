import assert from 'node:assert/strict';
import {
  CHANNEL_ID,
  DEFAULT_TENANT_ID,
  PERSONAL_CHAT_ID,
  TEAM_ID,
  conversationUpdateBotAdded,
  installationUpdateAdd,
  messageActivity,
  postActivity,
  startBotConnector,
  type BotConnector,
} from '../../../dev/bot-connector-emu/src';
import { conversationReferences, type ConversationRecord } from '../../src/conversations/conversation-references';
import { assertValidCard, cardText } from '../support/validate-card';
import { startTestBot, type TestBot } from '../support/start-test-bot';

describe('installing the app', () => {
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

  const welcomes = (conversationId: string) =>
    connector.activities(conversationId).filter((call) => cardText(call.body.attachments?.[0]?.content ?? {}).includes('Welcome to Jira'));

  /** Waits until the bot answered every posted activity (each POST returns after its turn). */
  const post = async (activity: unknown) => {
    const response = await postActivity(testBot.messagesUrl, activity);
    assert.ok(response.status < 300, `bot answered ${response.status}`);
  };

  it('welcomes a team once, however many install events arrive, and remembers the conversation', async () => {
    const scope = { serviceUrl: connector.url, conversationType: 'channel' as const, conversationId: CHANNEL_ID, teamId: TEAM_ID };
    await Promise.all([post(conversationUpdateBotAdded(scope)), post(installationUpdateAdd(scope))]);
    await post(installationUpdateAdd(scope));
    await post(conversationUpdateBotAdded(scope));

    const sent = welcomes(CHANNEL_ID);
    assert.equal(sent.length, 1, 'exactly one welcome card');
    assertValidCard(sent[0].body.attachments[0].content);
    assert.match(cardText(sent[0].body.attachments[0].content), /@Jira help/);

    const stored = await conversationReferences(testBot.bot.store).get(DEFAULT_TENANT_ID, CHANNEL_ID);
    assert.ok(stored, 'conversation reference stored');
    assert.equal(stored.conversationType, 'channel');
    assert.equal(stored.serviceUrl.replace(/\/$/, ''), connector.url.replace(/\/$/, ''));
    assert.equal(stored.teamId, TEAM_ID);
    assert.equal((stored.reference as { conversation: { id: string } }).conversation.id, CHANNEL_ID);
  });

  it('welcomes a personal chat once and tells the user to type help', async () => {
    const scope = { serviceUrl: connector.url, conversationType: 'personal' as const, conversationId: PERSONAL_CHAT_ID };
    await post(conversationUpdateBotAdded(scope));
    await post(installationUpdateAdd(scope));
    const sent = welcomes(PERSONAL_CHAT_ID);
    assert.equal(sent.length, 1);
    assert.match(cardText(sent[0].body.attachments[0].content), /Type \*\*help\*\*/);
  });

  it('does not welcome when someone else joins a team', async () => {
    const scope = { serviceUrl: connector.url, conversationType: 'channel' as const, conversationId: '19:other@thread.tacv2' };
    await post(conversationUpdateBotAdded({ ...scope, overrides: { membersAdded: [{ id: '29:someone-else' }] } }));
    assert.equal(connector.activities().length, 0);
  });

  it('forgets the conversation on uninstall and welcomes again on reinstall', async () => {
    const conversationId = '19:reinstall@thread.tacv2';
    const scope = { serviceUrl: connector.url, conversationType: 'channel' as const, conversationId };
    await post(installationUpdateAdd(scope));
    await post(installationUpdateAdd({ ...scope, overrides: { action: 'remove' } }));
    const refs = conversationReferences(testBot.bot.store);
    assert.equal(await refs.get(DEFAULT_TENANT_ID, conversationId), undefined);
    await post(installationUpdateAdd(scope));
    assert.equal(welcomes(conversationId).length, 2);
    const stored: ConversationRecord | undefined = await refs.get(DEFAULT_TENANT_ID, conversationId);
    assert.ok(stored);
  });

  it('remembers a conversation from its first message, even without an install event', async () => {
    const conversationId = 'a:never-installed-personal-chat';
    await post(messageActivity({ serviceUrl: connector.url, conversationType: 'personal', conversationId, text: 'help' }));
    const stored = await conversationReferences(testBot.bot.store).get(DEFAULT_TENANT_ID, conversationId);
    assert.equal(stored?.conversationType, 'personal');
  });

  it('keeps answering messages after install', async () => {
    const activity = messageActivity({ serviceUrl: connector.url, conversationType: 'personal', text: 'help' });
    await post(activity);
    assert.equal((await connector.waitForActivities(1))[0].body.attachments[0].contentType, 'application/vnd.microsoft.card.adaptive');
  });
});
