import assert from 'node:assert/strict';
import { startEntraEmu, type EntraEmu } from '../../../dev/entra-emu/src';
import { readConfig } from '../../src/config';
import { tabTokenVerifier } from '../../src/meetings/verify-tab-token';
import { tabClient } from '../meetings/tab-client';
import { startTestBot, type TestBot } from '../support/start-test-bot';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '11111111-2222-4333-8444-555555555555';
const BOT_ID = '00000000-0000-4000-8000-0000000000b0';
const AUDIENCE = `api://localhost/${BOT_ID}`;
const ALICE = { tenantId: TENANT, aadObjectId: 'a11ce000-0000-4000-8000-000000000001', name: 'Alice Admin', audience: AUDIENCE };

/**
 * Issue #15 item 8: the tab's SSO check must accept only a delegated user token carrying the app's
 * scope, from an allowed tenant. An app-only token (client credentials) names a service principal,
 * not a person, and must not pass for one.
 */
describe('security: tab SSO takes delegated user tokens only', () => {
  let emu: EntraEmu;
  let testBot: TestBot;
  let api: ReturnType<typeof tabClient>;

  before(async () => {
    emu = await startEntraEmu();
    testBot = await startTestBot({ TAB_SSO_AUDIENCE: AUDIENCE, TAB_SSO_JWKS_URL: emu.jwksUrl, TAB_SSO_ISSUER: emu.issuerTemplate });
    api = tabClient(testBot.bot.url);
  });
  after(async () => {
    await testBot?.close();
    await emu?.close();
  });

  it('accepts the delegated token Teams SSO gives the tab (scp access_as_user)', async () => {
    const answer = await api(await emu.issueToken(ALICE), 'GET', '/backlogs/no-such-backlog');
    assert.notEqual(answer.status, 401, JSON.stringify(answer.body));
  });

  it('refuses an app-only token for the same audience and tenant with 401', async () => {
    const answer = await api(await emu.issueToken({ ...ALICE, appOnly: true }), 'GET', '/backlogs/no-such-backlog');
    assert.equal(answer.status, 401, JSON.stringify(answer.body));
    assert.equal(answer.body.error.code, 'unauthenticated');
  });

  it('refuses a delegated token issued for another scope of the app', async () => {
    const answer = await api(await emu.issueToken({ ...ALICE, scopes: ['User.Read'] }), 'GET', '/backlogs/no-such-backlog');
    assert.equal(answer.status, 401);
  });

  it('refuses a token that claims idtyp app even with a scope', async () => {
    // Not something Entra issues, but a verifier that looked only at scp would take it.
    const verify = tabTokenVerifier({ audiences: [AUDIENCE], jwksUrl: emu.jwksUrl, issuerTemplate: emu.issuerTemplate });
    await assert.rejects(verify(`Bearer ${await emu.issueToken({ ...ALICE, appOnly: true, scopes: ['access_as_user'] })}`), { code: 'unauthenticated' });
  });

  it('a single-tenant bot takes tab users of its own tenant only', async () => {
    const config = readConfig({
      BOT_ID,
      BOT_PASSWORD: 'secret',
      BOT_TYPE: 'SingleTenant',
      BOT_TENANT_ID: TENANT,
      TAB_SSO_AUDIENCE: AUDIENCE,
      TAB_SSO_JWKS_URL: emu.jwksUrl,
      TAB_SSO_ISSUER: emu.issuerTemplate,
    });
    const verify = tabTokenVerifier(config.tab.sso!);
    const own = await verify(`Bearer ${await emu.issueToken(ALICE)}`);
    assert.deepEqual(own.owner, { tenantId: TENANT, userId: ALICE.aadObjectId });
    await assert.rejects(verify(`Bearer ${await emu.issueToken({ ...ALICE, tenantId: OTHER_TENANT })}`), { code: 'unauthenticated' });

    const multi = tabTokenVerifier(
      readConfig({ BOT_ID, BOT_PASSWORD: 'secret', TAB_SSO_AUDIENCE: AUDIENCE, TAB_SSO_JWKS_URL: emu.jwksUrl, TAB_SSO_ISSUER: emu.issuerTemplate }).tab.sso!,
    );
    assert.equal((await multi(`Bearer ${await emu.issueToken({ ...ALICE, tenantId: OTHER_TENANT })}`)).owner.tenantId, OTHER_TENANT);
  });
});
