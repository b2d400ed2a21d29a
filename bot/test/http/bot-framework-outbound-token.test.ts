import assert from 'node:assert/strict';
import type { EntraEmu } from '@jira-teams/entra-emu';
import { messageActivity, PERSONAL_CHAT_ID, postActivity, TEAMS_USER, type BotConnector } from '../../../dev/bot-connector-emu/src';
import { AppCredentials } from 'botframework-connector';
import { readConfig } from '../../src/config';
import { startBotTokenAuthority, type BotTokenAuthority } from '../support/bot-token-authority';
import { startTestBot, type TestBot } from '../support/start-test-bot';

const BOT_ID = '00000000-0000-0000-0000-0000000000b0';
const OTHER_BOT_ID = '00000000-0000-0000-0000-0000000000b1';
// Made up here for the Entra emulation's two app registrations; never logged.
const SECRET = `bot-secret-${Math.random().toString(36).slice(2)}`;
const OTHER_SECRET = `other-secret-${Math.random().toString(36).slice(2)}`;

/**
 * The other direction of the Bot Framework's tokens: every call the bot makes to the Bot Connector
 * (replies, proactive sends) carries an Entra app token that botbuilder gets with MSAL's client-credentials
 * grant. Here the Entra emulation plays that authority over HTTPS (MSAL takes no other), with a
 * self-signed certificate this file alone trusts, and the Bot Connector emulation verifies each call's
 * token (signature against the Entra emulation's keys, iss, aud https://api.botframework.com, appid, exp):
 * a send goes through only with this bot's valid token.
 */
describe("Bot Framework tokens on the bot's calls to the Bot Connector", function () {
  let authority: BotTokenAuthority;
  let emu: EntraEmu;
  let connector: BotConnector;
  const bots: TestBot[] = [];

  before(async () => {
    // The emulation's certificate is trusted in this process only while the file runs.
    authority = await startBotTokenAuthority({ botApps: { [BOT_ID]: SECRET, [OTHER_BOT_ID]: OTHER_SECRET }, appId: BOT_ID });
    ({ emu, connector } = authority);
  });
  after(async () => {
    for (const bot of bots) await bot.close();
    await authority?.close();
  });
  beforeEach(() => {
    connector.clear();
    // botbuilder keeps tokens in one process-wide map keyed by app id; every bot here shares this process,
    // where each deployment has its own. Each test's bot gets its own token.
    (AppCredentials as unknown as { cache: Map<string, unknown> }).cache.clear();
  });

  async function startBot(appId: string, password: string): Promise<TestBot> {
    const bot = await startTestBot({
      BOT_ID: appId,
      BOT_PASSWORD: password,
      BOT_OPENID_METADATA_URL: emu.botOpenIdMetadataUrl,
      BOT_LOGIN_URL: emu.botLoginUrl,
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    });
    bots.push(bot);
    return bot;
  }

  /**
   * A proactive message, as the alert delivery sends one: outside any turn, through the adapter.
   * Resolves with the send's own error, if it failed.
   */
  async function sendProactively(bot: TestBot, appId: string, text: string): Promise<(Error & { statusCode?: number }) | undefined> {
    let failure: Error | undefined;
    await bot.bot.teams.adapter.continueConversationAsync(
      appId,
      { serviceUrl: connector.url, channelId: 'msteams', conversation: { id: PERSONAL_CHAT_ID, isGroup: false, conversationType: 'personal' } as never },
      async (context) => {
        await context.sendActivity(text).catch((error: Error) => {
          failure = error;
        });
      },
    );
    return failure;
  }

  it('replies to a message through the Bot Connector with its own valid token', async () => {
    const bot = await startBot(BOT_ID, SECRET);
    const activity = messageActivity({ text: 'help', serviceUrl: connector.url, conversationType: 'personal', overrides: { recipient: { id: `28:${BOT_ID}`, name: 'Jira' } } });
    const token = await emu.issueBotToken({ appId: BOT_ID, serviceUrl: connector.url });
    const response = await postActivity(bot.messagesUrl, activity, { token });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const [reply] = await connector.waitForActivities(1);
    assert.equal(reply.status, 201, `the connector accepted the reply (${reply.refusal ?? 'no refusal'})`);
    assert.equal(reply.kind, 'replyToActivity');
    assert.doesNotMatch(bot.logs.raw(), new RegExp(SECRET));
    assert.equal(reply.headers.authorization, 'Bearer <redacted>', 'the token is recorded redacted');
  });

  it('sends proactively with its valid token', async () => {
    const bot = bots[0] ?? (await startBot(BOT_ID, SECRET));
    assert.equal(await sendProactively(bot, BOT_ID, 'proactive hello'), undefined);
    const [sent] = connector.activities();
    assert.equal(sent?.body?.text, 'proactive hello');
    assert.equal(sent.status, 201, sent.refusal);
  });

  it('gets no token with a wrong app password, so nothing it sends reaches the connector', async () => {
    const bot = await startBot(BOT_ID, 'not-the-secret');
    const failure = await sendProactively(bot, BOT_ID, 'never delivered');
    assert.ok(failure, 'the send failed');
    assert.match(failure.message, /invalid_client|7000215/, failure.message);
    assert.doesNotMatch(failure.message, /not-the-secret/, 'the secret is not in the error');
    assert.equal(connector.calls.length, 0, 'the send failed before any call to the connector');
    assert.doesNotMatch(bot.logs.raw(), /not-the-secret/);
  });

  it('is refused (401) with a valid token issued to another app', async () => {
    const other = await startBot(OTHER_BOT_ID, OTHER_SECRET);
    const failure = await sendProactively(other, OTHER_BOT_ID, 'not from this bot');
    assert.equal(failure?.statusCode, 401, failure?.message);
    assert.equal(connector.calls.length, 1);
    assert.equal(connector.calls[0].status, 401);
    assert.equal(connector.calls[0].refusal, 'the token was issued to another app');
    assert.equal(connector.activities().length, 0);
    assert.doesNotMatch(other.logs.raw(), new RegExp(OTHER_SECRET));
  });

  it('refuses a call with no token, or with an Entra token of the wrong issuer and audience', async () => {
    const url = `${connector.url}v3/conversations/${encodeURIComponent(PERSONAL_CHAT_ID)}/activities`;
    const body = JSON.stringify({ type: 'message', text: 'x', from: { id: `28:${BOT_ID}` }, recipient: TEAMS_USER });
    const ssoToken = await emu.issueToken({ tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', aadObjectId: BOT_ID, name: 'Not the connector', audience: BOT_ID });
    for (const authorization of [undefined, `Bearer ${ssoToken}`, 'Bearer not.a.jwt']) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body });
      assert.equal(response.status, 401);
      await response.arrayBuffer();
    }
    assert.deepEqual(
      connector.calls.map((c) => c.refusal?.replace(/ \(.*\)$/, '')),
      ['no bearer token', 'the token is not valid', 'the token is not valid'],
    );
    assert.equal(connector.activities().length, 0);
  });
});

describe('BOT_LOGIN_URL (tests only)', () => {
  const base = { BOT_ID, BOT_PASSWORD: 'p' };

  it('takes only a loopback https authority, so no deployment can get its token elsewhere', () => {
    for (const bad of ['https://login.example.com/botframework.com', 'http://127.0.0.1:3981/botframework.com', 'https://127.0.0.1.example.com/x']) {
      assert.throws(() => readConfig({ ...base, BOT_LOGIN_URL: bad }), /BOT_LOGIN_URL: test-only/, bad);
    }
    assert.equal(readConfig({ ...base, BOT_LOGIN_URL: 'https://127.0.0.1:3981/botframework.com' }).bot.loginUrl, 'https://127.0.0.1:3981/botframework.com');
  });

  it('is refused without BOT_ID or for another app type, and absent by default', () => {
    assert.throws(() => readConfig({ BOT_LOGIN_URL: 'https://127.0.0.1:3981/botframework.com' }), /BOT_LOGIN_URL: only with BOT_ID/);
    assert.throws(
      () => readConfig({ ...base, BOT_TYPE: 'SingleTenant', BOT_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47', BOT_LOGIN_URL: 'https://127.0.0.1:1/x' }),
      /BOT_LOGIN_URL: only with BOT_ID/,
    );
    assert.equal(readConfig(base).bot.loginUrl, undefined);
  });
});
