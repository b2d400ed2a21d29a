/** Microsoft Entra, played locally: a JWKS and Teams SSO access tokens for emulated users. */
export { KEYS_PATH, TOKEN_PATH, startEntraEmu, type EntraEmu, type EntraEmuOptions, type TokenRequest } from './start-entra-emu';
