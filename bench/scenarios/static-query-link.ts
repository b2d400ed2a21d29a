import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TeamsFeature } from '../../bot/src/teams/teams-feature';
import type { Scenario } from '../scenario';

/** The framework's floor: the real bot server (CloudAdapter + teams-ai) answering queryLink with a fixed card. */
async function staticQueryLink(): Promise<TeamsFeature> {
  const [{ CardFactory }, { adaptiveCard }] = await Promise.all([import('botbuilder'), import('../../bot/src/cards/adaptive-card.js')]);
  const card = adaptiveCard([{ type: 'TextBlock', text: 'Static card', wrap: true }]);
  return {
    name: 'bench-static-query-link',
    register(app) {
      app.messageExtensions.queryLink(async () => ({
        type: 'result',
        attachmentLayout: 'list',
        attachments: [{ ...CardFactory.adaptiveCard(card), preview: CardFactory.heroCard('Static card') }],
      }));
    },
  };
}

export const queryLinkInvoke = (url: string) =>
  JSON.stringify({
    type: 'invoke',
    name: 'composeExtension/queryLink',
    id: 'bench-1',
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/',
    from: { id: '29:bench-user', aadObjectId: '00000000-0000-0000-0000-00000000be0c' },
    recipient: { id: '28:bench-bot', name: 'Jira' },
    conversation: { id: '19:bench@thread.tacv2', conversationType: 'channel', tenantId: 'bench-tenant' },
    channelData: { tenant: { id: 'bench-tenant' } },
    value: { url },
  });

export const botStaticQueryLink: Scenario = {
  name: 'bot: static queryLink card',
  baseline: 'bare restify POST',
  async start() {
    const [{ readConfig }, { createLogger }, { startBot }] = await Promise.all([
      import('../../bot/src/config.js'),
      import('../../bot/src/log/create-logger.js'),
      import('../../bot/src/start-bot.js'),
    ]);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-bench-'));
    const config = readConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    const bot = await startBot(config, {
      logger: createLogger({ level: 'warn' }),
      extraFeatures: [await staticQueryLink()],
    });
    return { url: bot.url, close: () => bot.close() };
  },
  request: {
    method: 'POST',
    path: '/api/messages',
    headers: { 'content-type': 'application/json' },
    body: queryLinkInvoke('https://example.atlassian.net/browse/BENCH-1'),
  },
};
