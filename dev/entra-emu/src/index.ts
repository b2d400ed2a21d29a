/** Microsoft Entra, played locally: a JWKS and Teams SSO access tokens for emulated users, and the Bot Connector's token issuer. */
export { KEYS_PATH, TOKEN_PATH, startEntraEmu, type EntraEmu, type EntraEmuOptions, type TokenRequest } from './start-entra-emu';
export { BOT_CONNECTOR_ISSUER, BOT_KEYS_PATH, BOT_OPENID_METADATA_PATH, type BotTokenRequest } from './create-bot-framework-issuer';
export { BOT_CONNECTOR_AUDIENCE } from './bot-app-tokens';
export { makeSelfSignedCert, type SelfSignedCert } from './self-signed-cert';
