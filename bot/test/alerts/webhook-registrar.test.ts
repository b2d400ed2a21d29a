import assert from 'node:assert/strict';
import { startWebhookRegistrar, WEBHOOK_EVENTS, type DynamicWebhook, type DynamicWebhookApi, type WebhookActor } from '../../src/alerts/webhook-registrar';
import type { Subscription } from '../../src/alerts/subscription';
import { createLogger } from '../../src/log/create-logger';
import { WebhookHealthState, webhookHealthState, type WebhookHealth } from '../../src/alerts/webhook-health';
import { storeWebhookHealth } from '../../src/alerts/webhook-health-store';
import { JiraError, JiraErrorCode } from '../../src/jira/jira-error';
import type { Store } from '../../src/store/store';
import { openTestStore } from '../connections/open-test-store';
import { ManualClock } from '../support/manual-clock';
import { subscription } from './subscription-builder';

const SITE = 'https://acme.atlassian.net';
const DAY = 24 * 3_600_000;

/** Jira's dynamic webhook API in memory: 30-day expiry, refresh extends it. */
class FakeWebhookApi implements DynamicWebhookApi {
  hooks: Array<DynamicWebhook & { url: string }> = [];
  calls: string[] = [];
  private nextId = 1;
  constructor(private readonly clock: ManualClock) {}
  async list() {
    this.calls.push('list');
    return this.hooks.map((h) => ({ ...h }));
  }
  async register(_site: string, url: string, webhook: { events: string[]; jqlFilter: string }) {
    this.calls.push(`register ${webhook.jqlFilter}`);
    const id = this.nextId++;
    this.hooks.push({ id, url, ...webhook, expirationDate: new Date(this.clock.now() + 30 * DAY).toISOString() });
    return id;
  }
  async refresh(_site: string, ids: readonly number[]) {
    this.calls.push(`refresh ${ids.join(',')}`);
    const expirationDate = new Date(this.clock.now() + 30 * DAY).toISOString();
    for (const hook of this.hooks) if (ids.includes(hook.id)) hook.expirationDate = expirationDate;
    return expirationDate;
  }
  async remove(_site: string, ids: readonly number[]) {
    this.calls.push(`remove ${ids.join(',')}`);
    this.hooks = this.hooks.filter((h) => !ids.includes(h.id));
  }
  /** The site's subscription owners with OAuth connections, newest first, as the site directory answers. */
  owners = ['account-bob', 'account-alice'];
  actors: Array<readonly string[]> = [];
  async actingAs(_site: string, actor?: WebhookActor) {
    this.actors.push(actor?.avoid ?? []);
    return this.owners.find((owner) => !actor?.avoid.includes(owner));
  }
}

describe('dynamic webhook registrar', () => {
  let clock: ManualClock;
  let api: FakeWebhookApi;
  let subs: Subscription[];
  const registrar = (extra: { health?: WebhookHealth } = {}) =>
    startWebhookRegistrar({
      ...extra,
      sites: async () => [SITE],
      subscriptions: { forSite: async () => subs },
      api,
      callbackUrl: () => 'https://bot.example.com/api/jira/webhooks/dynamic/acme',
      logger: createLogger({ level: 'silent' }),
      clock,
      autoStart: false,
    });

  beforeEach(() => {
    clock = new ManualClock();
    api = new FakeWebhookApi(clock);
    subs = [subscription({ site: SITE, projects: ['PHX'] }), subscription({ site: SITE, projects: ['kan', 'PHX'] })];
  });

  it('registers one broad webhook per site, and leaves it alone while fresh', async () => {
    const r = registrar();
    await r.reconcile();
    await r.reconcile();
    assert.deepEqual(
      api.hooks.map((h) => [h.jqlFilter, h.events, h.url]),
      [['project in ("KAN", "PHX")', WEBHOOK_EVENTS, 'https://bot.example.com/api/jira/webhooks/dynamic/acme']],
    );
    assert.deepEqual(api.calls, ['list', 'register project in ("KAN", "PHX")', 'list']);
  });

  it('refreshes well before the 30-day expiry, so the webhook never lapses', async () => {
    const r = registrar();
    await r.reconcile();
    const first = api.hooks[0].expirationDate!;
    await clock.advance(22 * DAY);
    await r.reconcile();
    assert.equal(api.calls.filter((c) => c.startsWith('refresh')).length, 0, 'eight days left: not yet');
    await clock.advance(2 * DAY);
    await r.reconcile();
    assert.deepEqual(
      api.calls.filter((c) => c.startsWith('refresh')),
      ['refresh 1'],
    );
    assert.ok(Date.parse(api.hooks[0].expirationDate!) > Date.parse(first));
  });

  it('replaces the webhook when the subscribed projects change, and removes it when none are left', async () => {
    const r = registrar();
    await r.reconcile();
    subs.push(subscription({ site: SITE, projects: ['SUP'] }));
    await r.reconcile();
    assert.deepEqual(
      api.hooks.map((h) => h.jqlFilter),
      ['project in ("KAN", "PHX", "SUP")'],
    );
    assert.ok(api.calls.includes('remove 1'));
    subs = subs.map((s) => ({ ...s, muted: true }));
    await r.reconcile();
    assert.deepEqual(api.hooks, []);
  });

  describe('with webhook health per site', () => {
    let store: Store;
    let health: WebhookHealth;
    beforeEach(() => {
      store = openTestStore();
      health = storeWebhookHealth(store, { now: () => clock.now() });
    });
    afterEach(async () => store.close());

    it('keeps what it registered and through whom, asks Jira nothing while that fits, and covers a new project at the next check', async () => {
      const r = registrar({ health });
      await r.reconcile();
      const registration = (await health.read(SITE))?.registration;
      assert.deepEqual(registration?.webhookIds, [1]);
      assert.equal(registration?.jqlFilter, 'project in ("KAN", "PHX")');
      assert.equal(registration?.through, 'account-bob');
      await r.reconcile();
      await clock.advance(60_000);
      await r.reconcile();
      assert.deepEqual(api.calls, ['list', 'register project in ("KAN", "PHX")'], 'the stored registration still fits: no Jira call');

      subs.push(subscription({ site: SITE, projects: ['SUP'] }));
      await r.reconcile();
      assert.deepEqual(
        api.hooks.map((h) => h.jqlFilter),
        ['project in ("KAN", "PHX", "SUP")'],
      );
      assert.deepEqual((await health.read(SITE))?.registration?.webhookIds, [2]);
      // Jira's own list is still read twice a day, and the expiry refreshed in time.
      await clock.advance(12 * 3_600_000);
      await r.reconcile();
      assert.equal(api.calls.at(-1), 'list');
      await clock.advance(23 * DAY);
      await r.reconcile();
      assert.equal(api.calls.at(-1), 'refresh 2');
      assert.ok((await health.read(SITE))!.registration!.expiresAt! > clock.now() + 29 * DAY);
    });

    it('passes over an account whose registration Jira never delivered, and gives it another chance at the full check', async () => {
      const r = registrar({ health });
      await r.reconcile();
      assert.equal((await health.read(SITE))?.registration?.through, 'account-bob');
      // The poller found a change no webhook reported: Bob does not own the private app.
      await clock.advance(60_000);
      await health.changesMissed(SITE, 1);
      await r.reconcile();
      assert.equal((await health.read(SITE))?.registration?.through, 'account-alice');
      assert.deepEqual((await health.read(SITE))?.undeliveredThrough, ['account-bob']);
      assert.deepEqual(api.actors.at(-1), ['account-bob']);
      const calls = api.calls.length;
      await clock.advance(60_000);
      await r.reconcile();
      assert.equal(api.calls.length, calls, 'no Jira call while the new registration fits');
      await clock.advance(12 * 3_600_000);
      await r.reconcile();
      assert.equal((await health.read(SITE))?.undeliveredThrough, undefined, 'forgotten at the full check');
    });

    it('records a failed registration, which makes the site silent for the poller', async () => {
      api.register = async () => {
        throw new JiraError(JiraErrorCode.Forbidden, { status: 403 });
      };
      await registrar({ health }).reconcile();
      assert.equal((await health.read(SITE))?.registrationFailure?.code, JiraErrorCode.Forbidden);
      assert.equal(webhookHealthState(await health.read(SITE), { now: clock.now(), quietMs: 3_600_000 }), WebhookHealthState.Silent);
    });
  });
});
