import assert from 'node:assert/strict';
import type { EntraEmu } from '@jira-teams/entra-emu';
import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
import { AppCredentials, type BotFrameworkAuthentication, type ClaimsIdentity } from 'botframework-connector';
import type { ConversationReference, TurnContext } from 'botbuilder';
import { PERSONAL_CHAT_ID, type BotConnector } from '../../../dev/bot-connector-emu/src';
import { readConfig } from '../../src/config';
import { createAdapter } from '../../src/teams/create-teams-app';
import { promiseCache, reuseConnectorClients } from '../../src/teams/reuse-connector-clients';
import { startBotTokenAuthority, type BotTokenAuthority } from '../support/bot-token-authority';

const BOT_ID = '00000000-0000-0000-0000-0000000000c1';
// Made up here for the Entra emulation's app registration; never logged.
const SECRET = `bot-secret-${Math.random().toString(36).slice(2)}`;

/** botbuilder's process-wide token cache (AppCredentials.cache), keyed by app id and scope. */
const tokenCache = () => (AppCredentials as unknown as { cache: Map<string, { accessToken: string; expiresOn: Date }> }).cache;

/**
 * The adapter keeps one connector client per service URL for proactive sends (alerts) instead of
 * building one per send; the kept client must still carry a valid, fresh Bot Connector token on every
 * call. The Entra emulation issues the tokens over HTTPS and the Bot Connector emulation checks each
 * call's token (signature, issuer, audience, app id, expiry), as in bot-framework-outbound-token.test.ts.
 */
describe('connector clients reused across proactive sends', () => {
  let authority: BotTokenAuthority;
  let emu: EntraEmu;
  let connector: BotConnector;

  before(async () => {
    authority = await startBotTokenAuthority({ botApps: { [BOT_ID]: SECRET }, appId: BOT_ID });
    ({ emu, connector } = authority);
  });
  after(async () => authority?.close());
  beforeEach(() => {
    connector.clear();
    tokenCache().clear();
  });

  const reference = (serviceUrl: string): Partial<ConversationReference> => ({
    serviceUrl,
    channelId: 'msteams',
    conversation: { id: PERSONAL_CHAT_ID, isGroup: false, conversationType: 'personal' } as ConversationReference['conversation'],
  });

  /** One proactive message as the alert sender sends it; resolves with the connector client the turn used. */
  async function send(adapter: TeamsAdapter, text: string): Promise<unknown> {
    let client: unknown;
    await adapter.continueConversationAsync(BOT_ID, reference(connector.url), async (context: TurnContext) => {
      client = context.turnState.get(context.adapter.ConnectorClientKey);
      await context.sendActivity(text);
    });
    return client;
  }

  it('sends every message through one client with a valid token, and fetches a new token once the cached one expires', async () => {
    const adapter = createAdapter(
      readConfig({
        BOT_ID,
        BOT_PASSWORD: SECRET,
        BOT_LOGIN_URL: emu.botLoginUrl,
        BOT_OPENID_METADATA_URL: emu.botOpenIdMetadataUrl,
        TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      }).bot,
    );
    const clients = [await send(adapter, 'first'), await send(adapter, 'second'), await send(adapter, 'third')];
    assert.ok(clients[0], 'the turn had a connector client');
    assert.ok(
      clients.every((client) => client === clients[0]),
      'one connector client for the three sends',
    );

    // Time passes: botbuilder's cached token is past its expiry (and would no longer verify). The kept
    // client must ask for a new one rather than send the old.
    const cached = [...tokenCache().entries()];
    assert.equal(cached.length, 1, 'one token for the bot, fetched once');
    const [key] = cached[0];
    tokenCache().set(key, { accessToken: 'expired.bot.token', expiresOn: new Date(0) });
    assert.equal(await send(adapter, 'after expiry'), clients[0], 'still the same client');
    // (Not compared with the first token: minted within the same second, the two are identical.)
    assert.notEqual(tokenCache().get(key)?.accessToken, 'expired.bot.token', 'a new token was fetched');

    const calls = connector.calls.map((call) => ({ text: (call.body as { text?: string } | undefined)?.text, status: call.status, refusal: call.refusal }));
    assert.deepEqual(
      calls,
      ['first', 'second', 'third', 'after expiry'].map((text) => ({ text, status: 201, refusal: undefined })),
    );
  });

  it('keeps a bounded number of clients, dropping the least recently used', async () => {
    // Local mode (no app id): clients are built without credentials, and nothing is sent here.
    const adapter = new TeamsAdapter({ MicrosoftAppId: '', MicrosoftAppPassword: '' });
    reuseConnectorClients(adapter, 2);
    const auth = (adapter as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication }).botFrameworkAuthentication;
    const claims = (adapter as unknown as { createClaimsIdentity(appId: string): ClaimsIdentity }).createClaimsIdentity('');
    const client = (serviceUrl: string) => auth.createConnectorFactory(claims).create(serviceUrl);
    const amer = await client('https://smba.trafficmanager.net/amer/');
    const emea = await client('https://smba.trafficmanager.net/emea/');
    assert.notEqual(amer, emea, 'one client per service URL');
    assert.equal(await client('https://smba.trafficmanager.net/amer/'), amer, 'kept');
    // A third service URL: emea was used least recently, so it goes.
    const apac = await client('https://smba.trafficmanager.net/apac/');
    assert.equal(await client('https://smba.trafficmanager.net/amer/'), amer);
    assert.equal(await client('https://smba.trafficmanager.net/apac/'), apac);
    assert.notEqual(await client('https://smba.trafficmanager.net/emea/'), emea, 'built again after it was dropped');
  });
});

describe('promiseCache', () => {
  it('shares one build between concurrent callers, forgets a rejected one, and drops the least recently used', async () => {
    const cache = promiseCache<string>(2);
    let builds = 0;
    const make = (value: string) => () => {
      builds += 1;
      return Promise.resolve(value);
    };
    const [a1, a2] = [cache('a', make('a')), cache('a', make('a'))];
    assert.equal(a1, a2, 'the second caller got the first build');
    assert.equal(await a1, 'a');

    await assert.rejects(
      cache('b', () => Promise.reject(new Error('token endpoint down'))),
      /down/,
    );
    assert.equal(await cache('b', make('b')), 'b', 'a failed build is not kept');
    assert.equal(builds, 2);

    await cache('a', make('a'));
    await cache('c', make('c'));
    assert.equal(builds, 3, 'a was kept');
    await cache('a', make('a'));
    assert.equal(builds, 3, 'a, used after b, outlived it');
    await cache('b', make('b'));
    assert.equal(builds, 4, 'b was dropped for c');
  });
});
