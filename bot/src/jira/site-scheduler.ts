import { systemClock, type Clock } from './clock';
import { JiraError, JiraErrorCode } from './jira-error';
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
  /**
   * While a hold reaches past a caller's deadline, one call per this interval still goes to Jira
   * to learn whether the limit has lifted early (a quota reset or raised); the others fail at once.
   */
  probeIntervalMs?: number;
  /**
   * The points budget of every instance together (cluster mode): each call takes its estimated
   * points from it before it queues here, and background work waits while what is left is within
   * the reserve. Without it the budget is this instance's view of Jira's headers alone.
   */
  sharedBudget?: SharedPointsBudget;
  /** While the shared budget refuses background work, how often it asks again at most. */
  sharedRecheckMs?: number;
}

/** What a site's points budget looks like: Jira's last word on it and what this app spent. */
export interface BudgetView {
  /** Points left in Jira's window, as its last headers said less what was sent since; undefined when none said. */
  remaining?: number;
  /** Points per window, from RateLimit-Policy. */
  quota?: number;
  /** When Jira's window resets (epoch ms). */
  resetAt?: number;
  /** Estimated points of the calls sent in the current clock hour (Jira's quota is hourly). */
  spentThisHour: number;
  /** True when the figures are every instance's together (cluster mode), false for this instance alone. */
  shared: boolean;
}

/** The background reserve: the share of the quota kept for interactive work, or points while the quota is not known. */
export interface BudgetReserve {
  share: number;
  points: number;
}

/**
 * A points budget kept for all instances at once (Redis in cluster mode). Every operation is atomic
 * across instances, so two can never both take the last points above the reserve.
 */
export interface SharedPointsBudget {
  /**
   * Takes `cost` points of the site's budget. With a `reserve` (background work) it refuses instead
   * when what would be left falls within it, saying how long until the budget may allow it.
   */
  take(site: string, cost: number, reserve?: BudgetReserve): Promise<{ ok: true } | { ok: false; waitMs: number }>;
  /** Gives back points taken for a call that was never sent. */
  refund(site: string, cost: number): Promise<void>;
  /** Takes in what Jira's rate-limit headers said to one instance. */
  observe(site: string, info: RateLimitInfo, assumedResetMs: number): Promise<void>;
  read(site: string): Promise<Omit<BudgetView, 'shared'>>;
}

export interface RunOptions {
  /** Estimated points the request costs; Jira's headers correct the estimate afterwards. */
  cost?: number;
  /** Aborting removes the task from the queue (e.g. its deadline passed). */
  signal?: AbortSignal;
  /** The hold keys (rateLimitScopes) this request is subject to; a hold on any of them delays it. */
  holds?: string[];
  /** When the caller gives up: a hold reaching past it fails the call at once instead of queueing it. */
  deadlineAt?: number;
}

interface Waiting {
  priority: JiraPriority;
  cost: number;
  holds: string[];
  deadlineAt?: number;
  start: () => void;
  fail: (error: Error) => void;
}

interface Hold {
  until: number;
  setAt: number;
  probedAt?: number;
}

interface SiteState {
  active: number;
  interactive: Waiting[];
  background: Waiting[];
  remaining?: number;
  quota?: number;
  nearLimit: boolean;
  resetAt?: number;
  holds: Map<string, Hold>;
  /** Points sent in the clock hour `spentHour`. */
  spent: number;
  spentHour: number;
  wake?: { at: number; controller: AbortController };
}

/**
 * Per-site admission control for Jira calls: at most `maxConcurrent` in flight, interactive work
 * ahead of queued background work, background work held back once the points budget runs low,
 * and calls held only while Jira has asked (Retry-After) to wait for the limit that covers them:
 * a hold is keyed by scope (app quota, one endpoint's burst limit, one issue's writes), so a 429
 * never stalls work that its limit does not cover. One instance per process.
 */
export class SiteScheduler {
  private readonly clock: Clock;
  private readonly maxConcurrent: number;
  private readonly reserveShare: number;
  private readonly reservePoints: number;
  private readonly assumedResetMs: number;
  private readonly probeIntervalMs: number;
  private readonly shared?: SharedPointsBudget;
  private readonly sharedRecheckMs: number;
  private readonly sites = new Map<string, SiteState>();

  constructor(options: SiteSchedulerOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.maxConcurrent = options.maxConcurrent ?? 8;
    this.reserveShare = options.backgroundReserve ?? 0.2;
    this.reservePoints = options.backgroundReservePoints ?? 100;
    this.assumedResetMs = options.assumedResetMs ?? 60_000;
    this.probeIntervalMs = options.probeIntervalMs ?? 10_000;
    this.shared = options.sharedBudget;
    this.sharedRecheckMs = options.sharedRecheckMs ?? 1_000;
  }

  run<T>(site: string, priority: JiraPriority, task: () => Promise<T>, options: RunOptions = {}): Promise<T> {
    const shared = this.shared;
    if (!shared) return this.enqueue(site, priority, task, options);
    const cost = options.cost ?? 1;
    return this.takeShared(shared, site, priority, cost, options).then(() => {
      let sent = false;
      const send = () => ((sent = true), task());
      return this.enqueue(site, priority, send, options).catch((error: unknown) => {
        // Points taken for a call that never went out (aborted, or failed by a hold) go back.
        if (!sent) void shared.refund(site, cost);
        throw error;
      });
    });
  }

  /**
   * Waits until the shared budget gives `cost` points: at once for interactive work, for background
   * work once what is left stays above the reserve. A wait reaching past the caller's deadline fails
   * now with the time Jira's window still runs, as a hold does.
   */
  private async takeShared(shared: SharedPointsBudget, site: string, priority: JiraPriority, cost: number, options: RunOptions): Promise<void> {
    const reserve = priority === 'background' ? { share: this.reserveShare, points: this.reservePoints } : undefined;
    for (;;) {
      if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error('Jira call aborted');
      const answer = await shared.take(site, cost, reserve);
      if (answer.ok) return;
      const now = this.clock.now();
      if (options.deadlineAt !== undefined && now + answer.waitMs > options.deadlineAt) {
        throw new JiraError(JiraErrorCode.RateLimited, { status: 429, retryAfterSeconds: Math.max(1, Math.ceil(answer.waitMs / 1000)) });
      }
      try {
        await this.clock.sleep(Math.min(answer.waitMs, this.sharedRecheckMs), options.signal);
      } catch {
        throw options.signal?.reason instanceof Error ? options.signal.reason : new Error('Jira call aborted');
      }
    }
  }

  private enqueue<T>(site: string, priority: JiraPriority, task: () => Promise<T>, options: RunOptions): Promise<T> {
    const state = this.state(site);
    return new Promise<T>((resolve, reject) => {
      const { signal } = options;
      // The caller's own abort reason (the pipeline's deadline) is what it expects back.
      const aborted = () => (signal?.reason instanceof Error ? signal.reason : new Error('Jira call aborted'));
      if (signal?.aborted) return reject(aborted());
      const onAbort = () => {
        const queue = state[priority];
        const index = queue.indexOf(waiting);
        if (index >= 0) queue.splice(index, 1);
        reject(aborted());
      };
      const waiting: Waiting = {
        priority,
        cost: options.cost ?? 1,
        holds: options.holds ?? [],
        deadlineAt: options.deadlineAt,
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
        fail: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      state[priority].push(waiting);
      this.pump(site);
    });
  }

  /** Takes in what Jira's rate-limit headers said about the site's points budget. */
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
    if (this.shared) void this.shared.observe(site, info, this.assumedResetMs);
    this.pump(site);
  }

  /** Holds the calls subject to `scope` for `ms` (Jira answered 429 with Retry-After for that limit). */
  hold(site: string, scope: string, ms: number): void {
    const state = this.state(site);
    const now = this.clock.now();
    const current = state.holds.get(scope);
    state.holds.set(scope, { until: Math.max(current?.until ?? 0, now + ms), setAt: now, probedAt: current?.probedAt });
    this.pump(site);
  }

  /**
   * A call subject to these scopes, sent at `sentAt`, was not refused: holds set before it was sent
   * have lifted early (a hold set later came from a newer answer and stays).
   */
  release(site: string, scopes: string[], sentAt: number): void {
    const state = this.state(site);
    let changed = false;
    for (const scope of scopes) {
      const hold = state.holds.get(scope);
      if (hold && hold.setAt <= sentAt) {
        state.holds.delete(scope);
        changed = true;
      }
    }
    if (changed) this.pump(site);
  }

  /** A snapshot for logs and tests. */
  snapshot(site: string): { active: number; interactive: number; background: number; remaining?: number; held: string[] } {
    const state = this.state(site);
    const now = this.clock.now();
    const held = [...state.holds].filter(([, hold]) => hold.until > now).map(([scope]) => scope);
    return { active: state.active, interactive: state.interactive.length, background: state.background.length, remaining: state.remaining, held };
  }

  /** The site's points budget: every instance's in cluster mode, else what this instance saw and sent. */
  async budget(site: string): Promise<BudgetView> {
    if (this.shared) return { ...(await this.shared.read(site)), shared: true };
    const state = this.state(site);
    const now = this.clock.now();
    const current = state.resetAt === undefined || now < state.resetAt;
    return {
      ...(current && state.remaining !== undefined ? { remaining: state.remaining, resetAt: state.resetAt } : {}),
      ...(state.quota !== undefined ? { quota: state.quota } : {}),
      spentThisHour: state.spentHour === hourOf(now) ? state.spent : 0,
      shared: false,
    };
  }

  private state(site: string): SiteState {
    let state = this.sites.get(site);
    if (!state) {
      state = { active: 0, interactive: [], background: [], nearLimit: false, holds: new Map(), spent: 0, spentHour: 0 };
      this.sites.set(site, state);
    }
    return state;
  }

  private pump(site: string): void {
    const state = this.state(site);
    const now = this.clock.now();
    for (const [scope, hold] of state.holds) if (hold.until <= now) state.holds.delete(scope);
    if (state.resetAt !== undefined && now >= state.resetAt) {
      // The window Jira reported has rolled over: the budget is unknown again until the next headers.
      state.remaining = undefined;
      state.resetAt = undefined;
      state.nearLimit = false;
    }
    this.settleHeldPastDeadline(state, now);
    while (state.active < this.maxConcurrent) {
      const next = this.admissible(state, now);
      if (!next) break;
      this.admit(state, next.queue, next.item);
    }
    this.scheduleWake(site, state, now);
  }

  private admit(state: SiteState, queue: Waiting[], item: Waiting): void {
    queue.splice(queue.indexOf(item), 1);
    if (state.remaining !== undefined) state.remaining -= item.cost;
    const hour = hourOf(this.clock.now());
    if (state.spentHour !== hour) [state.spent, state.spentHour] = [0, hour];
    state.spent += item.cost;
    item.start();
  }

  /**
   * A caller held past its deadline would only wait to fail: it fails now with Jira's wait, unless
   * it may probe whether the limit has lifted (one call per hold per probe interval).
   */
  private settleHeldPastDeadline(state: SiteState, now: number): void {
    for (const queue of [state.interactive, state.background]) {
      for (const item of [...queue]) {
        if (item.deadlineAt === undefined) continue;
        const blocking = this.blockingHolds(state, item, now);
        const until = Math.max(0, ...blocking.map((hold) => hold.until));
        if (until <= item.deadlineAt) continue;
        const mayProbe = state.active < this.maxConcurrent && blocking.every((hold) => hold.probedAt === undefined || now - hold.probedAt >= this.probeIntervalMs);
        if (mayProbe) {
          for (const hold of blocking) hold.probedAt = now;
          this.admit(state, queue, item);
          continue;
        }
        queue.splice(queue.indexOf(item), 1);
        item.fail(new JiraError(JiraErrorCode.RateLimited, { status: 429, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) }));
      }
    }
  }

  private blockingHolds(state: SiteState, item: Waiting, now: number): Hold[] {
    return item.holds.map((scope) => state.holds.get(scope)).filter((hold): hold is Hold => hold !== undefined && hold.until > now);
  }

  private admissible(state: SiteState, now: number): { queue: Waiting[]; item: Waiting } | undefined {
    // Interactive work waits behind nothing except a hold on a limit that covers it.
    const interactive = state.interactive.find((item) => this.blockingHolds(state, item, now).length === 0);
    if (interactive) return { queue: state.interactive, item: interactive };
    const background = state.background.find((item) => this.blockingHolds(state, item, now).length === 0);
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

  /** When a blocked queue might move again without a request finishing: the next hold to end, or the budget's reset. */
  private nextChange(state: SiteState, now: number): number | undefined {
    const times = [...state.holds.values()].map((hold) => hold.until).filter((until) => until > now);
    if (state.resetAt !== undefined) times.push(state.resetAt);
    return times.length > 0 ? Math.min(...times) : undefined;
  }
}

const HOUR_MS = 3_600_000;
const hourOf = (ms: number) => Math.floor(ms / HOUR_MS);
