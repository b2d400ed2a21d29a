import { CallerIdConstants } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import type { Config } from '../config';

/**
 * The adapter's channel-auth settings beyond the app's identity. Empty in production, so botbuilder
 * uses Microsoft's public-cloud constants. With BOT_OPENID_METADATA_URL (tests only, loopback), the
 * Bot Connector's signing keys are read from the local issuer instead: botbuilder then takes every
 * endpoint as given ("parameterized"), so the others are spelled out with the public-cloud values,
 * and the issuer, audience and serviceurl checks stay exactly those of production.
 */
export function channelAuthOptions(bot: Config['bot']): Record<string, string | boolean> {
  if (!bot.openIdMetadataUrl) return {};
  return {
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: bot.openIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}
