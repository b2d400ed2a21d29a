import { exportJWK, generateKeyPair, SignJWT, type GenerateKeyPairResult, type JWK } from 'jose';

/** What the Bot Connector puts in `iss` of the tokens it sends to a bot (botframework-connector's AuthenticationConstants). */
export const BOT_CONNECTOR_ISSUER = 'https://api.botframework.com';
export const BOT_OPENID_METADATA_PATH = '/botframework/v1/.well-known/openidconfiguration';
export const BOT_KEYS_PATH = '/botframework/v1/.well-known/keys';

export interface BotTokenRequest {
  /** The bot's Microsoft App ID: the `aud` the bot checks. */
  appId: string;
  /** The activity's serviceUrl: the `serviceurl` claim must equal it. */
  serviceUrl: string;
  /** Defaults to the Bot Connector's issuer; anything else is a token from someone else. */
  issuer?: string;
  /** Lifetime from now; negative mints a token that has already expired. Default one hour. */
  expiresInSeconds?: number;
  /** Seconds from now before the token is valid (`nbf`); positive mints a not-yet-valid token. Default 0. */
  notBeforeInSeconds?: number;
  /**
   * `unpublished-key` signs with a key the metadata does not serve, under the served key's `kid`: what a
   * forger without Microsoft's private key can at best produce.
   */
  signedBy?: 'published-key' | 'unpublished-key';
}

export interface BotFrameworkIssuer {
  /** The OpenID configuration document, with `jwks_uri` under `baseUrl`. */
  metadata(baseUrl: string): Record<string, unknown>;
  jwks(): Promise<{ keys: JWK[] }>;
  sign(request: BotTokenRequest): Promise<string>;
}

/**
 * Plays the Bot Connector's token issuer (login.botframework.com's OpenID metadata and keys): RS256
 * tokens shaped as those the Bot Connector sends with every activity (`iss`, `aud` = the bot's app id,
 * `serviceurl`, `nbf`, `exp`). The keys are new on every start and made on first use (most emulator
 * users never ask, and RSA key generation is slow on a busy machine); like the real ones, the
 * published key endorses the channels it may sign for, which the bot checks against the activity's channelId.
 */
export function createBotFrameworkIssuer(options: { now: () => number; endorsements?: string[] }): BotFrameworkIssuer {
  const endorsements = options.endorsements ?? ['msteams'];
  let keys: Promise<{ published: GenerateKeyPairResult; unpublished: GenerateKeyPairResult; kid: string; jwks: { keys: JWK[] } }> | undefined;
  const keysOnce = () =>
    (keys ??= (async () => {
      const [published, unpublished] = await Promise.all([generateKeyPair('RS256'), generateKeyPair('RS256')]);
      const kid = `bf-emu-${Math.random().toString(36).slice(2, 10)}`;
      const jwks = { keys: [{ ...(await exportJWK(published.publicKey)), kid, use: 'sig', kty: 'RSA', endorsements } as JWK] };
      return { published, unpublished, kid, jwks };
    })());

  return {
    metadata: (baseUrl) => ({
      issuer: BOT_CONNECTOR_ISSUER,
      authorization_endpoint: `${baseUrl}/botframework/v1/authorize`,
      jwks_uri: `${baseUrl}${BOT_KEYS_PATH}`,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    }),
    jwks: async () => (await keysOnce()).jwks,
    async sign(request) {
      const { published, unpublished, kid } = await keysOnce();
      const now = Math.floor(options.now() / 1000);
      const key = request.signedBy === 'unpublished-key' ? unpublished.privateKey : published.privateKey;
      return new SignJWT({ serviceurl: request.serviceUrl })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
        .setIssuer(request.issuer ?? BOT_CONNECTOR_ISSUER)
        .setAudience(request.appId)
        .setNotBefore(now + (request.notBeforeInSeconds ?? 0))
        .setExpirationTime(now + (request.expiresInSeconds ?? 3600))
        .sign(key);
    },
  };
}
