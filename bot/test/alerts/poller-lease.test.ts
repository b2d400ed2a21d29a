import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { POLLER_LEASE_TABLE, pollerLeaseMs, storePollerLease } from '../../src/alerts/poller-lease';
import { pollCadenceMs, startSitePoller, type SitePoller } from '../../src/alerts/site-poller';
import { createLogger } from '../../src/log/create-logger';
import { openAzureTableStore } from '../../src/store/azure-table-store';
import { openSqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';
import { storeKeyPart } from '../../src/store/store-key-part';
import { startAzurite, type Azurite } from '../support/azurite';
import { ManualClock } from '../support/manual-clock';
import { subscription } from './subscription-builder';

const SITES = ['https://acme.atlassian.net', 'https://globex.atlassian.net'];
const INTERVAL = 2 * 60_000;
const LEASE = pollerLeaseMs(INTERVAL);

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
        lease: storePollerLease(stores[index], { owner, ttlMs: LEASE, now: () => clock.now() }),
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
      assert.deepEqual(await pass([one, two]), [1, 1], 'the pass that renews the leases last');
      assert.deepEqual(searches[1], {}, 'the first to take the leases keeps them while it renews');

      // Instance one dies (no clean stop, so no release): its leases run out half an interval after its last renewal.
      assert.deepEqual(await pass([two]), [0, 0], 'still held');
      await clock.advance(LEASE - 1);
      assert.deepEqual(await pass([two]), [0, 0], 'held until the last millisecond');
      await clock.advance(1);
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

/**
 * The pollers' own loops on a manual clock, two instances on one SQLite file (its calls finish
 * within the turns ManualClock.advance gives, so every pass runs to its sleep before time moves).
 */
describe('poller loops on one store: takeover within one interval, one poll per window', () => {
  const CADENCE = pollCadenceMs(INTERVAL);
  let file: string;
  let clock: ManualClock;
  const opened: Store[] = [];
  const running: SitePoller[] = [];
  /** Every search, in order: which instance, which site, when. */
  let searches: Array<{ by: string; site: string; at: number }>;
  /** Every read of a site's subscriptions (a scan of the whole table in the service). */
  let reads: Array<{ by: string; site: string }>;

  beforeEach(() => {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-poller-loop-')), 'store.db');
    clock = new ManualClock();
    searches = [];
    reads = [];
  });
  /** Open searches a failed test left waiting: a poller's stop waits for its search. */
  const releases: Array<() => void> = [];
  afterEach(async () => {
    for (const release of releases.splice(0)) release();
    for (const poller of running.splice(0)) await poller.stop();
    for (const store of opened.splice(0)) await store.close();
  });

  /** A frozen process: from `kill()` on, everything it awaits stays pending, as in a process that got kill -9. */
  const never = new Promise<never>(() => undefined);

  /**
   * One instance's poller with its own store handle. `gate`, when set, holds its next search open
   * until resolved (a slow Jira). `failLeaseWrites` makes its lease calls fail (the store out of reach).
   */
  const instance = (name: string, sites = SITES) => {
    const store = openSqliteStore(file);
    opened.push(store);
    const control = { dead: false, failLeaseWrites: false, gate: undefined as Promise<void> | undefined };
    // Every call on the lease table fails while `failLeaseWrites`: the instance cannot even read who holds it.
    const flaky = new Proxy(store, {
      get(target, prop) {
        const value = Reflect.get(target, prop) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) =>
          control.failLeaseWrites && (args[0] as { table?: string } | undefined)?.table === POLLER_LEASE_TABLE
            ? Promise.reject(new Error('store out of reach'))
            : (value as (...a: unknown[]) => unknown).apply(target, args);
      },
    });
    const poller = startSitePoller({
      sites: async () => (control.dead ? never : sites),
      subscriptions: {
        forSite: async (site) => {
          reads.push({ by: name, site });
          return [subscription({ site, projects: ['PHX'] })];
        },
      },
      search: {
        async search(site) {
          if (control.dead) return never;
          searches.push({ by: name, site, at: clock.now() });
          const gate = control.gate;
          control.gate = undefined;
          if (gate) await gate;
          return [];
        },
      },
      intake: { accept: async () => false },
      store: flaky,
      logger: createLogger({ level: 'silent' }),
      lease: storePollerLease(flaky, { owner: name, ttlMs: LEASE, now: () => clock.now() }),
      clock,
      intervalMs: INTERVAL,
    });
    return { name, poller, control, kill: () => (control.dead = true) };
  };
  const of = (site: string) => searches.filter((s) => s.site === site);
  /** Each window starts where the previous poll started: a second poll of one window would come sooner than a cadence after it. */
  const assertOnePollPerWindow = () => {
    for (const site of SITES) {
      const times = of(site).map((s) => s.at);
      times.slice(1).forEach((at, i) => assert.ok(at - times[i] >= CADENCE, `${site} polled ${at - times[i]} ms after its previous poll`));
    }
  };

  it('polls each site once per cadence with both alive, and after the holder dies the other polls its sites within one interval of the death', async () => {
    const one = instance('instance-1');
    running.push(one.poller);
    await clock.advance(0);
    const two = instance('instance-2');
    running.push(two.poller);

    await clock.advance(3 * INTERVAL);
    for (const site of SITES) {
      assert.deepEqual(new Set(of(site).map((s) => s.by)), new Set(['instance-1']), `${site}: the first to start holds it`);
      const times = of(site).map((s) => s.at);
      assert.deepEqual(
        times.slice(1).map((at, i) => at - times[i]),
        [CADENCE, CADENCE, CADENCE],
        'a poll every cadence',
      );
    }

    // Passes come every sixth of an interval for the lease, but each instance reads a site's
    // subscriptions only about once a cadence: 4 polls in three intervals, and the first read.
    for (const by of ['instance-1', 'instance-2'])
      for (const site of SITES) {
        const count = reads.filter((r) => r.by === by && r.site === site).length;
        assert.ok(count >= 1 && count <= Math.ceil((3 * INTERVAL) / CADENCE) + 1, `${by} read ${site}'s subscriptions ${count} times`);
      }

    // The worst moment to die: just before the next poll is due, its lease renewed less than a renewal ago.
    const lastPoll = Math.max(...searches.map((s) => s.at));
    await clock.advance(lastPoll + CADENCE - 1 - clock.now());
    const diedAt = clock.now();
    one.kill();
    running.splice(running.indexOf(one.poller), 1);
    await clock.advance(3 * INTERVAL);

    for (const site of SITES) {
      const after = of(site).filter((s) => s.at > diedAt);
      assert.ok(after.length >= 2, `${site} polled again`);
      assert.ok(
        after.every((s) => s.by === 'instance-2'),
        'only the survivor polls',
      );
      assert.ok(after[0].at - diedAt <= INTERVAL, `${site} taken over ${after[0].at - diedAt} ms after the death, more than one interval`);
    }
    assertOnePollPerWindow();
  });

  it('keeps a slow search its own by renewing during it, and a holder that could not renew moves no window the new holder polled', async () => {
    const site = SITES[0];
    const one = instance('instance-1', [site]);
    let release!: () => void;
    one.control.gate = new Promise<void>((resolve) => (release = resolve));
    releases.push(() => release());
    running.push(one.poller);
    await clock.advance(0);
    const two = instance('instance-2', [site]);
    running.push(two.poller);

    // Jira takes three intervals to answer: the heartbeat renews the lease meanwhile, so nobody polls that window again.
    await clock.advance(3 * INTERVAL);
    assert.deepEqual(
      searches.map((s) => s.by),
      ['instance-1'],
    );

    // Now instance one cannot reach the store: its lease runs out and instance two takes the site over and polls.
    one.control.failLeaseWrites = true;
    await clock.advance(LEASE + LEASE / 3);
    assert.deepEqual(
      searches.map((s) => s.by),
      ['instance-1', 'instance-2'],
      'the new holder polls the window the stalled one never finished',
    );
    const takenOver = searches[1].at;

    // Jira answers instance one's old search while it still cannot renew (it does not know it lost the
    // lease): its write of the poll window is conditional on what it read, so it moves nothing.
    release();
    await clock.advance(0);
    one.control.failLeaseWrites = false;
    await clock.advance(2 * INTERVAL);
    const state = await opened[0].get<{ polledAt: number; generation: number }>({ table: 'alert-poll-state', partition: 'sites', row: storeKeyPart(site) });
    const twos = searches.filter((s) => s.by === 'instance-2').map((s) => s.at);
    assert.equal(state?.value.generation, 2, 'the window was last moved by the second holder');
    assert.equal(state?.value.polledAt, twos.at(-1));
    assert.deepEqual(
      searches.slice(2).map((s) => s.by),
      twos.slice(1).map(() => 'instance-2'),
    );
    assert.ok(twos.length >= 2 && twos[1] - takenOver === CADENCE, 'the survivor goes on at the cadence');
  });
});
