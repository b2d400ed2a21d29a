import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../../src/start-jira-sim';
import { oauthAccessToken, TEST_APP } from '../support/oauth-token';
import { simClient, simControl } from '../support/sim-client';
import { startReceiver, type Receiver } from '../webhooks/webhook-harness';

const SCOPES = ['read:jira-work', 'write:jira-work', 'manage:jira-webhook'];

describe('jira-sim realism: dynamic webhooks of a private OAuth app', () => {
  let sim: JiraSim;
  let receiver: Receiver;
  beforeEach(async () => {
    sim = await startJiraSim({ webhookRetry: { attempts: 1, baseDelayMs: 5, timeoutMs: 1000 } });
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  /** Bob (not the app owner) and Alice (the default owner: the first site admin) each register one webhook. */
  async function registerAsBobAndAlice(): Promise<{ bobHook: number; aliceHook: number }> {
    const ids: number[] = [];
    for (const email of ['bob@example.com', 'alice@example.com']) {
      const app = simClient(sim, { bearer: await oauthAccessToken(sim, email, SCOPES) });
      const res = await app.post('/rest/api/3/webhook', {
        url: `${receiver.url}/${email.split('@')[0]}`,
        webhooks: [{ events: ['jira:issue_updated'], jqlFilter: 'project = PHX' }],
      });
      ids.push((res.body.webhookRegistrationResult as Array<{ createdWebhookId: number }>)[0].createdWebhookId);
    }
    return { bobHook: ids[0], aliceHook: ids[1] };
  }

  async function hooksCalledAfterAChange(): Promise<number[][]> {
    await simClient(sim).put('/rest/api/3/issue/PHX-1', { fields: { summary: 'Changed for the webhooks' } });
    await simControl(sim, 'POST', '/webhooks/idle', { timeoutMs: 3000 });
    return receiver.calls.map((c) => (JSON.parse(c.rawBody) as { matchedWebhookIds: number[] }).matchedWebhookIds).sort();
  }

  it('delivers every registration by default', async () => {
    const { bobHook, aliceHook } = await registerAsBobAndAlice();
    assert.deepEqual(await hooksCalledAfterAChange(), [[bobHook], [aliceHook]].sort());
  });

  it("delivers only the app owner's registrations with privateAppOwnerOnly", async () => {
    await simControl(sim, 'POST', '/realism', { privateAppOwnerOnly: true });
    const { bobHook, aliceHook } = await registerAsBobAndAlice();
    assert.deepEqual(await hooksCalledAfterAChange(), [[aliceHook]]);
    const listed = await simClient(sim, { bearer: await oauthAccessToken(sim, 'bob@example.com', SCOPES) }).get('/rest/api/3/webhook');
    assert.deepEqual(
      (listed.body.values as Array<{ id: number }>).map((w) => w.id),
      [bobHook],
      "Bob's registration exists, it is just never delivered",
    );
  });

  it('takes the owner from appOwners', async () => {
    await simControl(sim, 'POST', '/realism', { privateAppOwnerOnly: true, appOwners: { [TEST_APP.clientId]: sim.state.userByEmail('bob@example.com')!.accountId } });
    const { bobHook } = await registerAsBobAndAlice();
    assert.deepEqual(await hooksCalledAfterAChange(), [[bobHook]]);
  });
});
