import assert from 'node:assert/strict';
import { readSimEnv } from '../src/read-sim-env';
import { startJiraSim } from '../src/start-jira-sim';

describe('readSimEnv', () => {
  it('defaults to port 3990 and the demo seed', () => {
    assert.deepEqual(readSimEnv({}), { port: 3990, publicUrl: undefined, conformance: 'off' });
  });

  it('maps the rate limit and an OAuth app', () => {
    const options = readSimEnv({
      JIRA_SIM_PORT: '0',
      JIRA_SIM_RATE_LIMIT_MODE: 'beta',
      JIRA_SIM_RATE_LIMIT_BUDGET: '500',
      JIRA_SIM_OAUTH_CLIENT_ID: 'bot',
      JIRA_SIM_OAUTH_CLIENT_SECRET: 's3cret',
      JIRA_SIM_OAUTH_REDIRECT_URIS: 'http://localhost:3978/auth/jira/callback, http://127.0.0.1:3978/cb',
    });
    assert.equal(options.port, 0);
    assert.deepEqual(options.rateLimit, { mode: 'beta', budget: 500 });
    assert.deepEqual(options.oauthClients?.[0].redirectUris, ['http://localhost:3978/auth/jira/callback', 'http://127.0.0.1:3978/cb']);
  });

  it('turns the realistic preset on for npm start, and refuses an unknown one', async () => {
    assert.equal(readSimEnv({ JIRA_SIM_REALISM: 'realistic' }).realism, 'realistic');
    assert.throws(() => readSimEnv({ JIRA_SIM_REALISM: 'real' }), /JIRA_SIM_REALISM must be realistic or default/);
    const sim = await startJiraSim({ ...readSimEnv({ JIRA_SIM_PORT: '0', JIRA_SIM_REALISM: 'realistic' }) });
    try {
      assert.equal(sim.realism().webhookRestV2, true);
      assert.equal(sim.realism().searchLagMs > 0, true);
      assert.equal(sim.rateLimit.settings.appliesTo, 'oauth');
    } finally {
      await sim.close();
    }
  });

  it('names every bad variable', () => {
    assert.throws(() => readSimEnv({ JIRA_SIM_PORT: '99999', JIRA_SIM_SEED: 'big', JIRA_SIM_OAUTH_CLIENT_ID: 'bot' }), /JIRA_SIM_PORT.*JIRA_SIM_SEED.*JIRA_SIM_OAUTH_CLIENT_ID/);
  });
});
