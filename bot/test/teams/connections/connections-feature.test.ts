import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startJiraSim, type JiraSim } from '@jira-teams/jira-sim';
import {
  CHANNEL_ID,
  TEAMS_USER,
  invokeActivity,
  messageActivity,
  postActivity,
  startBotConnector,
  type BotConnector,
} from '../../../../dev/bot-connector-emu/src';
import { ConnectVerb } from '../../../src/cards/connect-card';
import { readConfig } from '../../../src/config';
import { createConnectionServices, type ConnectionServices } from '../../../src/connections/create-connection-services';
import { createLogger } from '../../../src/log/create-logger';
import { openSqliteStore } from '../../../src/store/sqlite-store';
import type { Store } from '../../../src/store/store';
import { TurnContext } from 'botbuilder';
import type { OAuthConnection } from '../../../src/connections/connection';
import { conversationReferences } from '../../../src/conversations/conversation-references';
import { connectionsFeature } from '../../../src/teams/connections/connections-feature';
import { notifyConnected } from '../../../src/teams/connections/notify-connected';
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
  let teams: ServedFeatures['teams'];
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
    served = await serveFeatures({ config, logger, features: [connectionsFeature({ connections: services, logger })] });
    teams = served.teams;
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
    assert.equal(reply.attachments?.find((a: { contentType: string }) => a.contentType === ADAPTIVE_CARD), undefined);
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

  it('confirms an OAuth sign-in in the chat where the user typed connect', async () => {
    const activity = messageActivity({ serviceUrl: connector.url, conversationType: 'personal', text: 'connect' });
    const conversations = conversationReferences(store);
    await conversations.save({
      conversationId: activity.conversation.id,
      tenantId: (activity.channelData as { tenant: { id: string } }).tenant.id,
      conversationType: 'personal',
      serviceUrl: connector.url,
      reference: TurnContext.getConversationReference(activity as never) as unknown as Record<string, unknown>,
      updatedAt: new Date().toISOString(),
    });
    const connection = {
      owner: { tenantId: (activity.channelData as { tenant: { id: string } }).tenant.id, userId: TEAMS_USER.aadObjectId! },
      siteName: 'acme_site',
      displayName: 'Megan *B*',
    } as OAuthConnection;
    await notifyConnected({ adapter: teams.adapter, conversations, logger })(connection, activity.conversation.id);
    const [sent] = await connector.waitForActivities(1, { conversationId: activity.conversation.id });
    assert.equal(sent.body.text, 'You are connected to acme\\_site as **Megan \\*B\\***. Type **status** any time to check.');

    await notifyConnected({ adapter: teams.adapter, conversations, logger })(connection, 'a:unknown');
    assert.equal(connector.activities().length, 1, 'nothing sent where no reference is stored');
  });
});
