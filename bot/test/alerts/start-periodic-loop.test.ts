import assert from 'node:assert/strict';
import { startPeriodicLoop } from '../../src/alerts/start-periodic-loop';
import { createLogger } from '../../src/log/create-logger';
import { captureLogs } from '../support/capture-logs';
import { ManualClock, settle } from '../support/manual-clock';

describe('startPeriodicLoop', () => {
  it('runs at once, then once per interval after each run ends', async () => {
    const clock = new ManualClock();
    const runs: number[] = [];
    const loop = startPeriodicLoop({ name: 'test', intervalMs: 1_000, clock, logger: createLogger({ level: 'silent' }), run: async () => void runs.push(clock.now()) });
    await settle();
    await clock.advance(2_500);
    await loop.stop();
    const start = runs[0];
    assert.deepEqual(
      runs.map((t) => t - start),
      [0, 1_000, 2_000],
    );
  });

  it('logs a failed run under its name and keeps going', async () => {
    const clock = new ManualClock();
    const logs = captureLogs();
    let calls = 0;
    const loop = startPeriodicLoop({
      name: 'flaky sweep',
      intervalMs: 10,
      clock,
      logger: createLogger({ level: 'info', destination: logs.stream }),
      run: async () => {
        calls += 1;
        if (calls === 1) throw new Error('store unavailable');
      },
    });
    await settle();
    await clock.advance(10);
    await loop.stop();
    assert.equal(calls, 2);
    assert.ok(logs.lines().some((line) => line.loop === 'flaky sweep' && line.level === 'error'));
  });

  it('stop waits for the run in flight to finish, and starts no other', async () => {
    const clock = new ManualClock();
    const order: string[] = [];
    let release!: () => void;
    const loop = startPeriodicLoop({
      name: 'slow',
      intervalMs: 10,
      clock,
      logger: createLogger({ level: 'silent' }),
      run: async () => {
        order.push('run started');
        await new Promise<void>((resolve) => (release = resolve));
        order.push('run ended');
      },
    });
    await settle();
    const stopped = loop.stop().then(() => order.push('stopped'));
    release();
    await stopped;
    await clock.advance(100);
    assert.deepEqual(order, ['run started', 'run ended', 'stopped']);
  });
});
