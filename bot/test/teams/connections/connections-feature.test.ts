import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startJiraSim, type JiraSim } from '@jira-teams/jira-sim';
import { CHANNEL_ID, TEAMS_USER, invokeActivity, messageActivity, postActivity, startBotConnector, type BotConnector } from '../../../../dev/bot-connector-emu/src';
import { ConnectVerb } from '../../../src/cards/connect-card';
import { readConfig } from '../../../src/config';
import { createConnectionServices, type ConnectionServices } from '../../../src/connections/create-connection-services';
import { createLogger } from '../../../src/log/create-logger';
import { openSqliteStore } from '../../../src/store/sqlite-store';
import type { Store } from '../../../src/store/store';
import { TurnContext } from 'botbuilder';
import { conversationReferences } from '../../../src/conversations/conversation-references';
import { connectionsFeature } from '../../../src/teams/connections/connections-feature';
import { captureLogs } from '../../support/capture-logs';
import { serveFeatures, type ServedFeatures } from '../../support/serve-features';
import { assertValidCard, cardText } from '../../support/validate-card';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

describe('connect, disconnect and status over HTTP', () => {
  let connector: BotConnector;
  let sim: JiraSim;
  let served: ServedFeatures;
  let store: Store;
  let services: ConnectionServices;
  let logs: ReturnType<typeof captureLogs>;
  let botUrl: string;
  let logger: ReturnType<typeof createLogger>;

  before(async () => {
    connector = await startBotConnector();
    sim = await startJiraSim({ port: 0 });
    logs = captureLogs();
    logger = createLogger({ level: 'debug', destination: logs.stream });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-feature-'));
    const config = readConfig({
      DATA_DIR: dataDir,
      PUBLIC_URL: 'https://bot.test',
      ATLASSIAN_CLIENT_ID: 'app',
      ATLASSIAN_CLIENT_SECRET: 'secret',
      ATLASSIAN_AUTH_URL: sim.url,
      ATLASSIAN_API_URL: sim.url,
    });
    store = openSqliteStore(path.join(dataDir, 'store.db'));
    services = await createConnectionServices(config, store);
    sim.oauth.registerClient({ clientId: 'app', clientSecret: 'secret', redirectUris: ['https://bot.test/auth/atlassian/callback'] });
    served = await serveFeatures({
      config,
      logger,
      features: [connectionsFeature({ connections: services, logger, conversations: conversationReferences(store) })],
    });
    botUrl = served.url;
  });

  after(async () => {
    await served?.close();
    await store?.close();
    await sim?.close();
    await connector?.close();
  });

  beforeEach(() => connector.clear());

  async function say(text: string, conversationType: 'personal' | 'channel' = 'personal') {
    connector.clear();
    const activity = messageActivity({
      serviceUrl: connector.url,
      conversationType,
      conversationId: conversationType === 'channel' ? CHANNEL_ID : undefined,
      text,
    });
    assert.equal((await postActivity(`${botUrl}/api/messages`, activity)).status, 200);
    const [reply] = await connector.waitForActivities(1);
    return reply.body;
  }

  async function submitToken(data: Record<string, string>) {
    const activity = invokeActivity(
      'adaptiveCard/action',
      { action: { type: 'Action.Execute', verb: ConnectVerb.ApiToken, data }, trigger: 'manual' },
      { serviceUrl: connector.url, conversationType: 'personal' },
    );
    const response = await postActivity(`${botUrl}/api/messages`, activity);
    assert.equal(response.status, 200);
    return response.body.value;
  }

  it('answers connect in a personal chat with a sign-in button and an API-token form', async () => {
    const reply = await say('connect');
    const card = reply.attachments[0];
    assert.equal(card.contentType, ADAPTIVE_CARD);
    assertValidCard(card.content);
    const signIn = card.content.actions.find((a: { type: string }) => a.type === 'Action.OpenUrl');
    assert.match(signIn.url, /^https:\/\/bot\.test\/auth\/atlassian\/start\?ticket=/);
    const ticket = services.oauth!.readStartTicket(new URL(signIn.url).searchParams.get('ticket')!);
    assert.equal(ticket?.owner.userId, TEAMS_USER.aadObjectId);
  });

  it('keeps connect private in a channel', async () => {
    const reply = await say('connect', 'channel');
    assert.equal(
      reply.attachments?.find((a: { contentType: string }) => a.contentType === ADAPTIVE_CARD),
      undefined,
    );
    assert.match(reply.text, /personal chat/);
  });

  it('connects with an API token through the card, reports status, and disconnects', async () => {
    const user = sim.state.site.users[2];
    assert.match((await say('status')).text, /not connected your Jira account/);

    const wrong = await submitToken({ siteUrl: sim.url, email: user.email, apiToken: 'wrong-token' });
    assertValidCard(wrong);
    assert.match(cardText(wrong), /did not accept that email and API token/);
    assert.ok(!JSON.stringify(wrong).includes('wrong-token'), 'the token is never echoed back');

    const done = await submitToken({ siteUrl: sim.url, email: user.email, apiToken: user.apiToken });
    assertValidCard(done);
    assert.match(cardText(done), /Jira connected/);

    const status = (await say('status')).text;
    assert.ok(status.startsWith('Connected to '), status);
    assert.ok(status.includes(`as **${user.displayName}** (with an API token)`), status);
    assert.ok(!logs.raw().includes(user.apiToken), 'no token in the logs');
    assert.ok(!logs.raw().includes(user.email), 'no email in the logs');

    assert.match((await say('disconnect')).text, /Disconnected from .*credentials are deleted/);
    assert.match((await say('status')).text, /not connected your Jira account/);
  });

  /** Consents at the simulator for a sign-in started by `asker` and returns the code the page would show. */
  async function consentCode(asker: { tenantId: string; userId: string }, conversationId: string): Promise<string> {
    const authorize = new URL(await services.oauth!.flow.start(asker, conversationId));
    authorize.searchParams.set('account_id', sim.state.site.users[0].accountId);
    const consent = await fetch(authorize, { redirect: 'manual' });
    const query = Object.fromEntries(new URL(consent.headers.get('location')!).searchParams);
    const result = await services.oauth!.flow.complete(query);
    if (result.kind !== 'awaitingCode') return assert.fail('expected a code');
    return result.code;
  }

  it('connects an OAuth sign-in when its asker sends the code from the page in the chat', async () => {
    const tenantId = (messageActivity({ serviceUrl: connector.url, text: '' }).channelData as { tenant: { id: string } }).tenant.id;
    const owner = { tenantId, userId: TEAMS_USER.aadObjectId! };
    await services.repository.remove(owner);
    const code = await consentCode(owner, 'a:asker-chat');

    assert.match((await say(code, 'channel')).text, /personal chat/, 'not taken in a channel');
    assert.equal(await services.repository.get(owner), undefined);
    const reply = await say(`connect ${code.toLowerCase()}`);
    assert.equal(reply.text, 'You are connected to jira\\-sim as **Alice Admin**. Type **status** any time to check.');
    assert.equal((await services.repository.get(owner))?.kind, 'oauth');
    assert.match((await say(code)).text, /expired or was already used/);
    await services.repository.remove(owner);
  });

  it('connects nobody when someone else sends the code, and tells the asker in their chat', async () => {
    const asker = messageActivity({ serviceUrl: connector.url, conversationType: 'personal', conversationId: 'a:asker-chat', text: 'connect' });
    const tenantId = (asker.channelData as { tenant: { id: string } }).tenant.id;
    const askerOwner = { tenantId, userId: TEAMS_USER.aadObjectId! };
    await services.repository.remove(askerOwner);
    await conversationReferences(store).save({
      conversationId: asker.conversation.id,
      tenantId,
      conversationType: 'personal',
      serviceUrl: connector.url,
      reference: TurnContext.getConversationReference(asker as never),
      updatedAt: new Date().toISOString(),
    });
    const code = await consentCode(askerOwner, asker.conversation.id);

    const bob = { id: '29:bob', name: 'Bob Builder', aadObjectId: 'b0b00000-0000-4000-8000-000000000002' };
    connector.clear();
    const fromBob = messageActivity({ serviceUrl: connector.url, conversationType: 'personal', conversationId: 'a:bob-chat', from: bob, text: code });
    assert.equal((await postActivity(`${botUrl}/api/messages`, fromBob)).status, 200);
    const [toBob] = await connector.waitForActivities(1, { conversationId: 'a:bob-chat' });
    assert.match(toBob.body.text, /belongs to a sign-in somebody else asked for, so nothing was connected/);
    const [toAsker] = await connector.waitForActivities(1, { conversationId: asker.conversation.id });
    assert.match(toAsker.body.text, /Someone else finished the Atlassian sign-in .* so nothing was connected/);

    assert.equal(await services.repository.get({ tenantId, userId: bob.aadObjectId }), undefined);
    assert.equal(await services.repository.get(askerOwner), undefined);
    assert.match((await say(code)).text, /expired or was already used/, 'the misused code is spent for the asker too');
  });
});
