import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../../src/start-jira-sim';
import { simClient, simControl } from '../support/sim-client';

const START = Date.UTC(2026, 5, 1, 12, 0, 0);

describe('jira-sim realism: search lag and reconcileIssues', () => {
  let sim: JiraSim;
  let now = START;
  beforeEach(async () => {
    now = START;
    sim = await startJiraSim({ now: () => now });
  });
  afterEach(() => sim.close());

  const keysOf = (body: { issues: Array<{ key: string }> }) => body.issues.map((i) => i.key);
  const LABEL_JQL = 'labels = lagged';

  async function labelPhx1() {
    const alice = simClient(sim);
    assert.equal((await alice.put('/rest/api/3/issue/PHX-1', { update: { labels: [{ add: 'lagged' }] } })).status, 204);
    return alice;
  }

  it('is instantly consistent by default', async () => {
    const alice = await labelPhx1();
    const res = await alice.get(`/rest/api/3/search/jql?jql=${encodeURIComponent(LABEL_JQL)}&fields=key`);
    assert.deepEqual(keysOf(res.body), ['PHX-1']);
  });

  it('shows a change only after the lag, unless the request reconciles that issue', async () => {
    await simControl(sim, 'POST', '/realism', { searchLagMs: 5000 });
    const alice = await labelPhx1();
    const id = sim.state.issue('PHX-1')!.id;
    const stale = await alice.get(`/rest/api/3/search/jql?jql=${encodeURIComponent(LABEL_JQL)}&fields=key`);
    assert.deepEqual(keysOf(stale.body), [], 'the index has not caught up');
    const reconciled = await alice.post('/rest/api/3/search/jql', { jql: LABEL_JQL, fields: ['key'], reconcileIssues: [Number(id)] });
    assert.deepEqual(keysOf(reconciled.body), ['PHX-1']);
    const viaGet = await alice.get(`/rest/api/3/search/jql?jql=${encodeURIComponent(LABEL_JQL)}&fields=key&reconcileIssues=${id}`);
    assert.deepEqual(keysOf(viaGet.body), ['PHX-1']);
    now += 5001;
    const caughtUp = await alice.get(`/rest/api/3/search/jql?jql=${encodeURIComponent(LABEL_JQL)}&fields=key`);
    assert.deepEqual(keysOf(caughtUp.body), ['PHX-1']);
  });

  it('still finds an issue by its old values during the lag, and a new issue only after it', async () => {
    await simControl(sim, 'POST', '/realism', { searchLagMs: 5000 });
    const alice = simClient(sim);
    const summary = sim.state.issue('PHX-2')!.values.summary as string;
    await alice.put('/rest/api/3/issue/PHX-2', { fields: { summary: 'Entirely renamed' } });
    const created = await alice.post('/rest/api/3/issue', {
      fields: { project: { key: 'KAN' }, issuetype: { name: 'Task' }, summary: 'Brand new lagging task' },
    });
    assert.equal(created.status, 201);
    const old = await alice.post('/rest/api/3/search/jql', { jql: `key = PHX-2 AND summary ~ "${summary.split(' ')[0]}"`, fields: ['summary'] });
    assert.deepEqual(keysOf(old.body), ['PHX-2'], 'matched on the indexed (old) summary');
    assert.equal(old.body.issues[0].fields.summary, 'Entirely renamed', 'the issue itself is read live');
    const fresh = await alice.post('/rest/api/3/search/jql', { jql: 'summary ~ "lagging"', fields: ['key'] });
    assert.deepEqual(keysOf(fresh.body), []);
    now += 6000;
    const later = await alice.post('/rest/api/3/search/jql', { jql: 'summary ~ "lagging"', fields: ['key'] });
    assert.deepEqual(keysOf(later.body), [created.body.key]);
  });

  it('refuses more than 50 reconcileIssues, as documented', async () => {
    const res = await simClient(sim).post('/rest/api/3/search/jql', { jql: 'project = PHX', reconcileIssues: Array.from({ length: 51 }, (_, i) => 10000 + i) }, { conform: false });
    assert.equal(res.status, 400);
  });
});
