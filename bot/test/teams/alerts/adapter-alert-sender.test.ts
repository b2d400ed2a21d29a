import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { AppCredentials } from 'botframework-connector';
import { TurnContext, type Activity } from 'botbuilder';
import { CHANNEL_ID, installationUpdateAdd, startBotConnector, type BotConnector } from '../../../../dev/bot-connector-emu/src';
import { classifySendError } from '../../../src/alerts/classify-send-error';
import type { AdaptiveCard } from '../../../src/cards/adaptive-card';
import { readConfig } from '../../../src/config';
import { conversationReferences } from '../../../src/conversations/conversation-references';
import { openSqliteStore } from '../../../src/store/sqlite-store';
import type { Store } from '../../../src/store/store';
import { adapterAlertSender } from '../../../src/teams/alerts/adapter-alert-sender';
import { createAdapter } from '../../../src/teams/create-teams-app';
import { startBotTokenAuthority, type BotTokenAuthority } from '../../support/bot-token-authority';

const BOT_ID = '00000000-0000-0000-0000-0000000000c2';
// Made up here for the Entra emulation's app registration; never logged.
const SECRET = `bot-secret-${Math.random().toString(36).slice(2)}`;
const TARGET = { tenantId: 'tenant-sender', conversationId: CHANNEL_ID };

/** botbuilder's process-wide token cache (AppCredentials.cache), keyed by app id and scope. */
const tokenCache = () => (AppCredentials as unknown as { cache: Map<string, { accessToken: string; expiresOn: Date }> }).cache;
const card = (text: string): AdaptiveCard => ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text }] }) as unknown as AdaptiveCard;

/**
 * The alert sender sends through botbuilder's connector client without a proactive turn per alert.
 * Against the Bot Connector emulation checking every call's token (Entra emulation over HTTPS, as
 * in reuse-connector-clients.test.ts): what reaches Teams is the documented call with the stored
 * reference's addressing and a valid token, and failures come back as the connector's status.
 */
describe('alert sender: botbuilder connector client, no turn per send', () => {
  let authority: BotTokenAuthority;
  let connector: BotConnector;
  let store: Store;

  before(async () => {
    authority = await startBotTokenAuthority({ botApps: { [BOT_ID]: SECRET }, appId: BOT_ID });
    connector = authority.connector;
  });
  after(async () => authority?.close());
  beforeEach(() => {
    connector.clear();
    tokenCache().clear();
    store = openSqliteStore(':memory:');
  });
  afterEach(async () => store.close());

  async function sender() {
    const adapter = createAdapter(
      readConfig({
        BOT_ID,
        BOT_PASSWORD: SECRET,
        BOT_LOGIN_URL: authority.emu.botLoginUrl,
        BOT_OPENID_METADATA_URL: authority.emu.botOpenIdMetadataUrl,
        TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      }).bot,
    );
    const conversations = conversationReferences(store);
    // The reference the install feature stores for the channel.
    const install = installationUpdateAdd({ serviceUrl: connector.url, conversationType: 'channel', ...TARGET });
    const reference = TurnContext.getConversationReference(install as unknown as Activity);
    await conversations.save({ ...TARGET, conversationType: 'channel', serviceUrl: connector.url, reference, updatedAt: new Date().toISOString() });
    return { send: adapterAlertSender({ adapter, botAppId: BOT_ID, conversations }), reference, adapter, conversations };
  }

  it('posts, replies in the card thread and updates the card with a valid token, addressed as the stored reference says', async () => {
    const { send, reference } = await sender();
    const posted = await send.post(TARGET, card('posted'));
    const replied = await send.reply(TARGET, posted, card('replied'));
    await send.update(TARGET, posted, card('updated'));

    // Time passes: botbuilder's cached token expires. The kept client must fetch a new one.
    const [[key]] = [...tokenCache().entries()];
    tokenCache().set(key, { accessToken: 'expired.bot.token', expiresOn: new Date(0) });
    const later = await send.post(TARGET, card('after expiry'));
    assert.notEqual(tokenCache().get(key)?.accessToken, 'expired.bot.token', 'a new token was fetched');

    const thread = `${CHANNEL_ID};messageid=${posted}`;
    assert.deepEqual(
      connector.calls.map((call) => ({ kind: call.kind, conversationId: call.conversationId, activityId: call.activityId, status: call.status, refusal: call.refusal })),
      [
        { kind: 'sendToConversation', conversationId: CHANNEL_ID, activityId: undefined, status: 201, refusal: undefined },
        { kind: 'sendToConversation', conversationId: thread, activityId: undefined, status: 201, refusal: undefined },
        { kind: 'updateActivity', conversationId: CHANNEL_ID, activityId: posted, status: 200, refusal: undefined },
        { kind: 'sendToConversation', conversationId: CHANNEL_ID, activityId: undefined, status: 201, refusal: undefined },
      ],
    );
    assert.deepEqual(
      [posted, replied, later].map((id) => typeof id === 'string' && id.length > 0),
      [true, true, true],
      "each send resolves with Teams' activity id",
    );
    assert.notEqual(replied, posted);

    // The activity as a proactive turn would have addressed it: from the bot, to the user, in the conversation.
    const body = connector.calls[1].body as Activity;
    assert.equal(body.type, 'message');
    assert.deepEqual(body.from, reference.bot);
    assert.deepEqual(body.recipient, reference.user);
    assert.equal(body.conversation.id, thread);
    assert.equal(body.channelId, 'msteams');
    assert.equal(body.replyToId, undefined);
    assert.deepEqual(body.attachments, [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card('replied') }]);
    assert.deepEqual((connector.message(posted) as Activity).attachments?.[0].content, card('updated'), 'the card was updated in place');
  });

  it("sends the user agent and accept header of botbuilder's own client, and retries a throttled send after Retry-After as it does", async () => {
    const { send, reference, adapter } = await sender();
    await adapter.continueConversationAsync(BOT_ID, reference, async (context) => {
      await context.sendActivity('from a proactive turn');
    });
    connector.failNext(1, 429, { conversationId: CHANNEL_ID, retryAfter: 0 });
    await send.post(TARGET, card('after one 429'));
    const [turn, throttled, alert] = connector.calls;
    assert.deepEqual([throttled.status, alert.status], [429, 201], 'the 429 was retried');
    for (const header of ['user-agent', 'accept']) assert.equal(alert.headers[header], turn.headers[header], header);
    assert.match(
      alert.headers['user-agent'],
      /^botframework-connector\/4\.0\.0 Microsoft-BotFramework\/3\.1 botframework-connector\/[\d.]+ {2}teamsai-js\/[\d.]+ core-rest-pipeline/,
    );
  });

  it('reads the conversation reference once per burst, and again after a reinstall or a failed send', async () => {
    const { send, conversations } = await sender();
    const reads: string[] = [];
    const get = store.get.bind(store);
    store.get = async (key) => {
      reads.push(key.table);
      return get(key);
    };
    await send.post(TARGET, card('one'));
    await send.post(TARGET, card('two'));
    assert.deepEqual(reads, ['conversations'], 'one read for two sends');

    // A reinstall stores a reference with another service URL: the next send goes there.
    const moved = await startBotConnector();
    try {
      const record = await conversations.get(TARGET.tenantId, TARGET.conversationId);
      assert.ok(record);
      await conversations.save({ ...record, serviceUrl: moved.url, reference: { ...record.reference, serviceUrl: moved.url } });
      await send.post(TARGET, card('after the reinstall'));
      assert.deepEqual(
        moved.calls.map((call) => call.kind),
        ['sendToConversation'],
        'sent to the new service URL',
      );
    } finally {
      await moved.close();
    }

    // The conversation is gone (Teams answers 404): the next send reads the store again.
    const record = await conversations.get(TARGET.tenantId, TARGET.conversationId);
    assert.ok(record);
    await conversations.save({ ...record, serviceUrl: connector.url, reference: { ...record.reference, serviceUrl: connector.url } });
    await send.post(TARGET, card('back'));
    reads.length = 0;
    connector.failNext(1, 404, { conversationId: CHANNEL_ID });
    await assert.rejects(send.post(TARGET, card('gone')));
    await send.post(TARGET, card('read again'));
    await send.post(TARGET, card('kept again'));
    assert.deepEqual(reads, ['conversations'], 'the failed send forgot the kept reference: read again once after it');
  });

  it("rejects with the connector's status (throttled, deleted card) and a gone conversation as unknown, without the token in the error", async () => {
    const { send } = await sender();
    // Teams' 429 without Retry-After, more times than botbuilder's pipeline retries.
    connector.failNext(10, 429, { conversationId: CHANNEL_ID });
    const throttled = await send.post(TARGET, card('throttled')).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.deepEqual(classifySendError(throttled), { code: 'TEAMS_429', status: 429, retry: true });
    connector.clear();

    const deleted = await send.update(TARGET, '1700000000000', card('gone')).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.deepEqual(classifySendError(deleted), { code: 'TEAMS_404', status: 404, retry: false });
    for (const error of [throttled, deleted]) {
      const shown = `${inspect(error, { depth: 8 })} ${JSON.stringify(error)}`;
      assert.doesNotMatch(shown, /Bearer|eyJ/, 'no token in what a log would show');
    }

    const gone = await send.post({ tenantId: 'tenant-sender', conversationId: '19:removed@thread.tacv2' }, card('nowhere')).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.deepEqual(classifySendError(gone), { code: 'ALERT_CONVERSATION_UNKNOWN', retry: false });
  });
});
