import https from 'node:https';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';

export interface BotTokenCheckOptions {
  /** Where the token issuer's signing keys are (the Entra emulation's JWKS). */
  jwksUrl: string;
  /** The only `iss` accepted. */
  issuer: string;
  /** The bot's app id: the token's `appid` (v1) or `azp` (v2) must be it. */
  appId: string;
  /** The Bot Connector's resource, the only `aud` accepted. Default https://api.botframework.com. */
  audience?: string;
  /** A CA to trust for an https `jwksUrl` (a test's self-signed certificate); default the system's. */
  ca?: string;
}

/** Undefined when the Authorization header carries a token the Bot Connector would accept; otherwise why not. */
export type BotTokenCheck = (authorization: string | undefined) => Promise<string | undefined>;

/**
 * What the Bot Connector does with a bot's call: the bearer token must be an Entra app token for the
 * Bot Connector (signature against the issuer's keys, `iss`, `aud` https://api.botframework.com, not
 * expired) issued to this bot (`appid`/`azp`). The keys are read once, on the first call.
 */
export function createBotTokenCheck(options: BotTokenCheckOptions): BotTokenCheck {
  const audience = options.audience ?? 'https://api.botframework.com';
  let keys: Promise<ReturnType<typeof createLocalJWKSet>> | undefined;
  const keysOnce = () => (keys ??= getJson(options.jwksUrl, options.ca).then((jwks) => createLocalJWKSet(jwks as JSONWebKeySet)));
  return async (authorization) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!token) return 'no bearer token';
    let jwks: Awaited<ReturnType<typeof keysOnce>>;
    try {
      jwks = await keysOnce();
    } catch (error) {
      keys = undefined;
      return `could not read the issuer's keys (${error instanceof Error ? error.message : String(error)})`;
    }
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer: options.issuer, audience, algorithms: ['RS256'], clockTolerance: 300 });
      const caller = payload.appid ?? payload.azp;
      if (caller !== options.appId) return 'the token was issued to another app';
      return undefined;
    } catch (error) {
      return `the token is not valid (${error instanceof Error ? ((error as { code?: string }).code ?? error.name) : 'unknown'})`;
    }
  };
}

function getJson(url: string, ca: string | undefined): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ...(ca ? { ca } : {}), agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
        else {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
