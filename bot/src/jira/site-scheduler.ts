import { systemClock, type Clock } from './clock';
import type { RateLimitInfo } from './parse-rate-limit-headers';

/** Interactive work (unfurls, dialogs, tab edits) has a user waiting; background work (polling, webhook refresh) does not. */
export type JiraPriority = 'interactive' | 'background';

export interface SiteSchedulerOptions {
  clock?: Clock;
  /** Requests in flight per site. */
  maxConcurrent?: number;
  /** Share of a site's points quota that background work leaves for interactive work. */
  backgroundReserve?: number;
  /** Points kept back from background work while the quota is not known. */
  backgroundReservePoints?: number;
  /** When Jira gave a remaining budget but no reset time, how long until it is trusted as refilled. */
  assumedResetMs?: number;
}

export interface RunOptions {
  /** Estimated points the request costs; Jira's headers correct the estimate afterwards. */
  cost?: number;
  /** Aborting removes the task from the queue (e.g. its deadline passed). */
  signal?: AbortSignal;
}

interface Waiting {
  priority: JiraPriority;
  cost: number;
  start: () => void;
}

interface SiteState {
  active: number;
  interactive: Waiting[];
  background: Waiting[];
  remaining?: number;
  quota?: number;
  nearLimit: boolean;
  resetAt?: number;
  pausedUntil: number;
  wake?: { at: number; controller: AbortController };
}

/**
 * Per-site admission control for Jira calls: at most `maxConcurrent` in flight, interactive work
 * ahead of queued background work, background work held back once the points budget runs low,
 * and everything held while Jira has asked us (Retry-After) to wait. One instance per process.
 */
export class SiteScheduler {
  private readonly clock: Clock;
  private readonly maxConcurrent: number;
  private readonly reserveShare: number;
  private readonly reservePoints: number;
  private readonly assumedResetMs: number;
  private readonly sites = new Map<string, SiteState>();

  constructor(options: SiteSchedulerOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.maxConcurrent = options.maxConcurrent ?? 8;
    this.reserveShare = options.backgroundReserve ?? 0.2;
    this.reservePoints = options.backgroundReservePoints ?? 100;
    this.assumedResetMs = options.assumedResetMs ?? 60_000;
  }

  run<T>(site: string, priority: JiraPriority, task: () => Promise<T>, options: RunOptions = {}): Promise<T> {
    const state = this.state(site);
    return new Promise<T>((resolve, reject) => {
      const { signal } = options;
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        const queue = state[priority];
        const index = queue.indexOf(waiting);
        if (index >= 0) queue.splice(index, 1);
        reject(signal?.reason);
      };
      const waiting: Waiting = {
        priority,
        cost: options.cost ?? 1,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          state.active += 1;
          task()
            .then(resolve, reject)
            .finally(() => {
              state.active -= 1;
              this.pump(site);
            });
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      state[priority].push(waiting);
      this.pump(site);
    });
  }

  /** Takes in what Jira's rate-limit headers said about the site's budget. */
  observe(site: string, info: RateLimitInfo): void {
    const state = this.state(site);
    const now = this.clock.now();
    if (info.quota !== undefined) state.quota = info.quota;
    if (info.nearLimit !== undefined) state.nearLimit = info.nearLimit;
    // A near-limit flag without numbers still needs a time after which background work retries.
    if (info.nearLimit && info.remaining === undefined) state.resetAt ??= now + this.assumedResetMs;
    if (info.remaining !== undefined) {
      state.remaining = info.remaining;
      state.resetAt = now + (info.resetMs ?? this.assumedResetMs);
    }
    if (info.retryAfterMs !== undefined) this.pause(site, info.retryAfterMs);
    this.pump(site);
  }

  /** Holds every request to the site for `ms` (Jira answered 429 with Retry-After). */
  pause(site: string, ms: number): void {
    const state = this.state(site);
    state.pausedUntil = Math.max(state.pausedUntil, this.clock.now() + ms);
    this.pump(site);
  }

  /** A snapshot for logs and tests. */
  snapshot(site: string): { active: number; interactive: number; background: number; remaining?: number } {
    const state = this.state(site);
    return { active: state.active, interactive: state.interactive.length, background: state.background.length, remaining: state.remaining };
  }

  private state(site: string): SiteState {
    let state = this.sites.get(site);
    if (!state) {
      state = { active: 0, interactive: [], background: [], nearLimit: false, pausedUntil: 0 };
      this.sites.set(site, state);
    }
    return state;
  }

  private pump(site: string): void {
    const state = this.state(site);
    const now = this.clock.now();
    if (state.resetAt !== undefined && now >= state.resetAt) {
      // The window Jira reported has rolled over: the budget is unknown again until the next headers.
      state.remaining = undefined;
      state.resetAt = undefined;
      state.nearLimit = false;
    }
    while (state.active < this.maxConcurrent) {
      const next = this.admissible(state, now);
      if (!next) break;
      next.queue.shift();
      if (state.remaining !== undefined) state.remaining -= next.item.cost;
      next.item.start();
    }
    this.scheduleWake(site, state, now);
  }

  private admissible(state: SiteState, now: number): { queue: Waiting[]; item: Waiting } | undefined {
    if (now < state.pausedUntil) return undefined;
    const interactive = state.interactive[0];
    if (interactive) {
      // Interactive work spends the whole budget, but waits behind nothing except an empty budget.
      return state.remaining === undefined || state.remaining >= interactive.cost
        ? { queue: state.interactive, item: interactive }
        : undefined;
    }
    const background = state.background[0];
    if (background && this.backgroundMayRun(state, background.cost)) return { queue: state.background, item: background };
    return undefined;
  }

  private backgroundMayRun(state: SiteState, cost: number): boolean {
    if (state.remaining === undefined) return !state.nearLimit;
    const reserve = state.quota !== undefined ? state.quota * this.reserveShare : this.reservePoints;
    return state.remaining - cost >= reserve && !(state.nearLimit && state.quota === undefined);
  }

  private scheduleWake(site: string, state: SiteState, now: number): void {
    const waiting = state.interactive.length + state.background.length > 0;
    const at = waiting && state.active < this.maxConcurrent ? this.nextChange(state, now) : undefined;
    if (state.wake && state.wake.at === at) return;
    state.wake?.controller.abort();
    state.wake = undefined;
    if (at === undefined) return;
    const controller = new AbortController();
    state.wake = { at, controller };
    this.clock.sleep(at - now, controller.signal).then(
      () => {
        if (state.wake?.controller === controller) state.wake = undefined;
        this.pump(site);
      },
      () => undefined,
    );
  }

  /** When a blocked queue might move again without a request finishing. */
  private nextChange(state: SiteState, now: number): number | undefined {
    if (now < state.pausedUntil) return state.pausedUntil;
    return state.resetAt;
  }
}
