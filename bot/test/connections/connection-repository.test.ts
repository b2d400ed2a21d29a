import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ApiTokenConnection, OAuthConnection } from '../../src/connections/connection';
import { connectionOwner } from '../../src/connections/connection';
import { ConnectionRepository } from '../../src/connections/connection-repository';
import { TokenCipher, tokenKey } from '../../src/connections/token-cipher';
import { StoreConflictError, type Store } from '../../src/store/store';
import { openTestStore } from './open-test-store';

const alice = { tenantId: 'tenant-1', userId: 'aad-alice' };
const bob = { tenantId: 'tenant-1', userId: 'aad-bob' };

const oauth = (overrides: Partial<OAuthConnection> = {}): OAuthConnection => ({
  kind: 'oauth',
  owner: alice,
  cloudId: 'cloud-1',
  siteUrl: 'https://acme.atlassian.net',
  siteName: 'acme',
  accountId: 'acc-alice',
  displayName: 'Alice',
  accessToken: 'access-secret-1',
  refreshToken: 'refresh-secret-1',
  expiresAt: 1_700_000_000_000,
  scopes: ['read:jira-work', 'offline_access'],
  status: 'active',
  createdAt: 1,
  updatedAt: 1,
  ...overrides,
});

const apiToken = (overrides: Partial<ApiTokenConnection> = {}): ApiTokenConnection => ({
  kind: 'apiToken',
  owner: bob,
  siteUrl: 'https://acme.atlassian.net',
  email: 'bob@example.com',
  apiToken: 'api-secret-1',
  accountId: 'acc-bob',
  displayName: 'Bob',
  status: 'active',
  createdAt: 1,
  updatedAt: 1,
  ...overrides,
});

describe('ConnectionRepository', () => {
  let store: Store;
  const key = tokenKey(randomBytes(32));
  beforeEach(() => (store = openTestStore()));
  afterEach(() => store.close());

  it('stores each kind per user and reads it back', async () => {
    const repo = new ConnectionRepository(store, new TokenCipher(key));
    await repo.save(oauth());
    await repo.save(apiToken());
    assert.deepEqual(await repo.get(alice), oauth());
    assert.deepEqual(await repo.get(bob), apiToken());
    assert.equal(await repo.get({ tenantId: 'tenant-2', userId: 'aad-alice' }), undefined, 'never shared across tenants');
  });

  it('lists who is connected where (with the cloud id of an OAuth connection) without opening any secret', async () => {
    const repo = new ConnectionRepository(store, new TokenCipher(key));
    const odd = { tenantId: 'tenant/2', userId: '29:1 odd+id' };
    await repo.save(oauth());
    await repo.save(apiToken({ owner: odd, status: 'needsReconnect', updatedAt: 5 }));
    // A cipher with another key could not open a single row: listing must not try.
    const listed = await new ConnectionRepository(store, new TokenCipher(tokenKey(randomBytes(32)))).list();
    assert.deepEqual(
      listed.sort((a, b) => a.accountId.localeCompare(b.accountId)),
      [
        { owner: alice, kind: 'oauth', siteUrl: 'https://acme.atlassian.net', cloudId: 'cloud-1', accountId: 'acc-alice', status: 'active', updatedAt: 1 },
        { owner: odd, kind: 'apiToken', siteUrl: 'https://acme.atlassian.net', accountId: 'acc-bob', status: 'needsReconnect', updatedAt: 5 },
      ],
    );
    assert.ok(!JSON.stringify(listed).includes('secret'));
  });

  it('never lets a secret or the email reach the store in clear', async () => {
    const repo = new ConnectionRepository(store, new TokenCipher(key));
    await repo.save(oauth());
    await repo.save(apiToken());
    const raw = JSON.stringify(await store.list('connections'));
    for (const secret of ['access-secret-1', 'refresh-secret-1', 'api-secret-1', 'bob@example.com']) {
      assert.ok(!raw.includes(secret), `${secret} is in the store`);
    }
  });

  it("refuses a row whose sealed secrets were copied from another user's row", async () => {
    const repo = new ConnectionRepository(store, new TokenCipher(key));
    await repo.save(oauth());
    const stolen = await store.get<Record<string, unknown>>({ table: 'connections', partition: 'tenant-1', row: 'aad-alice' });
    await store.put({ table: 'connections', partition: 'tenant-1', row: 'aad-bob' }, stolen!.value);
    await assert.rejects(repo.get(bob), { code: 'TOKEN_DECRYPT_FAILED' });
  });

  it('writes over a concurrent update only with its ETag', async () => {
    const repo = new ConnectionRepository(store, new TokenCipher(key));
    await repo.save(oauth());
    const loaded = await repo.load(alice);
    await repo.save(oauth({ accessToken: 'access-secret-2' }));
    await assert.rejects(repo.save(oauth({ accessToken: 'access-secret-3' }), { ifMatch: loaded!.etag }), StoreConflictError);
    assert.equal(((await repo.get(alice)) as OAuthConnection).accessToken, 'access-secret-2');
  });

  it('re-seals rows written under a previous key once read', async () => {
    const oldKey = tokenKey(randomBytes(32));
    await new ConnectionRepository(store, new TokenCipher(oldKey)).save(oauth());
    const rotated = new ConnectionRepository(store, new TokenCipher(key, [oldKey]));
    assert.deepEqual(await rotated.get(alice), oauth());
    assert.deepEqual(await new ConnectionRepository(store, new TokenCipher(key)).get(alice), oauth());
  });

  it('marks a connection for reconnect once, and says which call did it', async () => {
    const repo = new ConnectionRepository(store, new TokenCipher(key));
    await repo.save(oauth());
    assert.deepEqual(await Promise.all([repo.markNeedsReconnect(alice), repo.markNeedsReconnect(alice)]).then((r) => r.sort()), [false, true]);
    assert.equal((await repo.get(alice))?.status, 'needsReconnect');
    assert.equal(await repo.markNeedsReconnect(bob), false);
  });

  it('removes a connection', async () => {
    const repo = new ConnectionRepository(store, new TokenCipher(key));
    await repo.save(apiToken());
    assert.equal(await repo.remove(bob), true);
    assert.equal(await repo.get(bob), undefined);
  });

  it('keys a user by aadObjectId, else by the Teams user id', () => {
    assert.deepEqual(connectionOwner('t', { id: '29:1abc', aadObjectId: 'aad-1' }), { tenantId: 't', userId: 'aad-1' });
    assert.deepEqual(connectionOwner('t', { id: '29:1abc' }), { tenantId: 't', userId: '29:1abc' });
  });
});
