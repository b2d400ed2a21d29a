import assert from 'node:assert/strict';
import { startWebhookRegistrar, WEBHOOK_EVENTS, type DynamicWebhook, type DynamicWebhookApi } from '../../src/alerts/webhook-registrar';
import type { Subscription } from '../../src/alerts/subscription';
import { createLogger } from '../../src/log/create-logger';
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
}

describe('dynamic webhook registrar', () => {
  let clock: ManualClock;
  let api: FakeWebhookApi;
  let subs: Subscription[];
  const registrar = () =>
    startWebhookRegistrar({
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
});
