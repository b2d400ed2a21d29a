import { ConfigError, readConfig } from './config';
import { createLogger } from './log/create-logger';
import { startTelemetry } from './telemetry/start-telemetry';

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

  // Before the service loads, so the HTTP modules it uses are instrumented from their first request.
  const telemetry = config.telemetry ? await startTelemetry(config.telemetry.connectionString, logger) : undefined;
  const { startBot } = await import('./start-bot.js');
  const bot = await startBot(config, { logger });
  logger.info({ url: bot.url, store: config.store.kind, jira: config.jira.baseUrl ?? 'not configured' }, 'listening');

  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    // Metrics first, while the store their gauges read is open; then the service; then what is left of telemetry.
    Promise.resolve(telemetry?.flush().catch(() => undefined))
      .then(() => bot.close())
      // Telemetry that cannot be flushed now is lost, which is no reason to report a failed stop.
      .then(() => telemetry?.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'could not flush telemetry')))
      .then(
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
