import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../../src/start-jira-sim';
import { adfText, simClient, simControl } from '../support/sim-client';

// Mid-second, so a handful of requests stays inside one burst window of the frozen clock.
const AT = Date.UTC(2026, 5, 1, 12, 0, 0) + 250;

describe('jira-sim realism: three independent rate limits', () => {
  let sim: JiraSim;
  let now = AT;
  beforeEach(async () => {
    now = AT;
    sim = await startJiraSim({ now: () => now });
  });
  afterEach(() => sim.close());

  it('has no burst or per-issue limit by default', async () => {
    const alice = simClient(sim);
    for (let i = 0; i < 5; i++) {
      const res = await alice.put('/rest/api/3/issue/PHX-1', { fields: { summary: `Edit ${i}` } });
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('x-ratelimit-limit'), null);
    }
  });

  it('limits bursts per endpoint and method, API tokens included, with its own reason', async () => {
    await simControl(sim, 'POST', '/realism', { burstLimit: { enabled: true, perSecond: 2 } });
    const alice = simClient(sim);
    const first = await alice.get('/rest/api/3/issue/PHX-1');
    assert.equal(first.headers.get('x-ratelimit-limit'), '2');
    assert.equal(first.headers.get('x-ratelimit-remaining'), '1');
    assert.equal((await alice.get('/rest/api/3/issue/PHX-2')).status, 200, 'same endpoint, another issue: one budget');
    const refused = await alice.get('/rest/api/3/issue/PHX-3', { conform: false });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('ratelimit-reason'), 'jira-burst-based');
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal(refused.headers.get('x-ratelimit-reset'), '2026-06-01T12:00Z');
    assert.deepEqual(refused.body, { errorMessages: ['Rate limit exceeded.'], errors: {} });
    // Another endpoint, and another method on the same path, have budgets of their own.
    assert.equal((await alice.get('/rest/api/3/myself')).status, 200);
    assert.equal((await alice.put('/rest/api/3/issue/PHX-3', { fields: { summary: 'Still writable' } })).status, 204);
    now += 1000;
    assert.equal((await alice.get('/rest/api/3/issue/PHX-3')).status, 200, 'the next second has a fresh budget');
  });

  it('limits writes per issue, leaving other issues and reads alone, with its own reason', async () => {
    await simControl(sim, 'POST', '/realism', { issueWriteLimit: { enabled: true, writes: 2, windowSeconds: 30 } });
    const alice = simClient(sim);
    assert.equal((await alice.put('/rest/api/3/issue/PHX-1', { fields: { summary: 'One' } })).status, 204);
    const id = sim.state.issue('PHX-1')!.id;
    assert.equal((await alice.post(`/rest/api/3/issue/${id}/comment`, { body: adfText('Hello') })).status, 201, "the id shares the key's budget");
    const refused = await alice.put('/rest/api/3/issue/PHX-1', { fields: { summary: 'Three' } }, { conform: false });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('ratelimit-reason'), 'jira-per-issue-on-write');
    assert.equal(refused.headers.get('retry-after'), '30');
    assert.notEqual(sim.state.issue('PHX-1')!.values.summary, 'Three', 'a refused write changes nothing');
    assert.equal((await alice.get('/rest/api/3/issue/PHX-1')).status, 200, 'reads are not limited per issue');
    assert.equal((await alice.put('/rest/api/3/issue/PHX-2', { fields: { summary: 'Other' } })).status, 204);
    now += 30_000;
    assert.equal((await alice.put('/rest/api/3/issue/PHX-1', { fields: { summary: 'Later' } })).status, 204);
  });

  it('the realistic preset leaves API-token traffic out of the points quota', async () => {
    const before = await simClient(sim).get('/rest/api/3/myself');
    assert.match(before.headers.get('ratelimit') ?? '', /tenant-app-quota/, 'default: Basic is metered, for tests');
    const view = await simControl(sim, 'POST', '/realism', { preset: 'realistic' });
    assert.equal(view.burstLimit.enabled, true);
    assert.equal(view.issueWriteLimit.enabled, true);
    await simControl(sim, 'POST', '/rate-limit/exhaust');
    const res = await simClient(sim).get('/rest/api/3/myself');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('ratelimit'), null);
    assert.equal((await simControl(sim, 'GET', '/rate-limit')).settings.appliesTo, 'oauth');
  });

  it('refuses an unknown switch or a bad value instead of ignoring it', async () => {
    const res = await fetch(`${sim.url}/_sim/realism`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ burstLimt: true }) });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /Unknown realism switch 'burstLimt'/);
    const bad = await fetch(`${sim.url}/_sim/realism`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ searchLagMs: -1 }) });
    assert.equal(bad.status, 400);
  });
});
