import assert from 'node:assert/strict';
import { sendRate } from '../../../dev/bot-connector-emu/src';
import { alertOutbox } from '../../src/alerts/alert-outbox';
import type { AlertSender } from '../../src/alerts/alert-sender';
import { alertThreads } from '../../src/alerts/alert-threads';
import { startDeliveryWorker } from '../../src/alerts/delivery-worker';
import { createLogger } from '../../src/log/create-logger';
import type { Store } from '../../src/store/store';
import { openTestStore } from '../connections/open-test-store';
import { ManualClock, settle } from '../support/manual-clock';
import { issueEvent } from './issue-event-builder';

describe('delivery throughput (manual clock)', () => {
  let store: Store;
  beforeEach(() => {
    store = openTestStore();
  });
  afterEach(async () => store.close());

  it('keeps every conversation near its own ceiling at once, with few drain slots', async () => {
    const clock = new ManualClock();
    const sends = new Map<string, number[]>();
    const sender: AlertSender = {
      async post(target) {
        sends.set(target.conversationId, [...(sends.get(target.conversationId) ?? []), clock.now()]);
        return `m-${clock.now()}`;
      },
      async update() {},
      async reply() {
        return 'r';
      },
    };
    const outbox = alertOutbox(store, { now: () => clock.now() });
    const conversations = Array.from({ length: 20 }, (_, i) => `19:c${i}@thread.tacv2`);
    for (const conversationId of conversations) {
      for (let i = 0; i < 12; i += 1) await outbox.enqueue(issueEvent(), [{ target: { tenantId: 't', conversationId }, subscriptionIds: ['s'] }]);
    }
    const worker = startDeliveryWorker({
      outbox,
      threads: alertThreads(store),
      sender,
      logger: createLogger({ level: 'silent' }),
      clock,
      concurrency: 2,
      digestThreshold: Infinity,
      gatherMs: 0,
      appLimits: [{ windowMs: 1_000, max: 1_000 }],
    });
    for (let t = 0; t < 80; t += 1) {
      await settle(30);
      await clock.advance(50);
    }
    await worker.stop();

    // 12 alerts take 3 windows of 2 s at Teams' 8 per 2 s: about 4 s each, in parallel.
    for (const conversationId of conversations) {
      const times = sends.get(conversationId) ?? [];
      assert.equal(times.length, 12, `${conversationId} got ${times.length}`);
      assert.ok(sendRate(times).withinLimits, JSON.stringify(sendRate(times).windows));
    }
  });

  it('gives the drain slot to a waiting conversation after a few sends, then comes back', async () => {
    const clock = new ManualClock();
    const order: string[] = [];
    const sender: AlertSender = {
      async post(target) {
        order.push(target.conversationId);
        return `m-${order.length}`;
      },
      async update() {},
      async reply() {
        return 'r';
      },
    };
    const outbox = alertOutbox(store, { now: () => clock.now() });
    for (let i = 0; i < 5; i += 1) await outbox.enqueue(issueEvent(), [{ target: { tenantId: 't', conversationId: 'busy' }, subscriptionIds: ['s'] }]);
    await outbox.enqueue(issueEvent(), [{ target: { tenantId: 't', conversationId: 'quiet' }, subscriptionIds: ['s'] }]);
    const worker = startDeliveryWorker({
      outbox,
      threads: alertThreads(store),
      sender,
      logger: createLogger({ level: 'silent' }),
      clock,
      concurrency: 1,
      sendsPerTurn: 2,
      digestThreshold: Infinity,
      gatherMs: 0,
    });
    for (let t = 0; t < 10 && order.length < 6; t += 1) {
      await settle(30);
      await clock.advance(50);
    }
    await worker.stop();
    assert.deepEqual(order, ['busy', 'busy', 'quiet', 'busy', 'busy', 'busy']);
  });
});
