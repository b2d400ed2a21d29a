import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { storePollerLease } from '../../src/alerts/poller-lease';
import { startSitePoller, type SitePoller } from '../../src/alerts/site-poller';
import { createLogger } from '../../src/log/create-logger';
import { openAzureTableStore } from '../../src/store/azure-table-store';
import { openSqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';
import { startAzurite, type Azurite } from '../support/azurite';
import { ManualClock } from '../support/manual-clock';
import { subscription } from './subscription-builder';

const SITES = ['https://acme.atlassian.net', 'https://globex.atlassian.net'];
const INTERVAL = 2 * 60_000;

function runLeaseTests(name: string, open: () => Promise<[Store, Store]>): void {
  describe(`one poller per site across instances on ${name}`, () => {
    let stores: [Store, Store];
    let clock: ManualClock;
    /** Searches per site, by instance. */
    let searches: Array<Record<string, number>>;

    /** One service instance's poller on its own handle of the shared store, driven pass by pass. */
    const instance = (index: 0 | 1, owner: string): SitePoller =>
      startSitePoller({
        sites: async () => SITES,
        subscriptions: { forSite: async (site) => [subscription({ site, projects: ['PHX'] })] },
        search: {
          async search(site) {
            searches[index][site] = (searches[index][site] ?? 0) + 1;
            return [];
          },
        },
        intake: { accept: async () => false },
        store: stores[index],
        logger: createLogger({ level: 'silent' }),
        lease: storePollerLease(stores[index], { owner, ttlMs: 1.5 * INTERVAL, now: () => clock.now() }),
        clock,
        intervalMs: INTERVAL,
        autoStart: false,
      });
    /** Searches of each site in one pass of both instances. */
    const pass = async (pollers: SitePoller[]) => {
      const before = SITES.map((site) => searches.reduce((sum, counts) => sum + (counts[site] ?? 0), 0));
      for (const poller of pollers) await poller.pollOnce();
      return SITES.map((site, i) => searches.reduce((sum, counts) => sum + (counts[site] ?? 0), 0) - before[i]);
    };

    beforeEach(async () => {
      stores = await open();
      clock = new ManualClock();
      searches = [{}, {}];
    });
    afterEach(async () => {
      await stores[0].close();
      await stores[1].close();
    });

    it("searches each site once per interval with two pollers on one store, and hands a dead holder's sites over after its lease", async () => {
      const one = instance(0, 'instance-1');
      const two = instance(1, 'instance-2');
      for (let interval = 0; interval < 3; interval += 1) {
        assert.deepEqual(await pass([one, two]), [1, 1], `interval ${interval}`);
        await clock.advance(INTERVAL);
      }
      assert.deepEqual(searches[1], {}, 'the first to take the leases keeps them while it renews');

      // Instance one dies (no clean stop, so no release): its leases run out 1.5 intervals after its last pass.
      assert.deepEqual(await pass([two]), [0, 0], 'still held');
      await clock.advance(INTERVAL);
      assert.deepEqual(await pass([two]), [1, 1], 'taken over at the first pass after the expiry');
      assert.deepEqual(searches[1], { [SITES[0]]: 1, [SITES[1]]: 1 });
      await two.stop();
    });

    it('lets the other instance take over at once when the holder stops cleanly', async () => {
      const one = instance(0, 'instance-1');
      const two = instance(1, 'instance-2');
      assert.deepEqual(await pass([one, two]), [1, 1]);
      await one.stop();
      assert.deepEqual(await pass([two]), [1, 1]);
      assert.deepEqual(searches[1], { [SITES[0]]: 1, [SITES[1]]: 1 });
      await two.stop();
    });
  });
}

runLeaseTests('SQLite (two connections to one file)', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-poller-lease-')), 'store.db');
  return [openSqliteStore(file), openSqliteStore(file)];
});

describe('poller leases against Azurite', () => {
  let azurite: Azurite;
  before(async () => {
    azurite = await startAzurite();
  });
  after(async () => azurite?.stop());
  runLeaseTests('Azure Tables (two clients on one table)', async () => {
    const tableName = `t${randomBytes(8).toString('hex')}`;
    return [
      await openAzureTableStore({ connectionString: azurite.connectionString, tableName }),
      await openAzureTableStore({ connectionString: azurite.connectionString, tableName }),
    ];
  });
});
