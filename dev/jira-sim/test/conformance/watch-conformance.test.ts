import assert from 'node:assert/strict';
import { startJiraSim } from '../../src/start-jira-sim';
import { SKIP_CONFORMANCE_HEADER } from '../../src/conformance/watch-conformance';
import { oauthAccessToken } from '../support/oauth-token';

/**
 * The simulator's own spec check, which the bot's integration tests run under: every Jira API
 * exchange, whoever sends it, is checked against the spec and a strict simulator fails on close.
 */
describe('jira-sim conformance mode', () => {
  const call = (url: string, init: RequestInit & { auth: string }) =>
    fetch(url, { ...init, headers: { authorization: init.auth, 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });

  it('passes conforming exchanges, over Basic auth and the OAuth gateway alike, and closes cleanly', async () => {
    const sim = await startJiraSim({ conformance: 'strict' });
    const auth = sim.basicAuth('bob@example.com');
    assert.equal((await call(`${sim.url}/rest/api/3/issue/PHX-1`, { auth })).status, 200);
    assert.equal((await call(`${sim.url}/rest/api/3/issue/PHX-1/comment`, { auth, method: 'POST', body: JSON.stringify({ body: adf('hi') }) })).status, 201);
    assert.equal((await call(`${sim.url}/rest/agile/1.0/issue/rank`, { auth, method: 'PUT', body: JSON.stringify({ issues: ['PHX-2'], rankBeforeIssue: 'PHX-1' }) })).status, 204);
    const bearer = `Bearer ${await oauthAccessToken(sim, 'bob@example.com', ['read:jira-work'])}`;
    assert.equal((await call(`${sim.gatewayUrl}/rest/api/3/issue/PHX-1?fields=summary`, { auth: bearer })).status, 200);
    assert.equal(sim.conformance.checked(), 4);
    assert.deepEqual(sim.conformance.violations(), []);
    await sim.close();
  });

  it('is strict by default in a test run, so every test that starts a simulator checks its traffic', async () => {
    const sim = await startJiraSim();
    assert.equal(sim.conformance.mode, process.env.JIRA_SIM_CONFORMANCE?.trim() || 'strict');
    await sim.close();
  });

  it('fails close() in strict mode, naming each request that departs from the spec', async () => {
    const sim = await startJiraSim({ conformance: 'strict' });
    const auth = sim.basicAuth('bob@example.com');
    // `body` must be an ADF document; the simulator answers 400 as Jira would, and the check names the request too.
    await call(`${sim.url}/rest/api/3/issue/PHX-1/comment`, { auth, method: 'POST', body: JSON.stringify({ body: 'plain text' }) });
    await call(`${sim.url}/rest/agile/1.0/issue/rank`, { auth, method: 'PUT', body: JSON.stringify({ issues: 'PHX-2', rankBeforeIssue: 'PHX-1' }) });
    const violations = sim.conformance.violations();
    assert.ok(
      violations.some((v) => v.startsWith('PUT /rest/agile/1.0/issue/rank -> ') && v.includes('request /issues must be array')),
      violations.join('\n'),
    );
    await assert.rejects(sim.close(), (err: Error) => /depart from Jira's OpenAPI spec/.test(err.message) && err.message.includes('/rest/agile/1.0/issue/rank'));
  });

  it('checks responses too: their body, status and the rate-limit headers the bot reads', async () => {
    const sim = await startJiraSim({ conformance: 'record' });
    const auth = sim.basicAuth('bob@example.com');
    sim.faults.add({ method: 'GET', pathPrefix: '/rest/api/3/myself', status: 429, retryAfterSeconds: 1.5, count: 1 });
    sim.faults.add({ method: 'GET', pathPrefix: '/rest/api/3/serverInfo', status: 200, body: { baseUrl: 1 }, count: 1 });
    assert.equal((await call(`${sim.url}/rest/api/3/myself`, { auth })).status, 429);
    assert.equal((await call(`${sim.url}/rest/api/3/serverInfo`, { auth })).status, 200);
    const violations = sim.conformance.violations();
    assert.ok(violations.includes('GET /rest/api/3/myself -> 429: header Retry-After must be whole seconds, got 1.5'), violations.join('\n'));
    assert.ok(violations.includes('GET /rest/api/3/serverInfo -> 200: response /baseUrl must be string {"type":"string"}'), violations.join('\n'));
    await sim.close(); // 'record' lists violations without failing
  });

  it('skips exchanges a test client checks itself, and checks nothing when off', async () => {
    const strict = await startJiraSim({ conformance: 'strict' });
    const auth = strict.basicAuth('bob@example.com');
    await call(`${strict.url}/rest/agile/1.0/issue/rank`, { auth, method: 'PUT', headers: { [SKIP_CONFORMANCE_HEADER]: '1' }, body: JSON.stringify({ issues: 'PHX-2' }) });
    assert.equal(strict.conformance.checked(), 0);
    await strict.close();
    const off = await startJiraSim({ conformance: 'off' });
    await call(`${off.url}/rest/agile/1.0/issue/rank`, { auth: off.basicAuth('bob@example.com'), method: 'PUT', body: JSON.stringify({ issues: 'PHX-2' }) });
    assert.deepEqual(off.conformance.violations(), []);
    await off.close();
  });
});

function adf(text: string) {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}
