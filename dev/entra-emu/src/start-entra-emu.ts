import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { createBotAppTokens } from './bot-app-tokens';
import { BOT_KEYS_PATH, BOT_OPENID_METADATA_PATH, createBotFrameworkIssuer, type BotTokenRequest } from './create-bot-framework-issuer';

export const KEYS_PATH = '/_emu/keys';
export const TOKEN_PATH = '/_emu/token';

export interface EntraEmuOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Base URL in issuers, when the emulator is reached through another address than it listens on. */
  publicUrl?: string;
  /** Clock for iat/nbf/exp; tests move it to mint tokens that are already expired. */
  now?: () => number;
  /** Serve HTTPS with this key and certificate (MSAL accepts only an https authority); default plain HTTP. */
  tls?: { key: string; cert: string };
  /**
   * Bot app registrations (app id -> client secret) whose client-credentials grant at
   * `<url>/botframework.com/oauth2/v2.0/token` is answered with a Bot Connector token; default none.
   */
  botApps?: Record<string, string>;
}

export interface TokenRequest {
  tenantId: string;
  aadObjectId: string;
  name: string;
  /** The tab app's Application ID URI (`api://host/<app id>`) or the app id. */
  audience: string;
  /** Lifetime; negative mints a token that has already expired. Default one hour, as Entra. */
  expiresInSeconds?: number;
  /** Defaults to a made-up sign-in name derived from `name`. */
  preferredUsername?: string;
  /** Delegated scopes (`scp`); default `['access_as_user']`, what a Teams SSO app exposes. */
  scopes?: string[];
  /**
   * Mint an app-only token instead (client credentials: `roles`, `idtyp: app`, no `scp` and no
   * user), the kind the tab must refuse. Default false: tokens are delegated, as Teams SSO's are.
   */
  appOnly?: boolean;
}

export interface EntraEmu {
  url: string;
  /** The issuer template the bot is configured with: `<url>/{tenantid}/v2.0`. */
  issuerTemplate: string;
  jwksUrl: string;
  /** Signs an access token as `POST /_emu/token` does, without the HTTP round trip. */
  issueToken(request: TokenRequest): Promise<string>;
  /** The Bot Connector's OpenID metadata, played here: the bot's BOT_OPENID_METADATA_URL in tests. */
  botOpenIdMetadataUrl: string;
  /** Signs a token as the Bot Connector sends with an activity (or a bad one, as the request says). */
  issueBotToken(request: BotTokenRequest): Promise<string>;
  /** The authority a bot gets its Bot Connector token from (`<url>/botframework.com`), for the `botApps`. */
  botLoginUrl: string;
  /** `iss` of those tokens; they are signed with the key at `jwksUrl`. */
  botAppTokenIssuer: string;
  close(): Promise<void>;
}

const GUIDISH = /^[0-9a-z-]{1,64}$/i;

/**
 * Plays Microsoft Entra for the tab's single sign-on: one RSA key served as a JWKS and access
 * tokens shaped like Entra's v2 tokens for a Teams SSO app (`scp: access_as_user`). The key is
 * new on each start, so a token from an earlier run fails verification as a forged one would.
 */
export async function startEntraEmu(options: EntraEmuOptions = {}): Promise<EntraEmu> {
  const now = options.now ?? Date.now;
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = `emu-${Math.random().toString(36).slice(2, 10)}`;
  const jwks: { keys: JWK[] } = { keys: [{ ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' }] };
  let baseUrl = '';
  const botFramework = createBotFrameworkIssuer({ now });
  const botAppTokens = createBotAppTokens({
    apps: options.botApps ?? {},
    sign: async ({ appId, audience }, issuer) => {
      const iat = Math.floor(now() / 1000);
      // v1-shaped, as Entra issues for the Bot Connector's resource: appid (and azp, its v2 name) is the caller.
      return new SignJWT({ appid: appId, azp: appId, appidacr: '1', idtyp: 'app', ver: '1.0' })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(appId)
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(iat + 3600)
        .sign(privateKey);
    },
  });

  const issueToken = async (request: TokenRequest): Promise<string> => {
    const problem = checkTokenRequest(request);
    if (problem) throw new Error(problem);
    const iat = Math.floor(now() / 1000);
    const lifetime = request.expiresInSeconds ?? 3600;
    return new SignJWT({
      tid: request.tenantId,
      oid: request.aadObjectId,
      name: request.name,
      ...(request.appOnly
        ? { roles: ['Tasks.ReadWrite.All'], idtyp: 'app' }
        : {
            preferred_username: request.preferredUsername ?? `${request.name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@contoso.example`,
            scp: (request.scopes ?? ['access_as_user']).join(' '),
          }),
      ver: '2.0',
      azp: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', // the Teams web client's app id, as in real SSO tokens
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .setIssuer(`${baseUrl}/${request.tenantId}/v2.0`)
      .setAudience(request.audience)
      .setSubject(`sub-${request.aadObjectId}`)
      .setIssuedAt(iat)
      .setNotBefore(Math.min(iat, iat + lifetime))
      .setExpirationTime(iat + lifetime)
      .sign(privateKey);
  };

  const listener: http.RequestListener = (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (botAppTokens.handle(req, path, baseUrl, (status, body) => send(res, status, body, { 'cache-control': 'no-store' }))) return;
    if (req.method === 'GET' && path === KEYS_PATH) {
      send(res, 200, jwks, { 'cache-control': 'public, max-age=300' });
      return;
    }
    if (req.method === 'GET' && path === BOT_OPENID_METADATA_PATH) {
      send(res, 200, botFramework.metadata(baseUrl), { 'cache-control': 'public, max-age=300' });
      return;
    }
    if (req.method === 'GET' && path === BOT_KEYS_PATH) {
      botFramework.jwks().then(
        (jwks) => send(res, 200, jwks, { 'cache-control': 'public, max-age=300' }),
        () => send(res, 500, { error: 'could not make the signing keys' }),
      );
      return;
    }
    if (req.method === 'POST' && path === TOKEN_PATH) {
      readJson(req).then(
        async (body) => {
          const request = body as TokenRequest;
          const problem = checkTokenRequest(request);
          if (problem) send(res, 400, { error: problem });
          else send(res, 200, { token: await issueToken(request) });
        },
        () => send(res, 400, { error: 'expected a JSON body' }),
      );
      return;
    }
    send(res, 404, { error: `no route ${req.method} ${path}; try GET ${KEYS_PATH} or POST ${TOKEN_PATH}` });
  };
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener) : http.createServer(listener);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  baseUrl = (options.publicUrl ?? `${options.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`).replace(/\/+$/, '');

  return {
    url: baseUrl,
    issuerTemplate: `${baseUrl}/{tenantid}/v2.0`,
    jwksUrl: `${baseUrl}${KEYS_PATH}`,
    issueToken,
    botOpenIdMetadataUrl: `${baseUrl}${BOT_OPENID_METADATA_PATH}`,
    issueBotToken: (request) => botFramework.sign(request),
    botLoginUrl: botAppTokens.loginUrl(baseUrl),
    botAppTokenIssuer: botAppTokens.issuer(baseUrl),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function checkTokenRequest(request: Partial<TokenRequest> | null | undefined): string | undefined {
  if (!request || typeof request !== 'object') return 'expected {tenantId, aadObjectId, name, audience}';
  for (const field of ['tenantId', 'aadObjectId', 'name', 'audience'] as const) {
    if (typeof request[field] !== 'string' || request[field].trim() === '') return `${field}: expected a non-empty string`;
  }
  if (!GUIDISH.test(request.tenantId!)) return 'tenantId: expected a tenant id (a GUID)';
  if (request.expiresInSeconds !== undefined && !Number.isInteger(request.expiresInSeconds)) return 'expiresInSeconds: expected whole seconds';
  if (request.scopes !== undefined && (!Array.isArray(request.scopes) || !request.scopes.every((s) => typeof s === 'string' && /^\S+$/.test(s)))) {
    return 'scopes: expected an array of scope names';
  }
  if (request.appOnly !== undefined && typeof request.appOnly !== 'boolean') return 'appOnly: expected true or false';
  return undefined;
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}
