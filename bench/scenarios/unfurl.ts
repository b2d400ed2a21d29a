import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConnectionServices } from '../../bot/src/connections/create-connection-services';
import type { Scenario } from '../scenario';
import { queryLinkInvoke } from './static-query-link';

// The request body is fixed before the simulator has a port, so the link names a stand-in
// host that the feature is told belongs to the connected site (as a custom domain would).
const SITE_ALIAS = 'bench.atlassian.net';
// The sender of queryLinkInvoke, connected to the simulator as one of its seeded users.
const OWNER = { tenantId: 'bench-tenant', userId: '00000000-0000-0000-0000-00000000be0c' };

/** The bot with the real unfurl feature, jira.js and the issue cache in front of the simulator. */
function unfurlScenario(name: string, ttlMs: number, target?: Scenario['target']): Scenario {
  return {
    name,
    baseline: 'bot: static queryLink card',
    target,
    async start() {
      const [{ startJiraSim }, { readConfig }, { createLogger }, { startBot }, { cachedIssueService }, { jiraIssueService }, { unfurlFeature }] = await Promise.all([
        import('@jira-teams/jira-sim'),
        import('../../bot/src/config.js'),
        import('../../bot/src/log/create-logger.js'),
        import('../../bot/src/start-bot.js'),
        import('../../bot/src/teams/unfurl/cached-issue-service.js'),
        import('../../bot/src/teams/unfurl/jira-issue-service.js'),
        import('../../bot/src/teams/unfurl/unfurl-feature.js'),
      ]);
      // Unmetered: the bench measures the bot, not the simulator's points budget.
      const sim = await startJiraSim({ port: 0, rateLimit: { mode: 'off' } });
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-bench-'));
      const config = readConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', JIRA_ALLOWED_SITES: sim.url });
      const logger = createLogger({ level: 'warn' });
      let connections: ConnectionServices | undefined;
      const issues = cachedIssueService(jiraIssueService({ jiraFor: (owner, options) => connections!.jiraFor(owner, options) }), { ttlMs });
      const bot = await startBot(config, { logger, extraFeatures: [unfurlFeature({ issues, siteHosts: [SITE_ALIAS], logger })] });
      connections = bot.connections;
      const user = sim.state.site.users.find((u) => u.email === 'bob@example.com')!;
      await connections.connectWithApiToken(OWNER, { siteUrl: sim.url, email: user.email, apiToken: user.apiToken });
      return {
        url: bot.url,
        async close() {
          await bot.close();
          await sim.close();
        },
      };
    },
    request: {
      method: 'POST',
      path: '/api/messages',
      headers: { 'content-type': 'application/json' },
      body: queryLinkInvoke(`https://${SITE_ALIAS}/browse/KAN-1`),
    },
  };
}

/** Repeated unfurls of one link: served from the per-user cache after the first. */
export const unfurlWarm = unfurlScenario('bot: unfurl, warm cache', 60_000, {
  text: 'p99 <= 1.1x and throughput >= 0.9x baseline',
  met: ({ p99, throughput }) => p99 <= 1.1 && throughput >= 0.9,
});
/** Every unfurl reads Jira (the simulator, in the same process) through jira.js and the pipeline. */
export const unfurlCold = unfurlScenario('bot: unfurl, cold cache (simulator in-process)', 0, { text: 'p99 <= 2.5x baseline', met: ({ p99 }) => p99 <= 2.5 });
