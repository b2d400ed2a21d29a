import assert from 'node:assert/strict';
import type { BotTokenRequest } from '@jira-teams/entra-emu';
import { invokeActivity, postActivity } from '../../../dev/bot-connector-emu/src';
import { readConfig } from '../../src/config';
import { SIGNED_BOT_ID as BOT_ID, startSignedBot, type SignedBot } from '../support/start-signed-bot';

/**
 * The Bot Connector signs every activity it sends to the bot; the bot must answer only those. The
 * Entra emulation plays the Bot Connector's OpenID issuer (metadata + keys), and the bot is pointed at
 * it through the test-only BOT_OPENID_METADATA_URL; everything else is the production path.
 */
describe('Bot Framework tokens on /api/messages', () => {
  let signed: SignedBot;

  before(async () => {
    signed = await startSignedBot({ BOT_PASSWORD: 'not-used: invokes are answered in the HTTP response' });
  });
  after(() => signed?.close());

  /** A search from the compose box: answered in the invoke response, so no reply goes through the connector. */
  function search() {
    return invokeActivity(
      'composeExtension/query',
      { commandId: 'searchIssues', parameters: [{ name: 'searchQuery', value: 'login' }], queryOptions: { skip: 0, count: 25 } },
      {
        serviceUrl: signed.connector.url,
        conversationType: 'personal',
      },
    );
  }

  async function send(token: Partial<BotTokenRequest> | undefined) {
    const activity = search();
    const header = token && (await signed.botFrameworkToken(token));
    return postActivity(signed.testBot.messagesUrl, activity, header ? { token: header } : {});
  }

  it('answers an activity carrying a valid Bot Connector token', async () => {
    const response = await send({});
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.ok(response.body?.composeExtension, 'the search is answered');
  });

  const refused: Array<[string, Partial<BotTokenRequest> | undefined]> = [
    ['no token', undefined],
    ['a forged token (signed with a key the issuer does not publish)', { signedBy: 'unpublished-key' }],
    ['an expired token (beyond the five minutes of clock skew allowed)', { expiresInSeconds: -6 * 60 }],
    ['a token not valid yet (beyond the clock skew)', { notBeforeInSeconds: 6 * 60, expiresInSeconds: 3600 }],
    ['a token from another issuer', { issuer: 'https://sts.example.com' }],
    ['a token for another bot', { appId: '00000000-0000-0000-0000-0000000000ff' }],
    ['a token for another service URL', { serviceUrl: 'https://smba.trafficmanager.net/evil/' }],
  ];
  for (const [what, token] of refused) {
    it(`answers 401 to ${what}, and runs nothing`, async () => {
      const response = await send(token);
      assert.equal(response.status, 401, JSON.stringify(response.body));
      assert.equal(response.body?.composeExtension, undefined);
    });
  }
});

describe('BOT_OPENID_METADATA_URL (tests only)', () => {
  const base = { BOT_ID, BOT_PASSWORD: 'p' };

  it('is refused for any host but this machine, so no deployment can trust another issuer', () => {
    assert.throws(() => readConfig({ ...base, BOT_OPENID_METADATA_URL: 'https://login.example.com/v1/.well-known/openidconfiguration' }), /BOT_OPENID_METADATA_URL: test-only/);
    assert.throws(() => readConfig({ ...base, BOT_OPENID_METADATA_URL: 'http://127.0.0.1.example.com/x' }), /BOT_OPENID_METADATA_URL: test-only/);
    assert.equal(readConfig({ ...base, BOT_OPENID_METADATA_URL: 'http://127.0.0.1:3981/m' }).bot.openIdMetadataUrl, 'http://127.0.0.1:3981/m');
  });

  it('is refused without BOT_ID, where nothing is authenticated, and absent by default', () => {
    assert.throws(() => readConfig({ BOT_OPENID_METADATA_URL: 'http://127.0.0.1:3981/m' }), /BOT_OPENID_METADATA_URL: only with BOT_ID/);
    assert.equal(readConfig(base).bot.openIdMetadataUrl, undefined);
  });
});
