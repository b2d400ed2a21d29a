import assert from 'node:assert/strict';
import { sendRate } from '../../../dev/bot-connector-emu/src';
import { alertOutbox, OUTBOX_TABLE } from '../../src/alerts/alert-outbox';
import type { AlertSender } from '../../src/alerts/alert-sender';
import { alertThreads } from '../../src/alerts/alert-threads';
import { startDeliveryWorker, type DeliveryWorker, type DeliveryWorkerOptions } from '../../src/alerts/delivery-worker';
import { createLogger } from '../../src/log/create-logger';
import type { Store } from '../../src/store/store';
import { openTestStore } from '../connections/open-test-store';
import { ManualClock, settle } from '../support/manual-clock';
import { issueEvent } from './issue-event-builder';

/** A Teams stand-in that answers posts with `post`; these bursts never update a card or reply. */
function postingSender(post: AlertSender['post']): AlertSender {
  return {
    post,
    async update() {},
    async reply() {
      return 'r';
    },
  };
}

/** A worker on the test's clock that sends each alert as its own card as soon as it may. */
function startBurstWorker(store: Store, clock: ManualClock, options: Pick<DeliveryWorkerOptions, 'outbox' | 'sender'> & Partial<DeliveryWorkerOptions>): DeliveryWorker {
  return startDeliveryWorker({ threads: alertThreads(store), logger: createLogger({ level: 'silent' }), clock, digestThreshold: Infinity, gatherMs: 0, ...options });
}

describe('delivery throughput (manual clock)', () => {
  let store: Store;
  beforeEach(() => {
    store = openTestStore();
  });
  afterEach(async () => store.close());

  it('keeps every conversation near its own ceiling at once, with few drain slots', async () => {
    const clock = new ManualClock();
    const sends = new Map<string, number[]>();
    const sender = postingSender(async (target) => {
      sends.set(target.conversationId, [...(sends.get(target.conversationId) ?? []), clock.now()]);
      return `m-${clock.now()}`;
    });
    const outbox = alertOutbox(store, { now: () => clock.now() });
    const conversations = Array.from({ length: 20 }, (_, i) => `19:c${i}@thread.tacv2`);
    for (const conversationId of conversations) {
      for (let i = 0; i < 12; i += 1) await outbox.enqueue(issueEvent(), [{ target: { tenantId: 't', conversationId }, subscriptionIds: ['s'] }]);
    }
    const worker = startBurstWorker(store, clock, {
      outbox,
      sender,
      concurrency: 2,
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

  it("keeps every channel of a 32-channel burst within 3% of the shortest schedule Teams' windows allow, with the default 16 drain slots", async () => {
    const clock = new ManualClock();
    // Teams' round trip: a send arrives half way through it, and the worker hears back at its end.
    const ROUND_TRIP_MS = 20;
    const arrivals = new Map<string, number[]>();
    const sender = postingSender(async (target) => {
      await clock.sleep(ROUND_TRIP_MS / 2);
      arrivals.set(target.conversationId, [...(arrivals.get(target.conversationId) ?? []), clock.now()]);
      await clock.sleep(ROUND_TRIP_MS / 2);
      return `m-${clock.now()}`;
    });
    const outbox = alertOutbox(store, { now: () => clock.now() });
    const CHANNELS = 32;
    const PER_CHANNEL = 16;
    // A tenant each, as in the bench, so the per-tenant app limit (50/s) does not bind.
    const targets = Array.from({ length: CHANNELS }, (_, i) => ({ tenantId: `t${i}`, conversationId: `19:burst${i}@thread.tacv2` }));
    for (let round = 0; round < PER_CHANNEL; round += 1) {
      for (const target of targets) await outbox.enqueue(issueEvent(), [{ target, subscriptionIds: ['s'] }]);
    }
    const t0 = clock.now();
    // Twice as many channels as slots: were a slot held while Teams answers, sends would queue for
    // one and delay the ones Teams' windows chain on them (this burst then reached about 96%).
    const worker = startBurstWorker(store, clock, {
      outbox,
      sender,
    });
    const delivered = () => [...arrivals.values()].reduce((sum, times) => sum + times.length, 0);
    while (delivered() < CHANNELS * PER_CHANNEL && clock.now() - t0 < 10_000) await clock.advance(10);
    // The last sends are still waiting for their answers on this clock.
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    while (!stopped) await clock.advance(10);
    await stopping;

    // 16 sends: 7 at once (7 per second), the 8th a second later, then 8 per 2 s: the last at 3 s.
    const IDEAL_MS = 3_000;
    for (const { conversationId } of targets) {
      const times = arrivals.get(conversationId) ?? [];
      assert.equal(times.length, PER_CHANNEL, conversationId);
      assert.ok(sendRate(times).withinLimits, JSON.stringify(sendRate(times).windows));
      const took = times.at(-1)! - t0;
      assert.ok(IDEAL_MS / took >= 0.97, `${conversationId}: its last message after ${took} ms, ${((100 * IDEAL_MS) / took).toFixed(1)}% of the ceiling`);
    }
  });

  it("starts a burst's conversations on the head of their queues: each read once, a page of it, before its first send", async () => {
    const clock = new ManualClock();
    let rowsRead = 0;
    const list = store.list.bind(store);
    store.list = async (...args: Parameters<Store['list']>) => {
      const items = await list(...args);
      if (args[0] === OUTBOX_TABLE) rowsRead += items.length;
      return items as never;
    };
    const readBeforeFirstSend = new Map<string, number>();
    const sender = postingSender(async (target) => {
      if (!readBeforeFirstSend.has(target.conversationId)) readBeforeFirstSend.set(target.conversationId, rowsRead);
      return `m-${clock.now()}`;
    });
    const outbox = alertOutbox(store, { now: () => clock.now() });
    const targets = Array.from({ length: 4 }, (_, i) => ({ tenantId: `t${i}`, conversationId: `19:long${i}@thread.tacv2` }));
    for (let i = 0; i < 40; i += 1) for (const target of targets) await outbox.enqueue(issueEvent(), [{ target, subscriptionIds: ['s'] }]);
    const t0 = clock.now();
    const worker = startBurstWorker(store, clock, { outbox, sender });
    while (readBeforeFirstSend.size < targets.length && clock.now() - t0 < 5_000) await clock.advance(10);
    await worker.stop();
    assert.equal(readBeforeFirstSend.size, targets.length, 'every conversation got its first message');
    // The sweep's look at each conversation is the drain's copy too: without digests only the head
    // decides, so a page of each queue is parsed, not 40 rows twice (320 rows before the last first send).
    const read = Math.max(...readBeforeFirstSend.values());
    assert.ok(read <= targets.length * 8, `${read} outbox rows read before every conversation's first send`);
  });

  it("puts a send on the wire at its window's edge, prepared beforehand, however long preparing it takes", async () => {
    const clock = new ManualClock();
    const times: number[] = [];
    const sender = postingSender(async () => {
      times.push(clock.now());
      return `m-${times.length}`;
    });
    // Reading the card thread takes 30 ms, as a store's read does on a busy worker.
    const threads = alertThreads(store);
    const slowThreads = { ...threads, get: async (...args: Parameters<typeof threads.get>) => (await clock.sleep(30), threads.get(...args)) };
    const outbox = alertOutbox(store, { now: () => clock.now() });
    for (let i = 0; i < 16; i += 1) await outbox.enqueue(issueEvent(), [{ target: { tenantId: 't', conversationId: 'c' }, subscriptionIds: ['s'] }]);
    const t0 = clock.now();
    const worker = startBurstWorker(store, clock, { outbox, sender, threads: slowThreads });
    while (times.length < 16 && clock.now() - t0 < 10_000) await clock.advance(10);
    await worker.stop();
    // Teams answers at once here: the 8th message may go 1 s after the 1st (7 per second), the 9th
    // 2 s after it (8 per 2 s), the 16th 1 s after the 9th; each at that very moment, not 30 ms later.
    const after = (k: number) => times[k] - times[0];
    assert.deepEqual([after(7), after(8), after(15)], [1_000, 2_000, 3_000]);
    assert.ok(sendRate(times).withinLimits, JSON.stringify(sendRate(times).windows));
  });

  it('gives a row back unsent when the worker stops while its send waits for the window', async () => {
    const clock = new ManualClock();
    const times: number[] = [];
    const sender = postingSender(async () => {
      times.push(clock.now());
      return `m-${times.length}`;
    });
    const outbox = alertOutbox(store, { now: () => clock.now() });
    for (let i = 0; i < 8; i += 1) await outbox.enqueue(issueEvent(), [{ target: { tenantId: 't', conversationId: 'c' }, subscriptionIds: ['s'] }]);
    const worker = startBurstWorker(store, clock, { outbox, sender });
    while (times.length < 7) await clock.advance(10);
    // 7 went at once; the 8th may go a second after the first. Just before that it is claimed and waits.
    await clock.advance(times[0] + 1_000 - 10 - clock.now());
    const [waiting] = await outbox.pending('c');
    assert.ok(waiting.entry.sending, 'the 8th is prepared before its window opens');
    await worker.stop();
    assert.equal(times.length, 7);
    const [left] = await outbox.pending('c');
    assert.equal(left.key.row, waiting.key.row);
    assert.equal(left.entry.sending, undefined, 'given back unsent, so the next owner sends it without a warning');
    assert.equal(left.entry.attempts, 0, 'a stop is not a failed send');
  });

  it('lets one of two instances on one store own a conversation, and the other take it over after a graceful stop, in order and within Teams limits', async () => {
    const clock = new ManualClock();
    const sends: Array<{ by: string; at: number }> = [];
    let inFlight = 0;
    const senderFor = (by: string) =>
      postingSender(async () => {
        inFlight += 1;
        assert.equal(inFlight, 1, 'one send in flight per conversation across the instances');
        await clock.sleep(10);
        inFlight -= 1;
        sends.push({ by, at: clock.now() });
        return `m-${sends.length}`;
      });
    const outbox = alertOutbox(store, { now: () => clock.now() });
    const keys: string[] = [];
    for (let i = 0; i < 24; i += 1) {
      const event = issueEvent();
      keys.push(event.issue.key);
      await outbox.enqueue(event, [{ target: { tenantId: 't', conversationId: 'c' }, subscriptionIds: ['s'] }]);
    }
    const start = (by: string) =>
      startBurstWorker(store, clock, {
        outbox: alertOutbox(store, { now: () => clock.now() }),
        sender: senderFor(by),
        workerId: by,
      });
    const a = start('a');
    const b = start('b');
    while (sends.length < 10) await clock.advance(50);
    const owner = sends[0].by;
    const other = owner === 'a' ? 'b' : 'a';
    assert.ok(
      sends.every((send) => send.by === owner),
      'the owner sends alone',
    );
    // A graceful stop gives the conversation up: the other instance takes it at its next look (at
    // the latest when the lease would have run out), counting the stopped one's sends in Teams'
    // windows (8 per 2 s) rather than starting a fresh window. The stopping instance's send in
    // flight finishes on the test's clock.
    let stopped = false;
    const stopping = (owner === 'a' ? a : b).stop().then(() => (stopped = true));
    while (!stopped) await clock.advance(10);
    await stopping;
    const stoppedAt = clock.now();
    const handover = sends.length;
    while (sends.length < 24) await clock.advance(50);
    const last = (owner === 'a' ? b : a).stop();
    await clock.advance(50);
    await last;
    assert.equal(sends.map((send) => send.by).join(''), owner.repeat(handover) + other.repeat(24 - handover));
    assert.ok(sends[handover].at - stoppedAt <= 15_100, `taken over ${sends[handover].at - stoppedAt} ms after the stop`);
    assert.ok(sendRate(sends.map((send) => send.at)).withinLimits, JSON.stringify(sendRate(sends.map((send) => send.at)).windows));
    const sent = await store.list<{ sent: { at: number }; event: { issue: { key: string } } }>('alert-outbox-sent');
    assert.deepEqual(
      sent.sort((x, y) => x.value.sent.at - y.value.sent.at).map((item) => item.value.event.issue.key),
      keys,
      'in order',
    );
    assert.deepEqual(await outbox.pending('c'), []);
  });

  /** Five alerts for a busy channel and one each for two quiet ones, sent by a worker with one drain slot and turns of two sends. */
  async function oneSlotOrder(options: { busySentBefore: boolean }): Promise<string[]> {
    const clock = new ManualClock();
    const order: string[] = [];
    const sender = postingSender(async (target) => {
      order.push(target.conversationId);
      return `m-${order.length}`;
    });
    const outbox = alertOutbox(store, { now: () => clock.now() });
    const route = (conversationId: string) => [{ target: { tenantId: 't', conversationId }, subscriptionIds: ['s'] }];
    const worker = startBurstWorker(store, clock, { outbox, sender, concurrency: 1, sendsPerTurn: 2 });
    const run = async (count: number) => {
      for (let t = 0; t < 10 && order.length < count; t += 1) {
        await settle(30);
        await clock.advance(50);
      }
    };
    if (options.busySentBefore) {
      await outbox.enqueue(issueEvent(), route('busy'));
      await run(1);
    }
    // All enqueued in one turn, as a routing batch does: woken together, busy first.
    await Promise.all([
      ...Array.from({ length: 5 }, () => outbox.enqueue(issueEvent(), route('busy'))),
      ...['quiet-1', 'quiet-2'].map((quiet) => outbox.enqueue(issueEvent(), route(quiet))),
    ]);
    await run(order.length + 7);
    await worker.stop();
    return order;
  }

  it('lends a drain slot to a waiting conversation while Teams answers, and gives it up after a few sends', async () => {
    // quiet-1 takes the one slot while busy's send is on the wire. A drain back from Teams records
    // its send before any new drain starts, so quiet-2 gets in only when busy, after its two sends
    // of this turn, goes to the back of the queue.
    assert.deepEqual((await oneSlotOrder({ busySentBefore: true })).slice(1), ['busy', 'quiet-1', 'busy', 'quiet-2', 'busy', 'busy', 'busy']);
  });

  it("gives a channel's first message of a burst a turn of its own, so every channel's first goes before any channel's second", async () => {
    assert.deepEqual(await oneSlotOrder({ busySentBefore: false }), ['busy', 'quiet-1', 'quiet-2', 'busy', 'busy', 'busy', 'busy']);
  });
});
