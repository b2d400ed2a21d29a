import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../src/start-jira-sim';
import { simClient, simControl } from './support/sim-client';

describe('jira-sim /_sim control endpoints', () => {
  let sim: JiraSim;
  beforeEach(async () => {
    sim = await startJiraSim();
  });
  afterEach(() => sim.close());

  it('resets to the seed, or to an empty site', async () => {
    const alice = simClient(sim);
    await alice.put('/rest/api/3/issue/PHX-1', { fields: { summary: 'Changed' } });
    await simControl(sim, 'POST', '/reset');
    assert.notEqual(sim.state.issue('PHX-1')!.values.summary, 'Changed');
    assert.equal(sim.changes.length, 0);
    const empty = await simControl(sim, 'POST', '/reset', { seed: 'empty' });
    assert.equal(empty.issues, 0);
    assert.equal((await alice.get('/rest/api/3/project/search')).body.total, 0);
  });

  it('moves the clock that dates every change', async () => {
    await simControl(sim, 'POST', '/clock', { now: '2030-01-01T00:00:00Z' });
    const alice = simClient(sim);
    await alice.put('/rest/api/3/issue/PHX-1', { fields: { summary: 'Later' } });
    assert.match((await alice.get('/rest/api/3/issue/PHX-1?fields=updated')).body.fields.updated, /^2030-01-01T00:00/);
    const advanced = await simControl(sim, 'POST', '/clock', { advanceMs: 86_400_000 });
    assert.match(advanced.iso, /^2030-01-02T00:00/);
  });

  it('fails the next N matching requests with the status asked for, then recovers', async () => {
    await simControl(sim, 'POST', '/faults', { status: 503, count: 2, pathPrefix: '/rest/api/3/issue', retryAfterSeconds: 1 });
    const alice = simClient(sim);
    assert.equal((await alice.get('/rest/api/3/myself')).status, 200, 'other paths are untouched');
    const first = await alice.get('/rest/api/3/issue/PHX-1', { conform: false });
    assert.equal(first.status, 503);
    assert.equal(first.headers.get('retry-after'), '1');
    assert.equal((await alice.get('/rest/api/3/issue/PHX-1', { conform: false })).status, 503);
    assert.equal((await alice.get('/rest/api/3/issue/PHX-1')).status, 200);
    assert.deepEqual((await simControl(sim, 'GET', '/faults')).pending, []);
  });

  it('lists webhook deliveries and the seeded credentials', async () => {
    assert.deepEqual((await simControl(sim, 'GET', '/webhooks/deliveries')).deliveries, []);
    const credentials = await simControl(sim, 'GET', '/credentials');
    assert.equal(credentials.users.length, 9);
    assert.equal(credentials.users[0].apiToken, 'sim-token-alice');
  });

  it('rejects bad control input with 400', async () => {
    const res = await fetch(`${sim.url}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"status":200}' });
    assert.equal(res.status, 400);
  });
});
