import assert from 'node:assert/strict';
import https from 'node:https';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { BOT_CONNECTOR_AUDIENCE, makeSelfSignedCert, startEntraEmu, type EntraEmu } from '../src';

const APP_ID = '00000000-0000-0000-0000-0000000000b0';
const SECRET = `s-${Math.random().toString(36).slice(2)}`;

describe('entra-emu: a bot app token (client credentials over HTTPS)', () => {
  let emu: EntraEmu;
  let ca: string;
  before(async () => {
    const cert = makeSelfSignedCert();
    ca = cert.cert;
    emu = await startEntraEmu({ tls: cert, botApps: { [APP_ID]: SECRET } });
  });
  after(() => emu?.close());

  /** One HTTPS request trusting only the emulation's certificate. */
  function request(url: string, form?: Record<string, string>): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      const body = form ? new URLSearchParams(form).toString() : undefined;
      const req = https.request(url, { method: form ? 'POST' : 'GET', ca, agent: false, headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  const grant = (overrides: Record<string, string> = {}) =>
    request(`${emu.botLoginUrl}/oauth2/v2.0/token`, {
      grant_type: 'client_credentials',
      client_id: APP_ID,
      client_secret: SECRET,
      scope: `${BOT_CONNECTOR_AUDIENCE}/.default`,
      ...overrides,
    });

  it('serves the authority metadata MSAL reads, over https', async () => {
    assert.match(emu.botLoginUrl, /^https:\/\/127\.0\.0\.1:\d+\/botframework\.com$/);
    const { status, body } = await request(`${emu.botLoginUrl}/v2.0/.well-known/openid-configuration`);
    assert.equal(status, 200);
    assert.equal(body.token_endpoint, `${emu.botLoginUrl}/oauth2/v2.0/token`);
    for (const field of ['authorization_endpoint', 'issuer', 'jwks_uri']) assert.ok(body[field], field);
  });

  it('answers the app id and secret with a Bot Connector token that verifies against its keys', async () => {
    const { status, body } = await grant();
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.token_type, 'Bearer');
    assert.ok(body.expires_in > 0);
    const keys = (await request(emu.jwksUrl)).body as JSONWebKeySet;
    const { payload } = await jwtVerify(body.access_token, createLocalJWKSet(keys), { issuer: emu.botAppTokenIssuer, audience: BOT_CONNECTOR_AUDIENCE });
    assert.equal(payload.appid, APP_ID);
    assert.equal(payload.azp, APP_ID);
    assert.equal(payload.ver, '1.0');
  });

  it('refuses a wrong secret, an unknown app, a scope without /.default and another grant, as Entra does', async () => {
    const wrong = await grant({ client_secret: 'wrong' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid_client');
    assert.equal(wrong.body.access_token, undefined);
    assert.equal((await grant({ client_id: '00000000-0000-0000-0000-0000000000ff' })).body.error, 'unauthorized_client');
    assert.equal((await grant({ scope: BOT_CONNECTOR_AUDIENCE })).body.error, 'invalid_scope');
    assert.equal((await grant({ grant_type: 'password' })).body.error, 'unsupported_grant_type');
  });
});
