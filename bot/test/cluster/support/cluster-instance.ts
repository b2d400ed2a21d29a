// Before restify loads: see allow-restify-on-node24.ts.
import '../../../src/http/allow-restify-on-node24';
import type { AlertTimings } from '../../../src/alerts/create-alerts';
import { readConfig } from '../../../src/config';
import { createLogger } from '../../../src/log/create-logger';
import { startBot } from '../../../src/start-bot';

/** What a cluster instance tells its launcher over the IPC channel. */
export type InstanceMessage = { type: 'ready'; url: string } | { type: 'failed'; message: string };

/**
 * One bot instance of a cluster test, as a child process so `kill -9` is real: the service as
 * `npm start` builds it from the environment, plus the test-only alert timings in
 * JIRA_TEAMS_TEST_ALERT_TIMINGS (JSON). Says `ready` with its URL over IPC; an IPC `stop` (or the
 * channel closing) stops it gracefully, SIGKILL not at all.
 */
async function main(): Promise<void> {
  const send = (message: InstanceMessage) => process.send?.(message);
  try {
    const config = readConfig(process.env);
    const timings = JSON.parse(process.env.JIRA_TEAMS_TEST_ALERT_TIMINGS ?? '{}') as AlertTimings;
    const bot = await startBot(config, { logger: createLogger({ level: config.logLevel }), alertTimings: timings });
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= bot.close().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`cluster instance stopped with an error: ${error instanceof Error ? error.message : String(error)}\n`);
          process.exit(1);
        },
      );
    };
    process.on('message', (message: { type?: string }) => {
      if (message?.type === 'stop') stop();
    });
    process.once('disconnect', stop);
    send({ type: 'ready', url: bot.url });
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
}

void main();
