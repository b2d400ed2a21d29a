import assert from 'node:assert/strict';
import { JiraErrorCode, type JiraError } from '../../src/jira/jira-error';
import { SiteScheduler } from '../../src/jira/site-scheduler';
import { ManualClock, settle } from '../support/manual-clock';

/** A task that stays in flight until the test releases it, recording the order tasks started. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    task: async () => {
      log.push(name);
      await done;
      return name;
    },
    release: () => release(),
  };
}

describe('SiteScheduler', () => {
  it('caps requests in flight per site, independently for each site', async () => {
    const clock = new ManualClock();
    const scheduler = new SiteScheduler({ clock, maxConcurrent: 2 });
    const log: string[] = [];
    const gates = ['a1', 'a2', 'a3'].map((n) => gate(log, n));
    const other = gate(log, 'b1');
    const runs = gates.map((g) => scheduler.run('site-a', 'background', g.task));
    const otherRun = scheduler.run('site-b', 'background', other.task);
    await settle();
    assert.deepEqual(log, ['a1', 'a2', 'b1']);

    gates[0].release();
    await settle();
    assert.deepEqual(log, ['a1', 'a2', 'b1', 'a3']);
    gates.forEach((g) => g.release());
    other.release();
    assert.deepEqual(await Promise.all([...runs, otherRun]), ['a1', 'a2', 'a3', 'b1']);
  });

  it('serves queued interactive work ahead of background work queued earlier', async () => {
    const clock = new ManualClock();
    const scheduler = new SiteScheduler({ clock, maxConcurrent: 1 });
    const log: string[] = [];
    const first = gate(log, 'poll-1');
    const queued = [gate(log, 'poll-2'), gate(log, 'poll-3')];
    const unfurl = gate(log, 'unfurl');
    const all = [scheduler.run('s', 'background', first.task), ...queued.map((g) => scheduler.run('s', 'background', g.task)), scheduler.run('s', 'interactive', unfurl.task)];
    await settle();
    [first, ...queued, unfurl].forEach((g) => g.release());
    await Promise.all(all);
    assert.deepEqual(log, ['poll-1', 'unfurl', 'poll-2', 'poll-3']);
  });

  it('holds background work when the points budget runs low, but still serves interactive work', async () => {
    const clock = new ManualClock();
    const scheduler = new SiteScheduler({ clock, maxConcurrent: 4, backgroundReserve: 0.2 });
    scheduler.observe('s', { quota: 1000, remaining: 150, resetMs: 60_000 });
    const log: string[] = [];

    const poll = scheduler.run('s', 'background', async () => log.push('poll'));
    const unfurl = scheduler.run('s', 'interactive', async () => log.push('unfurl'));
    await settle();
    assert.deepEqual(log, ['unfurl']);
    assert.equal(scheduler.snapshot('s').background, 1);

    // The window rolls over at the reset Jira announced: background work goes again.
    await clock.advance(60_000);
    await Promise.all([poll, unfurl]);
    assert.deepEqual(log, ['unfurl', 'poll']);
  });

  it('lets background work run while the budget is healthy and counts down its own estimate', async () => {
    const clock = new ManualClock();
    const scheduler = new SiteScheduler({ clock, backgroundReserve: 0.2 });
    scheduler.observe('s', { quota: 100, remaining: 22, resetMs: 60_000 });
    const log: string[] = [];
    const runs = [1, 2, 3].map((n) => scheduler.run('s', 'background', async () => log.push(`poll-${n}`)));
    await settle();
    // 22 - 1 >= 20 and 21 - 1 >= 20 run; the third would dip into the interactive reserve.
    assert.deepEqual(log, ['poll-1', 'poll-2']);
    await clock.advance(60_000);
    await Promise.all(runs);
    assert.deepEqual(log, ['poll-1', 'poll-2', 'poll-3']);
  });

  it('holds the calls a limit covers while Jira has asked to wait, then serves interactive first', async () => {
    const clock = new ManualClock();
    const scheduler = new SiteScheduler({ clock, maxConcurrent: 1 });
    scheduler.hold('s', 'quota', 5000);
    const log: string[] = [];
    const background = scheduler.run('s', 'background', async () => log.push('poll'), { holds: ['quota'] });
    const interactive = scheduler.run('s', 'interactive', async () => log.push('unfurl'), { holds: ['quota'] });
    await clock.advance(4999);
    assert.deepEqual(log, []);
    await clock.advance(1);
    await Promise.all([background, interactive]);
    assert.deepEqual(log, ['unfurl', 'poll']);
  });

  it('lets calls under other scopes pass a hold, even queued behind held ones', async () => {
    const clock = new ManualClock();
    const scheduler = new SiteScheduler({ clock, maxConcurrent: 1 });
    scheduler.hold('s', 'burst GET /rest/api/3/search/jql', 5000);
    const log: string[] = [];
    const search = scheduler.run('s', 'interactive', async () => log.push('search'), { holds: ['quota', 'burst GET /rest/api/3/search/jql'] });
    const issue = scheduler.run('s', 'interactive', async () => log.push('issue'), { holds: ['quota', 'burst GET /rest/api/3/issue/{issueIdOrKey}'] });
    await settle();
    assert.deepEqual(log, ['issue']);
    assert.deepEqual(scheduler.snapshot('s').held, ['burst GET /rest/api/3/search/jql']);
    await clock.advance(5000);
    await Promise.all([search, issue]);
    assert.deepEqual(log, ['issue', 'search']);
  });

  it('fails a call held past its deadline at once, after letting one probe per interval through', async () => {
    const clock = new ManualClock();
    const scheduler = new SiteScheduler({ clock, probeIntervalMs: 10_000 });
    scheduler.hold('s', 'quota', 3_600_000);
    const log: string[] = [];
    const options = { holds: ['quota'], deadlineAt: clock.now() + 15_000 };
    await scheduler.run('s', 'interactive', async () => log.push('probe'), options);
    await assert.rejects(
      scheduler.run('s', 'interactive', async () => log.push('second'), options),
      (error: JiraError) => {
        assert.equal(error.code, JiraErrorCode.RateLimited);
        assert.equal(error.retryAfterSeconds, 3600);
        return true;
      },
    );
    assert.deepEqual(log, ['probe']);
    await clock.advance(10_000);
    await scheduler.run('s', 'interactive', async () => log.push('next probe'), { ...options, deadlineAt: clock.now() + 15_000 });
    assert.deepEqual(log, ['probe', 'next probe']);
  });

  it('lifts a hold once a call sent after it was not refused, but not for a call sent before it', async () => {
    const clock = new ManualClock();
    const scheduler = new SiteScheduler({ clock });
    const before = clock.now();
    await clock.advance(1);
    scheduler.hold('s', 'quota', 60_000);
    scheduler.release('s', ['quota'], before);
    assert.deepEqual(scheduler.snapshot('s').held, ['quota']);
    scheduler.release('s', ['quota'], clock.now());
    assert.deepEqual(scheduler.snapshot('s').held, []);
  });

  it('drops a queued task whose signal aborts', async () => {
    const clock = new ManualClock();
    const scheduler = new SiteScheduler({ clock });
    scheduler.hold('s', 'quota', 10_000);
    const controller = new AbortController();
    let ran = false;
    const run = scheduler.run('s', 'interactive', async () => (ran = true), { signal: controller.signal, holds: ['quota'] });
    controller.abort(new Error('deadline'));
    await assert.rejects(run, /deadline/);
    await clock.advance(10_000);
    assert.equal(ran, false);
    assert.equal(scheduler.snapshot('s').interactive, 0);
  });
});
