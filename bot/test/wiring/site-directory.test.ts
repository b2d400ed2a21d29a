import assert from 'node:assert/strict';
import type { ConnectionOwner } from '../../src/connections/connection';
import type { ConnectionSummary } from '../../src/connections/connection-repository';
import { ConnectionError, ConnectionErrorCode } from '../../src/connections/connection-error';
import type { Subscription } from '../../src/alerts/subscription';
import { siteDirectory, siteIdOf } from '../../src/wiring/site-directory';
import { subscription } from '../alerts/subscription-builder';

const ACME = 'https://acme.atlassian.net';

describe('siteDirectory', () => {
  let subscriptions: Subscription[];
  let connections: ConnectionSummary[];
  let connected: Map<string, { siteUrl: string; kind: 'oauth' | 'apiToken' }>;
  const asked: Array<{ owner: ConnectionOwner; priority?: string }> = [];
  let now: number;

  const directory = (options: { adminSecret?: string; configuredSite?: string; secrets?: { existing(site: string): Promise<string | undefined> }; apiUrl?: string } = {}) =>
    siteDirectory({
      subscriptions: { all: async () => subscriptions },
      connections: {
        repository: { list: async () => connections } as never,
        async jiraFor(owner, opts) {
          asked.push({ owner, priority: opts?.priority });
          const found = connected.get(owner.userId);
          if (!found) throw new ConnectionError(ConnectionErrorCode.NotConnected);
          return { connection: { ...found, owner, status: 'active' } as never, jira: { owner } as never };
        },
      },
      now: () => now,
      ...options,
    });

  beforeEach(() => {
    now = 1_000_000;
    asked.length = 0;
    subscriptions = [];
    connections = [];
    connected = new Map();
  });

  it('names a site by its host, as admins type it into the webhook URL', () => {
    assert.equal(siteIdOf('https://Acme.atlassian.net/'), 'acme.atlassian.net');
    assert.equal(siteIdOf('http://127.0.0.1:3990'), '127.0.0.1:3990');
  });

  it('knows the sites of subscriptions, connections and the configuration, each with its own secret; the shared one only for the configured site', async () => {
    subscriptions = [subscription({ site: ACME })];
    connections = [
      { owner: { tenantId: 't', userId: 'u' }, kind: 'apiToken', siteUrl: 'https://beta.atlassian.net', accountId: 'a', status: 'active', updatedAt: 1 },
      { owner: { tenantId: 't', userId: 'o' }, kind: 'oauth', siteUrl: 'https://Beta.atlassian.net/', cloudId: 'cloud-beta', accountId: 'b', status: 'active', updatedAt: 1 },
    ];
    const own: Record<string, string> = { 'https://acme.atlassian.net': 'acme-own-secret' };
    const sites = directory({
      adminSecret: 'shared-secret-of-16',
      configuredSite: 'https://gamma.atlassian.net',
      secrets: { existing: async (site) => own[site] },
      apiUrl: 'https://api.atlassian.com',
    });
    assert.deepEqual((await sites.sites()).sort(), ['https://acme.atlassian.net', 'https://beta.atlassian.net', 'https://gamma.atlassian.net']);
    assert.deepEqual(await sites.webhookSite('acme.atlassian.net'), { url: ACME, adminSecrets: ['acme-own-secret'], cloudIds: [], aliases: [] });
    assert.deepEqual(await sites.webhookSite('BETA.atlassian.net'), {
      url: 'https://beta.atlassian.net',
      adminSecrets: [],
      cloudIds: ['cloud-beta'],
      aliases: ['https://api.atlassian.com/ex/jira/cloud-beta'],
    });
    assert.deepEqual((await sites.webhookSite('gamma.atlassian.net'))?.adminSecrets, ['shared-secret-of-16'], 'JIRA_WEBHOOK_SECRET: JIRA_BASE_URL only');
    assert.equal(await sites.webhookSite('evil.example.com'), undefined);
    assert.deepEqual((await directory().webhookSite('acme.atlassian.net'))?.adminSecrets, [], 'no secret: admin webhooks are refused');
  });

  it('finds a site added since its last listing, without rescanning for every unknown id', async () => {
    const sites = directory();
    assert.equal(await sites.webhookSite('acme.atlassian.net'), undefined);
    subscriptions = [subscription({ site: ACME })];
    assert.equal(await sites.webhookSite('acme.atlassian.net'), undefined, 'a second miss within a second reuses the listing');
    now += 1_500;
    assert.equal((await sites.webhookSite('acme.atlassian.net'))?.url, ACME);
  });

  it('looks a webhook site up without listing again within the listing lifetime, and skips URLs it cannot parse', async () => {
    let listings = 0;
    subscriptions = [subscription({ site: 'not a url' }), subscription({ site: ACME }), subscription({ site: 'https://ACME.atlassian.net/' })];
    const sites = siteDirectory({
      subscriptions: {
        all: async () => {
          listings += 1;
          return subscriptions;
        },
      },
      connections: { repository: { list: async () => [] } as never, jiraFor: async () => Promise.reject(new Error('unused')) },
      now: () => now,
    });
    for (let i = 0; i < 3; i++) assert.equal((await sites.webhookSite('acme.atlassian.net'))?.url, ACME);
    assert.equal(listings, 1);
    now += 31_000;
    assert.equal((await sites.webhookSite('ACME.atlassian.net'))?.url, ACME);
    assert.equal(listings, 2, 'listed again once the listing expired');
  });

  it('works in the background as the newest subscription owner who is still connected to that site', async () => {
    subscriptions = [
      subscription({ id: 's1', site: ACME, changedBy: 'aad-old', updatedAt: '2026-01-01T00:00:00.000Z' }),
      subscription({ id: 's2', site: ACME, changedBy: 'aad-gone', updatedAt: '2026-03-01T00:00:00.000Z' }),
      subscription({ id: 's3', site: ACME, changedBy: 'aad-moved', updatedAt: '2026-02-01T00:00:00.000Z' }),
    ];
    connected.set('aad-old', { siteUrl: ACME, kind: 'oauth' });
    connected.set('aad-moved', { siteUrl: 'https://other.atlassian.net', kind: 'apiToken' });
    const client = await directory().backgroundJira(ACME);
    assert.equal(client?.kind, 'oauth');
    assert.deepEqual(
      asked.map((a) => a.owner.userId),
      ['aad-gone', 'aad-moved', 'aad-old'],
    );
    assert.ok(asked.every((a) => a.priority === 'background'));
    assert.equal(await directory().backgroundJira('https://nobody.atlassian.net'), undefined);
  });
});
