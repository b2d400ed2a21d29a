import assert from 'node:assert/strict';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { startEntraEmu, type EntraEmu } from '../src';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const USER = '0a0a0a0a-0000-4000-8000-000000000001';
const AUDIENCE = 'api://localhost:3978/00000000-0000-0000-0000-0000000000b0';

describe('entra-emu', () => {
  let emu: EntraEmu;
  before(async () => {
    emu = await startEntraEmu();
  });
  after(() => emu.close());

  const mint = async (body: unknown) => {
    const response = await fetch(`${emu.url}/_emu/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as { token?: string; error?: string } };
  };

  it('issues RS256 tokens shaped like Entra v2 access tokens that verify against its JWKS', async () => {
    const { status, body } = await mint({ tenantId: TENANT, aadObjectId: USER, name: 'Alice Admin', audience: AUDIENCE });
    assert.equal(status, 200);
    const token = body.token!;
    assert.equal(decodeProtectedHeader(token).alg, 'RS256');
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(emu.jwksUrl)), {
      issuer: `${emu.url}/${TENANT}/v2.0`,
      audience: AUDIENCE,
    });
    assert.equal(payload.tid, TENANT);
    assert.equal(payload.oid, USER);
    assert.equal(payload.name, 'Alice Admin');
    assert.equal(payload.scp, 'access_as_user');
    assert.equal(payload.ver, '2.0');
    assert.match(String(payload.preferred_username), /@/);
    assert.equal(payload.exp! - payload.iat!, 3600);
    assert.ok(payload.nbf! <= payload.iat!);
    assert.equal(emu.issuerTemplate.replace('{tenantid}', TENANT), payload.iss);
  });

  it('mints already expired tokens on request, which jose then refuses', async () => {
    const token = await emu.issueToken({ tenantId: TENANT, aadObjectId: USER, name: 'Alice', audience: AUDIENCE, expiresInSeconds: -60 });
    await assert.rejects(jwtVerify(token, createRemoteJWKSet(new URL(emu.jwksUrl))), errors.JWTExpired);
  });

  it('signs with a key of its own: another emulator does not accept its tokens', async () => {
    const other = await startEntraEmu();
    try {
      const token = await other.issueToken({ tenantId: TENANT, aadObjectId: USER, name: 'Alice', audience: AUDIENCE });
      await assert.rejects(jwtVerify(token, createRemoteJWKSet(new URL(emu.jwksUrl))));
    } finally {
      await other.close();
    }
  });

  it('answers a bad token request with 400 naming the field, and unknown paths with 404', async () => {
    const missing = await mint({ tenantId: TENANT, name: 'Alice', audience: AUDIENCE });
    assert.equal(missing.status, 400);
    assert.match(missing.body.error!, /^aadObjectId:/);
    const notJson = await fetch(`${emu.url}/_emu/token`, { method: 'POST', body: 'nope' });
    assert.equal(notJson.status, 400);
    assert.equal((await fetch(`${emu.url}/elsewhere`)).status, 404);
  });

  describe("as the Bot Connector's token issuer", () => {
    const BOT = '00000000-0000-0000-0000-0000000000b0';
    const SERVICE_URL = 'https://smba.trafficmanager.net/amer/';

    async function botKeys() {
      const metadata = (await (await fetch(emu.botOpenIdMetadataUrl)).json()) as { issuer: string; jwks_uri: string };
      assert.equal(metadata.issuer, 'https://api.botframework.com');
      return { metadata, keys: createRemoteJWKSet(new URL(metadata.jwks_uri)) };
    }

    it('serves OpenID metadata whose keys verify its Bot Connector tokens, with the claims the bot checks', async () => {
      const { metadata, keys } = await botKeys();
      const jwks = (await (await fetch(metadata.jwks_uri)).json()) as { keys: Array<{ kty: string; n?: string; e?: string; endorsements?: string[] }> };
      assert.equal(jwks.keys[0].kty, 'RSA');
      assert.ok(jwks.keys[0].n && jwks.keys[0].e, 'botbuilder builds its PEM from n and e');
      assert.deepEqual(jwks.keys[0].endorsements, ['msteams']);

      const token = await emu.issueBotToken({ appId: BOT, serviceUrl: SERVICE_URL });
      const { payload, protectedHeader } = await jwtVerify(token, keys, { issuer: 'https://api.botframework.com', audience: BOT });
      assert.equal(protectedHeader.alg, 'RS256');
      assert.equal(payload.serviceurl, SERVICE_URL);
      assert.equal(payload.exp! - payload.nbf!, 3600);
    });

    it('mints the bad tokens a test asks for: forged, expired, not yet valid, another issuer', async () => {
      const { keys } = await botKeys();
      const forged = await emu.issueBotToken({ appId: BOT, serviceUrl: SERVICE_URL, signedBy: 'unpublished-key' });
      assert.equal(
        decodeProtectedHeader(forged).kid,
        ((await (await fetch(emu.botOpenIdMetadataUrl.replace('openidconfiguration', 'keys'))).json()) as { keys: Array<{ kid: string }> }).keys[0].kid,
      );
      await assert.rejects(jwtVerify(forged, keys), errors.JWSSignatureVerificationFailed);
      await assert.rejects(jwtVerify(await emu.issueBotToken({ appId: BOT, serviceUrl: SERVICE_URL, expiresInSeconds: -60 }), keys), errors.JWTExpired);
      await assert.rejects(jwtVerify(await emu.issueBotToken({ appId: BOT, serviceUrl: SERVICE_URL, notBeforeInSeconds: 600 }), keys), errors.JWTClaimValidationFailed);
      const other = await emu.issueBotToken({ appId: BOT, serviceUrl: SERVICE_URL, issuer: 'https://sts.example.com' });
      await assert.rejects(jwtVerify(other, keys, { issuer: 'https://api.botframework.com' }), errors.JWTClaimValidationFailed);
    });
  });
});
