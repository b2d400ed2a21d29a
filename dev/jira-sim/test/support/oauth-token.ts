import assert from 'node:assert/strict';
import type { JiraSim } from '../../src/start-jira-sim';

export const TEST_APP = {
  clientId: 'sim-test-app',
  clientSecret: 'sim-test-secret',
  redirectUris: ['http://127.0.0.1:9/callback'],
};

/** An OAuth access token for a seeded user, through the simulator's real consent and token endpoints. */
export async function oauthAccessToken(sim: JiraSim, email: string, scopes: string[]): Promise<string> {
  const user = sim.state.userByEmail(email) ?? assert.fail(`no seeded user ${email}`);
  if (!sim.oauth.clientSecretOf(TEST_APP.clientId)) sim.oauth.registerClient(TEST_APP);
  const authorize = new URL('/authorize', sim.url);
  const params = {
    audience: 'api.atlassian.com',
    client_id: TEST_APP.clientId,
    scope: scopes.join(' '),
    redirect_uri: TEST_APP.redirectUris[0],
    state: 'test',
    response_type: 'code',
    prompt: 'consent',
    account_id: user.accountId,
  };
  for (const [name, value] of Object.entries(params)) authorize.searchParams.set(name, value);
  const consent = await fetch(authorize, { redirect: 'manual' });
  const code = new URL(consent.headers.get('location') ?? '').searchParams.get('code') ?? assert.fail('no code in the redirect');
  const token = await fetch(`${sim.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'authorization_code',
      client_id: TEST_APP.clientId,
      client_secret: TEST_APP.clientSecret,
      code,
      redirect_uri: TEST_APP.redirectUris[0],
    }),
  });
  assert.equal(token.status, 200);
  return ((await token.json()) as { access_token: string }).access_token;
}
