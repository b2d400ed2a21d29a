import type { Next, Request, Response } from 'restify';
import type { Realism } from '../realism/realism';
import { authOf } from '../sim-auth';
import type { SiteState } from '../site/site-state';
import type { FaultInjector } from './fault-injector';
import type { RateLimiter } from './rate-limiter';
import type { WindowCounter } from './window-counter';

export interface MeterDeps {
  limiter: RateLimiter;
  faults: FaultInjector;
  /** Live realism switches (burst and per-issue write limits); absent = both off. */
  realism?: () => Realism;
  /** Counters for the burst and per-issue write limits; reset with the site. */
  burst?: WindowCounter;
  issueWrites?: WindowCounter;
  state?: SiteState;
}

/** Marks a request metered; the route wrapper adds per-object points before answering. */
export interface Metered {
  simMetered?: boolean;
}

const RATE_LIMITED = { errorMessages: ['Rate limit exceeded.'], errors: {} };

function resetStamp(nowMs: number, resetMs: number): string {
  return new Date(nowMs + resetMs).toISOString().slice(0, 16) + 'Z';
}

function refuse(res: Response, next: Next, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.send(429, RATE_LIMITED);
  next(false);
}

/**
 * Runs before every authenticated API route (the core's and the modules'): injected faults first,
 * then Jira's three independent limits, each with its own reason: the per-second burst limit per
 * endpoint and method (every caller, API tokens included), the per-issue write limit, and the
 * hourly points quota (then the base cost is charged).
 */
export function meterRequest(deps: MeterDeps) {
  return function meter(req: Request, res: Response, next: Next): void {
    const path = req.getPath();
    if (!path.startsWith('/rest/')) return next();
    const method = req.method ?? 'GET';
    const fault = deps.faults.take(method, path);
    if (fault) {
      if (fault.retryAfterSeconds !== undefined) res.header('Retry-After', String(fault.retryAfterSeconds));
      res.send(fault.status, fault.body ?? { errorMessages: [`Injected failure (HTTP ${fault.status}).`], errors: {} });
      return next(false);
    }
    const auth = authOf(req);
    const realism = deps.realism?.();
    const clockNow = deps.state?.now() ?? Date.now();
    if (auth && realism?.burstLimit.enabled && deps.burst) {
      const route = req.getRoute?.()?.path ?? path;
      const limit = realism.burstLimit.perSecond;
      const verdict = deps.burst.admit(`${method} ${String(route)}`, limit, 1000);
      const headers = {
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': String(verdict.remaining),
      };
      if (!verdict.admitted) {
        return refuse(res, next, {
          ...headers,
          'Retry-After': String(Math.max(1, Math.ceil(verdict.resetMs / 1000))),
          'RateLimit-Reason': 'jira-burst-based',
          'X-RateLimit-Reset': resetStamp(clockNow, verdict.resetMs),
        });
      }
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    }
    const issueRef = (req.params as Record<string, string> | undefined)?.issueIdOrKey;
    if (auth && method !== 'GET' && issueRef && realism?.issueWriteLimit.enabled && deps.issueWrites) {
      // Keyed by issue id, so writes through the key and the id share one budget.
      const issueId = deps.state?.issue(issueRef)?.id ?? issueRef.toUpperCase();
      const { writes, windowSeconds } = realism.issueWriteLimit;
      const verdict = deps.issueWrites.admit(issueId, writes, windowSeconds * 1000);
      if (!verdict.admitted) {
        return refuse(res, next, {
          'Retry-After': String(Math.max(1, Math.ceil(verdict.resetMs / 1000))),
          'RateLimit-Reason': 'jira-per-issue-on-write',
          'X-RateLimit-Reset': resetStamp(clockNow, verdict.resetMs),
        });
      }
    }
    const { limiter } = deps;
    if (!auth || limiter.settings.mode === 'off' || (limiter.settings.appliesTo === 'oauth' && auth.kind !== 'oauth')) {
      return next();
    }
    if (limiter.refuses()) return refuse(res, next, limiter.refusalHeaders());
    limiter.charge(limiter.settings.baseCost);
    (req as unknown as Metered).simMetered = true;
    for (const [name, value] of Object.entries(limiter.headers())) res.setHeader(name, value);
    return next();
  };
}
