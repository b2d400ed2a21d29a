import type { IncomingMessage } from 'node:http';

/** The tenant a multi-tenant bot asks for its Bot Connector token (botframework-connector's ToChannelFromBotLoginUrl). */
export const BOT_FRAMEWORK_TENANT = 'botframework.com';
/** The Bot Connector's resource: the `aud` of a bot's outbound token (its scope is `<this>/.default`). */
export const BOT_CONNECTOR_AUDIENCE = 'https://api.botframework.com';

export interface BotAppTokenClaims {
  appId: string;
  audience: string;
}

export interface BotAppTokens {
  /** The authority a bot's MSAL is given: `<url>/botframework.com`. */
  loginUrl(baseUrl: string): string;
  /** `iss` of the app tokens: the emulation's stand-in for `https://sts.windows.net/<tenant id>/`. */
  issuer(baseUrl: string): string;
  /** Answers the authority's OpenID metadata and token requests; false for any other path. */
  handle(req: IncomingMessage, path: string, baseUrl: string, reply: (status: number, body: unknown) => void): boolean;
}

type Answer = { status: number; body: unknown };

/**
 * Plays Entra's token endpoint for a bot's client-credentials grant (the call MSAL makes for
 * botbuilder before every Bot Connector call): `POST /botframework.com/oauth2/v2.0/token` with the
 * app id and secret, answered with a v1-shaped access token for the Bot Connector (`aud`
 * https://api.botframework.com, `appid` and `azp` the app id). A wrong secret or unknown app gets
 * Entra's `invalid_client` (401), so a bot with a bad password gets no token at all.
 */
export function createBotAppTokens(options: { apps: Record<string, string>; sign: (claims: BotAppTokenClaims, issuer: string) => Promise<string> }): BotAppTokens {
  const tenantPrefix = `/${BOT_FRAMEWORK_TENANT}`;
  const issuer = (baseUrl: string) => `${baseUrl}${tenantPrefix}/`;

  const tokenAnswer = async (form: URLSearchParams, baseUrl: string): Promise<Answer> => {
    if (form.get('grant_type') !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'AADSTS70003: only client_credentials is played here.');
    const appId = form.get('client_id') ?? '';
    const secret = options.apps[appId];
    if (secret === undefined) return oauthError(400, 'unauthorized_client', `AADSTS700016: Application not found in the directory '${BOT_FRAMEWORK_TENANT}'.`);
    if (form.get('client_secret') !== secret) return oauthError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    const scope = form.get('scope') ?? '';
    const resource = scope.split(' ').find((s) => s.endsWith('/.default'));
    if (!resource)
      return oauthError(400, 'invalid_scope', 'AADSTS1002012: The provided value for scope is not valid. Client credential flows must have a scope value with /.default.');
    const token = await options.sign({ appId, audience: resource.slice(0, -'/.default'.length) }, issuer(baseUrl));
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token } };
  };

  return {
    loginUrl: (baseUrl) => `${baseUrl}${tenantPrefix}`,
    issuer,
    handle(req, path, baseUrl, reply) {
      if (req.method === 'GET' && path === `${tenantPrefix}/v2.0/.well-known/openid-configuration`) {
        reply(200, {
          issuer: `${baseUrl}${tenantPrefix}/v2.0`,
          authorization_endpoint: `${baseUrl}${tenantPrefix}/oauth2/v2.0/authorize`,
          token_endpoint: `${baseUrl}${tenantPrefix}/oauth2/v2.0/token`,
          jwks_uri: `${baseUrl}${tenantPrefix}/discovery/v2.0/keys`,
          token_endpoint_auth_methods_supported: ['client_secret_post'],
          response_types_supported: ['token'],
        });
        return true;
      }
      if (req.method === 'POST' && path === `${tenantPrefix}/oauth2/v2.0/token`) {
        readForm(req)
          .then((form) => tokenAnswer(form, baseUrl))
          .then(
            (answer) => reply(answer.status, answer.body),
            () => reply(400, { error: 'invalid_request', error_description: 'expected an application/x-www-form-urlencoded body' }),
          );
        return true;
      }
      return false;
    },
  };
}

function oauthError(status: number, error: string, description: string): Answer {
  return { status, body: { error, error_description: description, error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)] } };
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16 * 1024) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
