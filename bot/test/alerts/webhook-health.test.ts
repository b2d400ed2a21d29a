import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebhookHealthState, webhookHealthState, type WebhookHealth } from '../../src/alerts/webhook-health';
import { storeWebhookHealth } from '../../src/alerts/webhook-health-store';
import { openAzureTableStore } from '../../src/store/azure-table-store';
import type { Store } from '../../src/store/store';
import { openSqliteStore } from '../../src/store/sqlite-store';
import { startAzurite, type Azurite } from '../support/azurite';

const SITE = 'https://acme.atlassian.net';
const FILTER = 'project in ("PHX")';
const QUIET = 60 * 60_000;

function runHealthTests(name: string, open: () => Promise<[Store, Store]>): void {
  describe(`webhook health per site on ${name}`, () => {
    let stores: [Store, Store];
    let clock: number;
    /** Two instances on one store. */
    let one: WebhookHealth;
    let two: WebhookHealth;
    const state = async (wantedFilter?: string) => webhookHealthState(await two.read(SITE), { now: clock, quietMs: QUIET, ...(wantedFilter ? { wantedFilter } : {}) });

    beforeEach(async () => {
      clock = 1_700_000_000_000;
      stores = await open();
      one = storeWebhookHealth(stores[0], { now: () => clock });
      two = storeWebhookHealth(stores[1], { now: () => clock });
    });
    afterEach(async () => {
      await stores[0].close();
      await stores[1].close();
    });

    it('knows nothing of a site at first, and calls it healthy once a webhook arrived, for every instance', async () => {
      assert.equal(await state(), WebhookHealthState.Unverified);
      await one.webhookReceived(SITE, []);
      assert.equal(await state(), WebhookHealthState.Healthy, 'the other instance reads what this one learned');
      clock += QUIET + 1;
      assert.equal(await state(), WebhookHealthState.Unverified, 'quiet for an hour: the poller looks again');
    });

    it('holds a registration unverified until a webhook names it, and again when the subscriptions outgrow its filter', async () => {
      await one.webhookReceived(SITE, []);
      await one.registered(SITE, { webhookIds: [7], jqlFilter: FILTER, through: 'bob' });
      assert.equal((await two.read(SITE))?.registration?.through, 'bob');
      assert.equal(await state(FILTER), WebhookHealthState.Unverified, 'an admin webhook proves nothing about the dynamic one');
      clock += 1_000;
      await one.webhookReceived(SITE, [7]);
      assert.equal(await state(FILTER), WebhookHealthState.Healthy);
      assert.equal(await state('project in ("KAN", "PHX")'), WebhookHealthState.Unverified, 'KAN is subscribed but not in the filter');
      // The same registration seen again keeps its proof of delivery.
      clock += 1_000;
      await two.registered(SITE, { webhookIds: [7], jqlFilter: FILTER, through: 'bob' });
      assert.equal(await state(FILTER), WebhookHealthState.Healthy);
      // A new one does not.
      await two.registered(SITE, { webhookIds: [8], jqlFilter: FILTER, through: 'bob' });
      assert.equal(await state(FILTER), WebhookHealthState.Unverified);
    });

    it('calls a site silent after missed changes or a failed registration, until the next webhook', async () => {
      await one.webhookReceived(SITE, []);
      clock += 1_000;
      await one.changesMissed(SITE, 2);
      assert.equal(await state(), WebhookHealthState.Silent);
      assert.deepEqual((await two.read(SITE))?.missed, { at: clock, changes: 2 });
      clock += 1_000;
      // Another instance's intake, whose memory still says "healthy", must clear it anyway.
      await two.webhookReceived(SITE, []);
      assert.equal(await state(), WebhookHealthState.Healthy);
      clock += 1_000;
      await one.webhookReceived(SITE, []);
      await two.registrationFailed(SITE, 'JIRA_FORBIDDEN');
      assert.equal(await state(), WebhookHealthState.Silent);
      // This instance wrote "healthy" a moment ago and trusts that for a few seconds only.
      clock += 10_000;
      await one.webhookReceived(SITE, []);
      assert.equal(await state(), WebhookHealthState.Healthy);
      assert.equal((await two.read(SITE))?.registrationFailure, undefined);
    });

    it('writes a healthy site at most once a minute per instance, so intake does not write per callback', async () => {
      await one.webhookReceived(SITE, []);
      const first = (await two.read(SITE))?.lastWebhookAt;
      clock += 5_000;
      await one.webhookReceived(SITE, []);
      clock += 25_000;
      await one.webhookReceived(SITE, []);
      assert.equal((await two.read(SITE))?.lastWebhookAt, first);
      clock += 30_001;
      await one.webhookReceived(SITE, []);
      assert.equal((await two.read(SITE))?.lastWebhookAt, clock);
    });

    it('reads and writes a site once for a burst of webhooks reaching a cold instance together, not once each', async () => {
      const calls = { get: 0, put: 0 };
      const counted: Store = {
        ...stores[0],
        get: (key) => ((calls.get += 1), stores[0].get(key)),
        put: (key, value, options) => ((calls.put += 1), stores[0].put(key, value, options)),
      };
      const cold = storeWebhookHealth(counted, { now: () => clock });
      await Promise.all(Array.from({ length: 20 }, () => cold.webhookReceived(SITE, [])));
      assert.deepEqual(calls, { get: 1, put: 1 });
      assert.equal((await two.read(SITE))?.lastWebhookAt, clock);
    });
  });
}

runHealthTests('SQLite (two connections to one file)', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-health-')), 'store.db');
  return [openSqliteStore(file), openSqliteStore(file)];
});

describe('webhook health against Azurite', () => {
  let azurite: Azurite;
  before(async () => {
    azurite = await startAzurite();
  });
  after(async () => azurite?.stop());
  runHealthTests('Azure Tables (two clients on one table)', async () => {
    const tableName = `t${randomBytes(8).toString('hex')}`;
    return [
      await openAzureTableStore({ connectionString: azurite.connectionString, tableName }),
      await openAzureTableStore({ connectionString: azurite.connectionString, tableName }),
    ];
  });
});
