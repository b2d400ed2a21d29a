import { ConfigError, readConfig } from './config';
import { createLogger } from './log/create-logger';
import { startBot } from './start-bot';

/** Process entry: validate configuration, start, and stop cleanly on a signal. */
async function main(): Promise<void> {
  let config;
  try {
    config = readConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) process.stderr.write(`Configuration error: ${problem}\n`);
      process.exit(1);
    }
    throw error;
  }

  const logger = createLogger({ level: config.logLevel });
  if (config.localMode) {
    logger.warn('Local mode: BOT_ID is not set, so Bot Framework authentication is OFF. Use this only on a development machine.');
  } else {
    logger.info({ botId: config.bot.id, botType: config.bot.type }, 'Bot Framework authentication is on');
  }

  const bot = await startBot(config, { logger });
  logger.info({ url: bot.url, store: config.store.kind, jira: config.jira.baseUrl ?? 'not configured' }, 'listening');

  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    bot.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stopped with an error');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
