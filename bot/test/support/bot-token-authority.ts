import https from 'node:https';
import { makeSelfSignedCert, startEntraEmu, type EntraEmu } from '@jira-teams/entra-emu';
import { createBotTokenCheck, startBotConnector, type BotConnector } from '../../../dev/bot-connector-emu/src';

export interface BotTokenAuthority {
  /** Plays Entra over HTTPS: issues the bots' Bot Connector tokens (client-credentials grant). */
  emu: EntraEmu;
  /** The Bot Connector emulation, accepting only calls with a valid token of `appId`. */
  connector: BotConnector;
  close(): Promise<void>;
}

/**
 * The Entra emulation over HTTPS (MSAL takes no other authority) with a self-signed certificate
 * this process trusts until `close`, and a Bot Connector emulation that verifies every call's token
 * (signature against the emulation's keys, iss, aud https://api.botframework.com, appid, exp).
 */
export async function startBotTokenAuthority(options: { botApps: Record<string, string>; appId: string }): Promise<BotTokenAuthority> {
  const cert = makeSelfSignedCert();
  // MSAL (and botbuilder's key fetch) use node's global https agent.
  const previousCa = https.globalAgent.options.ca;
  https.globalAgent.options.ca = cert.cert;
  const emu = await startEntraEmu({ tls: cert, botApps: options.botApps });
  const connector = await startBotConnector({
    checkToken: createBotTokenCheck({ jwksUrl: emu.jwksUrl, issuer: emu.botAppTokenIssuer, appId: options.appId, ca: cert.cert }),
  });
  return {
    emu,
    connector,
    async close() {
      await connector.close();
      await emu.close();
      https.globalAgent.options.ca = previousCa;
      https.globalAgent.destroy();
    },
  };
}
