import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readConfig, type Env } from '../../src/config';
import { createLogger } from '../../src/log/create-logger';
import { startBot, type BotService } from '../../src/start-bot';
import { captureLogs } from './capture-logs';

export interface TestBot {
  bot: BotService;
  /** POST target for activities. */
  messagesUrl: string;
  logs: ReturnType<typeof captureLogs>;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The real server, on an ephemeral port, with its own SQLite file and a log capture, configured
 * through the same environment mapping production uses.
 */
export async function startTestBot(env: Env = {}): Promise<TestBot> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-bot-'));
  // The Jira simulators and stand-in servers of the tests listen on 127.0.0.1 at a free port; a
  // test that checks the site policy itself passes its own JIRA_ALLOWED_SITES.
  const config = readConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'debug', JIRA_ALLOWED_SITES: 'http://127.0.0.1:*', ...env });
  const logs = captureLogs();
  const bot = await startBot(config, { logger: createLogger({ level: 'debug', destination: logs.stream }) });
  return {
    bot,
    messagesUrl: `${bot.url}/api/messages`,
    logs,
    dataDir,
    async close() {
      await bot.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
