import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src';
import type { ApiTokenConnection, OAuthConnection } from '../../src/connections/connection';
import { createJiraClient, type JiraClient } from '../../src/jira/create-jira-client';
import { RequestPipeline } from '../../src/jira/request-pipeline';
import { SiteScheduler } from '../../src/jira/site-scheduler';
import { pollEvents } from '../../src/alerts/poll-events';
import { pollJql } from '../../src/alerts/site-poller';
import { IssueEventKind } from '../../src/alerts/issue-event';
import { jiraDynamicWebhookApi } from '../../src/wiring/jira-dynamic-webhook-api';
import { jiraKeySearch } from '../../src/wiring/jira-key-search';
import { jiraSiteSearch } from '../../src/wiring/jira-site-search';
import { jiraWatcherLookup } from '../../src/wiring/jira-watcher-lookup';
import { WEBHOOK_EVENTS } from '../../src/alerts/webhook-registrar';
import { subscription } from '../alerts/subscription-builder';

const CLIENT = { clientId: 'alerts-app', clientSecret: 'alerts-app-secret', redirectUris: ['http://127.0.0.1/callback'] };
const ALICE = '712020:00000000-0000-4000-8000-000000000001';

/** The Jira halves of the alert pipeline (poller search, batched JQL, watchers, dynamic webhooks) against the simulator. */
describe('Jira adapters of the alert pipeline', () => {
  let sim: JiraSim;
  let pipeline: RequestPipeline;
  let alice: JiraClient;

  const apiToken = (): ApiTokenConnection => ({
    kind: 'apiToken',
    owner: { tenantId: 't', userId: 'aad-alice' },
    siteUrl: sim.url,
    accountId: ALICE,
    displayName: 'Alice Admin',
    email: 'alice@example.com',
    apiToken: 'sim-token-alice',
    status: 'active',
    createdAt: 0,
    updatedAt: 0,
  });
  const directory = (jira: JiraClient, kind: 'oauth' | 'apiToken' = 'apiToken') => ({ backgroundJira: async () => ({ jira, kind }) });

  /** Consents as Alice at the simulator's OAuth server (its test shortcut) and redeems the code. */
  async function oauthToken(scopes: string): Promise<string> {
    const authorize = new URL(`${sim.url}/authorize`);
    for (const [k, v] of Object.entries({
      audience: 'api.atlassian.com',
      client_id: CLIENT.clientId,
      scope: scopes,
      redirect_uri: CLIENT.redirectUris[0],
      state: 's',
      response_type: 'code',
      account_id: ALICE,
    })) {
      authorize.searchParams.set(k, v);
    }
    const redirect = await fetch(authorize, { redirect: 'manual' });
    const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
    const token = await fetch(`${sim.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'authorization_code', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, code, redirect_uri: CLIENT.redirectUris[0] }),
    });
    return ((await token.json()) as { access_token: string }).access_token;
  }

  before(async () => {
    sim = await startJiraSim({ port: 0, oauthClients: [CLIENT] });
    pipeline = new RequestPipeline({ scheduler: new SiteScheduler() });
    alice = createJiraClient(apiToken(), { pipeline, apiUrl: sim.url, priority: 'background' });
  });
  after(() => sim?.close());

  it('asks Jira once which of a batch of issues a JQL matches', async () => {
    const found = await jiraKeySearch(directory(alice)).keysMatching(sim.url, ['PHX-1', 'PHX-2', 'KAN-1', 'NOPE-1'], 'project = PHX');
    assert.deepEqual([...found].sort(), ['PHX-1', 'PHX-2']);
  });

  it("finds a site's recent changes with their changelog, in the shape the poller turns into events", async () => {
    const since = Date.now() - 60_000;
    await alice.v3.issues.editIssue({ issueIdOrKey: 'KAN-3', fields: { summary: 'Polled change' } });
    const issues = await jiraSiteSearch(directory(alice)).search(sim.url, pollJql([subscription({ site: sim.url, projects: ['KAN'] })], since, Date.now()));
    const kan3 = issues.find((i) => i.key === 'KAN-3');
    assert.ok(kan3, `KAN-3 among ${issues.map((i) => i.key).join(', ')}`);
    const events = pollEvents(kan3, sim.url, since);
    const change = events.find((e) => e.kinds.includes(IssueEventKind.FieldChanged));
    assert.deepEqual(change?.changes.find((c) => c.field === 'summary')?.to, 'Polled change');
    assert.equal(change?.actor?.displayName, 'Alice Admin');
  });

  it('lists the account ids watching an issue', async () => {
    await alice.v3.issueWatchers.addWatcher({ issueIdOrKey: 'PHX-7', accountId: ALICE });
    assert.ok((await jiraWatcherLookup(directory(alice)).watchers(sim.url, 'PHX-7')).includes(ALICE));
    const nobodyWatching = jiraWatcherLookup({ backgroundJira: async () => assert.fail('no Jira call when nobody wants watch notifications') }, async () => false);
    assert.deepEqual(await nobodyWatching.watchers(sim.url, 'PHX-7'), []);
  });

  it('registers, lists, refreshes and removes a dynamic webhook through an OAuth connection', async () => {
    const token = await oauthToken('read:jira-work manage:jira-webhook');
    const connection: OAuthConnection = {
      ...apiToken(),
      kind: 'oauth',
      cloudId: sim.cloudId,
      siteName: 'sim',
      accessToken: token,
      refreshToken: 'unused',
      expiresAt: Date.now() + 3_600_000,
      scopes: ['read:jira-work', 'manage:jira-webhook'],
    };
    const jira = createJiraClient(connection, { pipeline, apiUrl: sim.url, tokens: { accessToken: async () => token }, priority: 'background' });
    const api = jiraDynamicWebhookApi(directory(jira, 'oauth'));

    const id = await api.register(sim.url, 'https://bot.example.com/api/jira/webhooks/dynamic/sim', { events: WEBHOOK_EVENTS, jqlFilter: 'project in ("PHX")' });
    const [listed] = await api.list(sim.url);
    assert.equal(listed.id, id);
    assert.equal(listed.jqlFilter, 'project in ("PHX")');
    assert.ok(listed.expirationDate && Date.parse(listed.expirationDate) > Date.now() + 25 * 24 * 3_600_000, 'an ISO date about 30 days out');
    const refreshed = await api.refresh(sim.url, [id]);
    assert.ok(refreshed && Number.isFinite(Date.parse(refreshed)));
    await assert.rejects(api.register(sim.url, 'https://bot.example.com/x', { events: WEBHOOK_EVENTS, jqlFilter: 'text ~ "x"' }), /JIRA_BAD_REQUEST/);
    await api.remove(sim.url, [id]);
    assert.deepEqual(await api.list(sim.url), []);

    await assert.rejects(jiraDynamicWebhookApi(directory(alice)).list(sim.url), /JIRA_UNAVAILABLE/, 'an API-token owner cannot manage dynamic webhooks');
  });
});
