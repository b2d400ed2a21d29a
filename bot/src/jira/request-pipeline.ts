import { backoffDelay, type BackoffOptions } from './backoff-delay';
import { systemClock, type Clock } from './clock';
import { JiraError, JiraErrorCode } from './jira-error';
import { isIdempotentRequest } from './is-idempotent-request';
import { mapJiraStatus } from './map-jira-status';
import { parseRateLimitHeaders, type HeaderBag, type RateLimitReason } from './parse-rate-limit-headers';
import { rateLimitScopes, type RateLimitScopes } from './rate-limit-scopes';
import { SiteScheduler, type JiraPriority } from './site-scheduler';
import { countJiraPoints, countJiraThrottled } from '../telemetry/service-metrics';

export interface PipelineRequest {
  /** The scheduler key: one budget and one concurrency cap per Jira site (cloudId or site URL). */
  site: string;
  method: string;
  /** The REST path, used to name the permission on a 403 and to decide idempotency. */
  path: string;
  priority: JiraPriority;
  cost?: number;
}

export interface HttpResult {
  status: number;
  headers: HeaderBag;
  data: unknown;
}

export interface AttemptContext {
  signal: AbortSignal;
  /** True on the attempt after a 401, so the sender can present a freshly refreshed token. */
  refreshAuth: boolean;
}

/** Sends one HTTP attempt. Resolves with any HTTP answer; rejects only when no answer came. */
export type Attempt = (context: AttemptContext) => Promise<HttpResult>;

export interface RequestPipelineOptions {
  scheduler: SiteScheduler;
  clock?: Clock;
  random?: () => number;
  /** Tries in all, the first included. */
  maxTries?: number;
  backoff?: BackoffOptions;
  /** Overall time a call may take, waits included, by priority. */
  deadlineMs?: Record<JiraPriority, number>;
}

const RETRYABLE_5XX = new Set([500, 502, 503, 504]);

/**
 * Every Jira call passes through here: admission by the site scheduler, rate-limit headers fed
 * back to it, bounded retries of 429, 5xx and (for idempotent calls) network errors with
 * exponential backoff and full jitter, Retry-After honoured, one overall deadline, and the final
 * failure turned into a coded JiraError.
 */
export class RequestPipeline {
  private readonly scheduler: SiteScheduler;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly maxTries: number;
  private readonly backoff: BackoffOptions;
  private readonly deadlineMs: Record<JiraPriority, number>;

  constructor(options: RequestPipelineOptions) {
    this.scheduler = options.scheduler;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.maxTries = options.maxTries ?? 5;
    this.backoff = options.backoff ?? { baseMs: 500, capMs: 20_000 };
    this.deadlineMs = options.deadlineMs ?? { interactive: 15_000, background: 120_000 };
  }

  /** `canRefreshAuth`: a 401 earns one more attempt with a refreshed token (OAuth connections). */
  async send(request: PipelineRequest, attempt: Attempt, options: { canRefreshAuth?: boolean } = {}): Promise<HttpResult> {
    const deadline = new AbortController();
    const deadlineAt = this.clock.now() + this.deadlineMs[request.priority];
    const deadlineTimer = new AbortController();
    this.clock.sleep(deadlineAt - this.clock.now(), deadlineTimer.signal).then(
      () => deadline.abort(new DeadlinePassed()),
      () => undefined,
    );
    const idempotent = isIdempotentRequest(request.method, request.path);
    const scopes = rateLimitScopes(request.method, request.path);
    const holds = [scopes.quota, scopes.burst, ...(scopes.issueWrite ? [scopes.issueWrite] : [])];
    let refreshAuth = false;
    let refreshed = false;
    let last: { status?: number; retryAfterMs?: number } = {};

    try {
      for (let tryNumber = 1; ; tryNumber += 1) {
        let result: HttpResult;
        let sentAt = 0;
        try {
          const context = { signal: deadline.signal, refreshAuth };
          const send = () => ((sentAt = this.clock.now()), attempt(context));
          result = await this.scheduler.run(request.site, request.priority, send, {
            cost: request.cost,
            signal: deadline.signal,
            holds,
            deadlineAt,
          });
        } catch (error) {
          if (error instanceof JiraError) throw error;
          if (deadline.signal.aborted) throw this.deadlineError(last);
          // No answer at all: a POST that creates something may have landed, so only idempotent calls go again.
          if (!idempotent || tryNumber >= this.maxTries) throw new JiraError(JiraErrorCode.Unavailable, { cause: error });
          last = {};
          await this.wait(backoffDelay(tryNumber - 1, this.backoff, this.random), deadlineAt, last, deadline.signal);
          continue;
        }

        const info = parseRateLimitHeaders(result.headers, this.clock.now());
        this.scheduler.observe(request.site, info);
        countJiraPoints(request.site, request.cost ?? 1);
        if (result.status === 429) {
          countJiraThrottled(request.site, info.reason ?? 'unknown');
          // Hold only what the refusing limit covers; without Retry-After this call alone backs off.
          if (info.retryAfterMs !== undefined) this.scheduler.hold(request.site, holdFor(info.reason, scopes), info.retryAfterMs);
        } else {
          this.scheduler.release(request.site, holds, sentAt);
        }
        if (result.status < 400) return result;

        refreshAuth = false;
        // A token without the operation's scope stays without it when refreshed: only a new consent adds scopes.
        if (result.status === 401 && options.canRefreshAuth && !refreshed && !isScopeMismatch(result.data)) {
          refreshed = true;
          refreshAuth = true;
          continue;
        }
        const retryable = result.status === 429 || (RETRYABLE_5XX.has(result.status) && (idempotent || (result.status === 503 && info.retryAfterMs !== undefined)));
        if (!retryable || tryNumber >= this.maxTries) {
          throw mapJiraStatus({ ...this.describe(request, result), retryAfterSeconds: seconds(info.retryAfterMs) });
        }
        last = { status: result.status, retryAfterMs: info.retryAfterMs };
        // On 429 the scheduler already holds this call's scope for Retry-After; without one, back off this call.
        const delay = result.status === 429 && info.retryAfterMs !== undefined ? 0 : Math.max(info.retryAfterMs ?? 0, backoffDelay(tryNumber - 1, this.backoff, this.random));
        if (result.status === 429 && info.retryAfterMs !== undefined && this.clock.now() + info.retryAfterMs > deadlineAt) {
          throw this.deadlineError(last);
        }
        await this.wait(delay, deadlineAt, last, deadline.signal);
      }
    } finally {
      deadlineTimer.abort();
    }
  }

  private async wait(ms: number, deadlineAt: number, last: { status?: number; retryAfterMs?: number }, signal: AbortSignal) {
    if (this.clock.now() + ms > deadlineAt) throw this.deadlineError(last);
    if (ms <= 0) return;
    try {
      await this.clock.sleep(ms, signal);
    } catch {
      throw this.deadlineError(last);
    }
  }

  private deadlineError(last: { status?: number; retryAfterMs?: number }): JiraError {
    if (last.status === 429) {
      return new JiraError(JiraErrorCode.RateLimited, { status: 429, retryAfterSeconds: Math.max(1, seconds(last.retryAfterMs) ?? 30) });
    }
    return new JiraError(JiraErrorCode.Unavailable, { status: last.status });
  }

  private describe(request: PipelineRequest, result: HttpResult) {
    return { status: result.status, data: result.data, method: request.method, path: request.path };
  }
}

class DeadlinePassed extends Error {
  constructor() {
    super('Jira call deadline passed');
  }
}

/** api.atlassian.com answers a token lacking the operation's OAuth scope 401 "Unauthorized; scope does not match". */
function isScopeMismatch(data: unknown): boolean {
  const text = typeof data === 'string' ? data : JSON.stringify(data ?? '');
  return /scope does not match/i.test(text);
}

/** An unnamed limit is taken as the narrowest that could have refused the call: its endpoint. */
function holdFor(reason: RateLimitReason | undefined, scopes: RateLimitScopes): string {
  if (reason === 'quota') return scopes.quota;
  if (reason === 'issue-write' && scopes.issueWrite) return scopes.issueWrite;
  return scopes.burst;
}

function seconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.ceil(ms / 1000);
}
