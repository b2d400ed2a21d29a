import { startEntraEmu, type BotTokenRequest, type EntraEmu } from '@jira-teams/entra-emu';
import { startBotConnector, type BotConnector } from '../../../dev/bot-connector-emu/src';
import type { Env } from '../../src/config';
import { startTestBot, type TestBot } from './start-test-bot';

/** The bot's Microsoft app id in these tests. */
export const SIGNED_BOT_ID = '00000000-0000-0000-0000-0000000000b0';

export interface SignedBot {
  emu: EntraEmu;
  connector: BotConnector;
  testBot: TestBot;
  /**
   * A Bot Connector token for an activity to this bot from the connector emulation, signed by the
   * Entra emulation playing the Bot Connector's issuer; `overrides` make it wrong in one way
   * (another appId, serviceUrl or issuer, a key the issuer does not publish, expired...).
   */
  botFrameworkToken(overrides?: Partial<BotTokenRequest>): Promise<string>;
  close(): Promise<void>;
}

/**
 * The bot as deployed (BOT_ID set, so every activity must carry a Bot Connector token), with the
 * Entra emulation as the token issuer through the test-only BOT_OPENID_METADATA_URL, and the Bot
 * Connector emulation for replies.
 */
export async function startSignedBot(env: Env = {}): Promise<SignedBot> {
  const emu = await startEntraEmu();
  const connector = await startBotConnector();
  const testBot = await startTestBot({
    BOT_ID: SIGNED_BOT_ID,
    BOT_PASSWORD: 'not-used',
    BOT_OPENID_METADATA_URL: emu.botOpenIdMetadataUrl,
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    ...env,
  });
  return {
    emu,
    connector,
    testBot,
    botFrameworkToken: (overrides = {}) => emu.issueBotToken({ appId: SIGNED_BOT_ID, serviceUrl: connector.url, ...overrides }),
    async close() {
      await testBot.close();
      await connector.close();
      await emu.close();
    },
  };
}
