import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../src/start-jira-sim';
import { simClient, simControl } from './support/sim-client';

const HOUR_START = Date.UTC(2026, 5, 1, 12, 0, 0);

function remaining(header: string | null): number {
  const match = /;r=(\d+);t=(\d+)/.exec(header ?? '');
  assert.ok(match, `no r/t in ${header}`);
  return Number(match[1]);
}

describe('jira-sim points-based rate limiting', () => {
  let sim: JiraSim;
  let now = HOUR_START;
  afterEach(() => sim.close());

  it('reports the quota and charges a point per request plus a point per object read', async () => {
    now = HOUR_START + 600_000;
    sim = await startJiraSim({ now: () => now, rateLimit: { budget: 1000 } });
    const alice = simClient(sim);
    const first = await alice.get('/rest/api/3/issue/PHX-1');
    assert.equal(first.headers.get('ratelimit-policy'), '"tenant-app-quota";q=1000;w=3600');
    assert.equal(first.headers.get('ratelimit'), '"tenant-app-quota";r=998;t=3000');
    const search = await alice.get('/rest/api/3/search/jql?jql=project%20%3D%20PHX&maxResults=10');
    assert.equal(remaining(search.headers.get('ratelimit')), 998 - 11);
    const write = await alice.put('/rest/api/3/issue/PHX-1', { fields: { summary: 'Renamed' } });
    assert.equal(remaining(write.headers.get('ratelimit')), 998 - 11 - 1);
  });

  it("answers 429 with Retry-After once the hour's budget is spent, and recovers in the next window", async () => {
    now = HOUR_START + 3_000_000;
    sim = await startJiraSim({ now: () => now, rateLimit: { budget: 5 } });
    const alice = simClient(sim);
    // Each read of one issue costs 2 points; a request runs while any budget is left.
    for (let i = 0; i < 3; i++) assert.equal((await alice.get('/rest/api/3/issue/PHX-1')).status, 200);
    const refused = await alice.get('/rest/api/3/issue/PHX-1', { conform: false });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '600');
    assert.equal(refused.headers.get('ratelimit-reason'), 'jira-quota-tenant-based');
    assert.equal(refused.headers.get('x-ratelimit-reset'), '2026-06-01T13:00Z');
    assert.deepEqual(refused.body, { errorMessages: ['Rate limit exceeded.'], errors: {} });
    now = HOUR_START + 3_600_000 + 1;
    const again = await alice.get('/rest/api/3/issue/PHX-1');
    assert.equal(again.status, 200);
    assert.equal(remaining(again.headers.get('ratelimit')), 3);
  });

  it('in beta mode reports Beta- headers and never refuses', async () => {
    sim = await startJiraSim({ now: () => now, rateLimit: { mode: 'beta', budget: 2 } });
    const alice = simClient(sim);
    for (let i = 0; i < 4; i++) {
      const res = await alice.get('/rest/api/3/myself');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('ratelimit'), null);
      assert.match(res.headers.get('beta-ratelimit') ?? '', /^"tenant-app-quota";r=\d+;t=\d+$/);
      assert.equal(res.headers.get('beta-ratelimit-policy'), '"tenant-app-quota";q=2;w=3600');
    }
  });

  it('is reconfigured and exhausted at run time through /_sim/rate-limit', async () => {
    sim = await startJiraSim({ now: () => now });
    const alice = simClient(sim);
    await simControl(sim, 'POST', '/rate-limit/exhaust');
    assert.equal((await alice.get('/rest/api/3/myself', { conform: false })).status, 429);
    await simControl(sim, 'POST', '/rate-limit', { mode: 'beta' });
    assert.equal((await alice.get('/rest/api/3/myself')).status, 200);
    await simControl(sim, 'POST', '/rate-limit', { mode: 'enforced', budget: 100, remaining: 50 });
    const res = await alice.get('/rest/api/3/serverInfo');
    assert.equal(remaining(res.headers.get('ratelimit')), 49);
    const view = await simControl(sim, 'GET', '/rate-limit');
    assert.equal(view.remaining, 49);
  });

  it('can meter OAuth apps only, as Jira does, leaving API-token traffic alone', async () => {
    sim = await startJiraSim({ now: () => now, rateLimit: { appliesTo: 'oauth', budget: 1 } });
    const alice = simClient(sim);
    for (let i = 0; i < 3; i++) {
      const res = await alice.get('/rest/api/3/myself');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('ratelimit'), null);
    }
  });
});
