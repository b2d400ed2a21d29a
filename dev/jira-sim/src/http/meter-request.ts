import type { Next, Request, Response } from 'restify';
import { authOf } from '../sim-auth';
import type { FaultInjector } from './fault-injector';
import type { RateLimiter } from './rate-limiter';

export interface MeterDeps {
  limiter: RateLimiter;
  faults: FaultInjector;
}

/** Marks a request metered; the route wrapper adds per-object points before answering. */
export interface Metered {
  simMetered?: boolean;
}

/**
 * Runs before every authenticated API route (the core's and the modules'): injected faults
 * first, then the site's points quota (429 with Retry-After once spent), then the base cost.
 */
export function meterRequest(deps: MeterDeps) {
  return function meter(req: Request, res: Response, next: Next): void {
    const path = req.getPath();
    if (!path.startsWith('/rest/')) return next();
    const fault = deps.faults.take(req.method ?? 'GET', path);
    if (fault) {
      if (fault.retryAfterSeconds !== undefined) res.header('Retry-After', String(fault.retryAfterSeconds));
      res.send(fault.status, fault.body ?? { errorMessages: [`Injected failure (HTTP ${fault.status}).`], errors: {} });
      return next(false);
    }
    const auth = authOf(req);
    const { limiter } = deps;
    if (!auth || limiter.settings.mode === 'off' || (limiter.settings.appliesTo === 'oauth' && auth.kind !== 'oauth')) {
      return next();
    }
    if (limiter.refuses()) {
      for (const [name, value] of Object.entries(limiter.refusalHeaders())) res.setHeader(name, value);
      res.send(429, { errorMessages: ['Rate limit exceeded.'], errors: {} });
      return next(false);
    }
    limiter.charge(limiter.settings.baseCost);
    (req as unknown as Metered).simMetered = true;
    for (const [name, value] of Object.entries(limiter.headers())) res.setHeader(name, value);
    return next();
  };
}
