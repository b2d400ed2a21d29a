import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src';
import { startBotConnector, type BotConnector } from '../../../dev/bot-connector-emu/src';
import type { Env } from '../../src/config';
import { startTestBot, type TestBot } from './start-test-bot';

export interface AssembledBot {
  /** A fresh Jira simulator (demo site). */
  readonly sim: JiraSim;
  /** The Bot Connector emulation, which also plays Microsoft Graph. */
  readonly connector: BotConnector;
  /** The service as `npm start` builds it, on `env(...)`. */
  readonly testBot: TestBot;
}

/**
 * Mocha hooks for a suite that talks to the assembled service: a Jira simulator, the Bot Connector
 * emulation and the test bot on the environment `env` gives for them, started before the suite's
 * own `before` hooks (register this first) and closed after its tests, the bot first.
 */
export function useAssembledBot(env: (parts: { sim: JiraSim; connector: BotConnector }) => Env | Promise<Env>): AssembledBot {
  let sim: JiraSim | undefined;
  let connector: BotConnector | undefined;
  let testBot: TestBot | undefined;
  before(async () => {
    sim = await startJiraSim({ port: 0 });
    connector = await startBotConnector();
    testBot = await startTestBot(await env({ sim, connector }));
  });
  after(async () => {
    await testBot?.close();
    await connector?.close();
    await sim?.close();
  });
  const started = <T>(part: T | undefined, name: string): T => {
    if (part === undefined) throw new Error(`The ${name} is read before the suite's before hook started it`);
    return part;
  };
  return {
    get sim() {
      return started(sim, 'Jira simulator');
    },
    get connector() {
      return started(connector, 'Bot Connector emulation');
    },
    get testBot() {
      return started(testBot, 'test bot');
    },
  };
}
