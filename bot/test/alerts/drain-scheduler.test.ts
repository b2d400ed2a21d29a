import assert from 'node:assert/strict';
import { startDrainScheduler } from '../../src/alerts/drain-scheduler';
import { createLogger } from '../../src/log/create-logger';
import { ManualClock, settle } from '../support/manual-clock';

describe('drain scheduler', () => {
  it('starts a conversation whose planned time came before those merely woken, which have time to spare', async () => {
    const clock = new ManualClock();
    const order: string[] = [];
    let release: () => void = () => undefined;
    const scheduler = startDrainScheduler({
      concurrency: 1,
      clock,
      logger: createLogger({ level: 'silent' }),
      async drain(conversationId) {
        order.push(conversationId);
        // The first drain holds the only slot until the test lets it go.
        if (conversationId === 'busy') await new Promise<void>((resolve) => (release = resolve));
      },
    });
    scheduler.open();
    scheduler.wake(['busy']);
    scheduler.wakeAt('edge', clock.now() + 100);
    scheduler.wake(['woken-1', 'woken-2']);
    // The window's edge passes while every slot is taken; the woken ones were queued first.
    await clock.advance(150);
    release();
    await settle();
    assert.deepEqual(order, ['busy', 'edge', 'woken-1', 'woken-2']);
    await scheduler.stop();
  });
});
