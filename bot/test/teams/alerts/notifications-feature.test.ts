import assert from 'node:assert/strict';
import type { Server } from 'restify';
import {
  CHANNEL_ID,
  DEFAULT_TENANT_ID,
  PERSONAL_CHAT_ID,
  TEAMS_USER,
  invokeActivity,
  messageActivity,
  postActivity,
  startBotConnector,
  type BotConnector,
} from '../../../../dev/bot-connector-emu/src';
import { personalPreferenceRepository, personalUserKey, type PersonalPreferenceRepository } from '../../../src/alerts/personal-preferences';
import { AlertPreferencesVerb } from '../../../src/cards/alert-preferences-card';
import { readConfig } from '../../../src/config';
import { createHttpServer } from '../../../src/http/create-http-server';
import { createLogger } from '../../../src/log/create-logger';
import type { Store } from '../../../src/store/store';
import { notificationsFeature } from '../../../src/teams/alerts/notifications-feature';
import { createTeamsApp } from '../../../src/teams/create-teams-app';
import { openTestStore } from '../../connections/open-test-store';
import { assertValidCard, cardText } from '../../support/validate-card';

describe('notifications command', () => {
  let connector: BotConnector;
  let server: Server;
  let store: Store;
  let preferences: PersonalPreferenceRepository;
  let botUrl: string;

  before(async () => {
    connector = await startBotConnector();
    store = openTestStore();
    preferences = personalPreferenceRepository(store);
    const logger = createLogger({ level: 'silent' });
    const teams = createTeamsApp({ config: readConfig({ DATA_DIR: '/tmp/unused' }), logger, features: [notificationsFeature({ preferences, logger })] });
    server = createHttpServer({
      logger,
      processActivity: (req, res) => teams.adapter.process(req, res, (context) => teams.app.run(context).then(() => undefined)),
      readiness: async () => ({ ready: true, checks: {} }),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    botUrl = `http://127.0.0.1:${server.address().port}/api/messages`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await store?.close();
    await connector?.close();
  });

  const personal = { conversationType: 'personal' as const, conversationId: PERSONAL_CHAT_ID };

  it('shows the switches in the personal chat and saves them for the connection owner', async () => {
    await postActivity(botUrl, messageActivity({ ...personal, serviceUrl: connector.url, text: 'notifications' }));
    const card = connector.activities(PERSONAL_CHAT_ID)[0].body.attachments[0].content;
    assertValidCard(card);
    assert.match(JSON.stringify(card), /"id":"watching","title":"An issue I watch changes","value":"false"/);

    const saved = await postActivity(
      botUrl,
      invokeActivity(
        'adaptiveCard/action',
        { action: { type: 'Action.Execute', verb: AlertPreferencesVerb.Save, data: { assigned: 'false', mentioned: 'true', watching: 'true', reported: 'false' } } },
        { ...personal, serviceUrl: connector.url },
      ),
    );
    assert.equal(saved.status, 200);
    assertValidCard(saved.body.value);
    assert.match(cardText(saved.body.value), /Saved/);
    assert.deepEqual(await preferences.get(personalUserKey({ tenantId: DEFAULT_TENANT_ID, userId: TEAMS_USER.aadObjectId! })), {
      assigned: false,
      mentioned: true,
      watching: true,
      reported: false,
    });
  });

  it('points to subscribe when asked in a channel', async () => {
    await postActivity(botUrl, messageActivity({ serviceUrl: connector.url, conversationType: 'channel', conversationId: CHANNEL_ID, text: 'notifications' }));
    assert.match(connector.activities(CHANNEL_ID)[0].body.text, /subscribe/);
  });
});
