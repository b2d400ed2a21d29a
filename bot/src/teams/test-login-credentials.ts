import module from 'node:module';
import { MsalServiceClientCredentialsFactory } from 'botframework-connector';
import type { Config } from '../config';

type ClientApplication = ConstructorParameters<typeof MsalServiceClientCredentialsFactory>[1];
type ClientApplicationClass = new (configuration: { auth: { clientId: string; clientSecret: string; authority: string; knownAuthorities: string[] } }) => ClientApplication;

/**
 * Tests only (BOT_LOGIN_URL): the credentials factory that gets the bot's Bot Connector token from a
 * local Entra authority instead of login.microsoftonline.com. Production leaves it undefined and
 * botbuilder builds its own (PasswordServiceClientCredentialFactory -> MsalAppCredentials). That one
 * cannot be pointed at a loopback authority: MsalAppCredentials gives MSAL only
 * `{ authority, clientId, clientSecret }`, and for a host that is not Microsoft's MSAL then asks
 * login.microsoftonline.com's instance discovery (msal-common Authority.getCloudDiscoveryMetadataFromNetwork)
 * and refuses the authority as untrusted when that fails. So this builds the same MSAL client with the
 * loopback host as a known authority, and hands it to botbuilder's MsalServiceClientCredentialsFactory,
 * which wraps it in the same MsalAppCredentials: the client-credentials grant, the
 * https://api.botframework.com/.default scope and the bearer header stay botbuilder's.
 */
export function testLoginCredentials(bot: Config['bot']): MsalServiceClientCredentialsFactory | undefined {
  if (!bot.loginUrl || !bot.id) return undefined;
  // The MSAL that botframework-connector itself loads (its own pinned copy), not another version.
  const connectorRequire = module.createRequire(require.resolve('botframework-connector'));
  const { ConfidentialClientApplication } = connectorRequire('@azure/msal-node') as { ConfidentialClientApplication: ClientApplicationClass };
  const client = new ConfidentialClientApplication({
    auth: { clientId: bot.id, clientSecret: bot.password ?? '', authority: bot.loginUrl, knownAuthorities: [new URL(bot.loginUrl).host] },
  });
  return new MsalServiceClientCredentialsFactory(bot.id, client);
}
