import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { jwtVerify } from 'jose';
import { startJiraSim, type JiraSim } from '../../src/start-jira-sim';
import { simClient } from '../support/sim-client';
import { startReceiver, type Receiver } from './webhook-harness';

const APP = { clientId: 'teams-bot', clientSecret: 'bot-secret', redirectUris: ['http://127.0.0.1:3978/auth/jira/callback'] };
const SCOPES = 'read:jira-work write:jira-work read:jira-user manage:jira-webhook offline_access';

/**
 * The path the bot takes, against the assembled simulator: consent, token exchange, accessible
 * resources, dynamic webhook registration through the API gateway, a change, the signed callback,
 * and the grant revoked.
 */
describe('OAuth apps and webhooks through the assembled simulator', () => {
  let sim: JiraSim;
  let receiver: Receiver;
  beforeEach(async () => {
    sim = await startJiraSim({ oauthClients: [APP], webhookRetry: { attempts: 2, baseDelayMs: 5, timeoutMs: 1000 } });
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  async function connect(email: string) {
    const user = sim.state.userByEmail(email) ?? assert.fail(`no seeded ${email}`);
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL('/authorize', sim.url);
    for (const [name, value] of Object.entries({
      audience: 'api.atlassian.com',
      client_id: APP.clientId,
      scope: SCOPES,
      redirect_uri: APP.redirectUris[0],
      state: 'xyz',
      response_type: 'code',
      prompt: 'consent',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      account_id: user.accountId,
    })) {
      authorize.searchParams.set(name, value);
    }
    const consent = await fetch(authorize, { redirect: 'manual' });
    const code = new URL(consent.headers.get('location') ?? '').searchParams.get('code') ?? assert.fail('no code');
    const token = await fetch(`${sim.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        client_id: APP.clientId,
        client_secret: APP.clientSecret,
        code,
        redirect_uri: APP.redirectUris[0],
        code_verifier: verifier,
      }),
    });
    assert.equal(token.status, 200);
    return { user, tokens: (await token.json()) as { access_token: string; refresh_token: string } };
  }

  it('delivers a signed callback for a matching change, and stops honouring a revoked grant', async () => {
    const { user, tokens } = await connect('alice@example.com');
    const resources = await fetch(`${sim.url}/oauth/token/accessible-resources`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const [site] = (await resources.json()) as Array<{ id: string; scopes: string[] }>;
    assert.equal(site.id, sim.cloudId);
    assert.ok(site.scopes.includes('manage:jira-webhook'));

    const app = simClient(sim, { bearer: tokens.access_token });
    const registered = await app.post('/rest/api/3/webhook', {
      url: receiver.url,
      webhooks: [
        { events: ['jira:issue_created'], jqlFilter: 'project = PHX' },
        { events: ['jira:issue_created'], jqlFilter: 'project = KAN' },
      ],
    });
    const [phx, kan] = (registered.body.webhookRegistrationResult as Array<{ createdWebhookId: number }>).map((r) => r.createdWebhookId);
    assert.ok(phx && kan);
    assert.equal((await app.get('/rest/api/3/webhook')).body.total, 2);

    const types = await simClient(sim).get('/rest/api/3/issue/createmeta/PHX/issuetypes');
    const issueType = (types.body.issueTypes as Array<{ id: string }>)[0].id;
    const created = await simClient(sim).post('/rest/api/3/issue', {
      fields: { project: { key: 'PHX' }, summary: 'Webhook end to end', issuetype: { id: issueType } },
    });
    assert.equal(created.status, 201);

    const [call] = await receiver.waitForCalls(1);
    const body = JSON.parse(call.rawBody) as { webhookEvent: string; matchedWebhookIds: number[]; issue: { key: string } };
    assert.equal(body.webhookEvent, 'jira:issue_created');
    assert.equal(body.issue.key, created.body.key);
    assert.deepEqual(body.matchedWebhookIds, [phx]);
    const jwt = String(call.headers.authorization).replace(/^Bearer /, '');
    const { payload } = await jwtVerify(jwt, new TextEncoder().encode(APP.clientSecret), { currentDate: new Date(sim.clock.now()) });
    assert.equal(payload.sub, user.accountId);

    sim.oauth.revokeGrant(user.accountId, APP.clientId);
    assert.equal((await app.get('/rest/api/3/webhook', { conform: false })).status, 401);
    const refreshed = await fetch(`${sim.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', client_id: APP.clientId, client_secret: APP.clientSecret, refresh_token: tokens.refresh_token }),
    });
    assert.equal(refreshed.status, 403);
    assert.equal(((await refreshed.json()) as { error: string }).error, 'invalid_grant');
  });

  it('refuses dynamic webhook registration over Basic auth', async () => {
    const res = await simClient(sim).post('/rest/api/3/webhook', { url: receiver.url, webhooks: [{ events: ['jira:issue_created'], jqlFilter: 'project = PHX' }] });
    assert.equal(res.status, 403);
  });
});
