import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { backlogRepository, publicBacklog } from '../../src/meetings/backlog-repository';
import { openAzureTableStore } from '../../src/store/azure-table-store';
import type { Store } from '../../src/store/store';
import { openTestStore } from '../connections/open-test-store';
import { startAzurite, type Azurite } from '../support/azurite';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const input = {
  tenantId: TENANT,
  name: 'Sprint 12 grooming',
  jql: 'project = PHX AND sprint in openSprints()',
  siteUrl: 'https://acme.atlassian.net',
  createdBy: 'Alice Admin',
  createdByUserId: 'a11ce000-0000-4000-8000-000000000001',
};

function repositoryContract(name: string, open: () => Promise<Store>) {
  describe(`backlogRepository (${name})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(() => store.close());

    it('creates a backlog with an unguessable id, reads it back within its tenant only', async () => {
      const created = await backlogRepository(store).create(input, new Date('2026-03-01T10:00:00Z'));
      assert.match(created.id, /^[A-Za-z0-9_-]{16}$/);
      assert.equal(created.createdAt, '2026-03-01T10:00:00.000Z');
      assert.deepEqual(await backlogRepository(store).get(TENANT, created.id), created);
      assert.equal(await backlogRepository(store).get('11111111-2222-4333-8444-555555555555', created.id), undefined);
      assert.equal(await backlogRepository(store).get(TENANT, '../x'), undefined);
      assert.deepEqual(Object.keys(publicBacklog(created)).sort(), ['createdBy', 'id', 'jql', 'name', 'siteUrl', 'source', 'updatedAt']);
      assert.deepEqual(publicBacklog(created).source, { kind: 'jql' }, 'a backlog saved before pickers is a typed query');
    });

    it('renames and re-queries a backlog, keeping who made it', async () => {
      const repository = backlogRepository(store);
      const created = await repository.create(input, new Date('2026-03-01T10:00:00Z'));
      const updated = await repository.update(TENANT, created.id, { name: 'Refinement', jql: 'project = KAN' }, new Date('2026-03-02T10:00:00Z'));
      assert.deepEqual(updated, { ...created, name: 'Refinement', jql: 'project = KAN', updatedAt: '2026-03-02T10:00:00.000Z' });
      assert.deepEqual(await repository.get(TENANT, created.id), updated);
      assert.equal(await repository.update(TENANT, 'AAAAAAAAAAAAAAAA', { name: 'x', jql: 'y' }, new Date()), undefined);
    });
  });
}

repositoryContract('sqlite', async () => openTestStore());

describe('backlogRepository on Azurite', () => {
  let azurite: Azurite;
  before(async function () {
    this.timeout(60_000);
    azurite = await startAzurite();
  });
  after(() => azurite?.stop());
  repositoryContract('azure', () => openAzureTableStore({ connectionString: azurite.connectionString, tableName: `t${randomBytes(8).toString('hex')}` }));
});
