import type { Next, Request, Response, Server } from 'restify';
import type { FaultInjector } from '../http/fault-injector';
import type { RateLimiter, RateLimitSettings } from '../http/rate-limiter';
import type { Realism } from '../realism/realism';
import type { SimClock } from '../sim-clock';
import { configureBoardEstimation } from '../site/board-estimation';
import type { SiteState } from '../site/site-state';

export interface SimControlDeps {
  state: SiteState;
  clock: SimClock;
  limiter: RateLimiter;
  faults: FaultInjector;
  reset(seed?: 'demo' | 'empty'): void;
  deliveries(): unknown[];
  idle(timeoutMs?: number): Promise<void>;
  realism: { get(): Realism; set(input: Record<string, unknown> & { preset?: 'realistic' | 'default' }): Realism };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

type ControlHandler = (body: Record<string, unknown>, req: Request) => unknown;

function isTime(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  return undefined;
}

/**
 * Test controls under /_sim/: no auth, loopback callers only. Each answers JSON, 400 with
 * `{ error }` on bad input.
 */
export function mountSimControlRoutes(server: Server, deps: SimControlDeps): void {
  const control = (handler: ControlHandler) =>
    function simControl(req: Request, res: Response, next: Next): void {
      if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
        res.send(403, { error: 'The /_sim control endpoints answer loopback callers only.' });
        return next(false);
      }
      const raw = (req as unknown as { body?: unknown }).body;
      const body = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
      Promise.resolve()
        .then(() => handler(body, req))
        .then(
          (result) => {
            res.send(200, result ?? { ok: true });
            next();
          },
          (err: Error) => {
            res.send(400, { error: err.message });
            next();
          },
        );
    };
  const rateLimitView = () => ({ settings: deps.limiter.settings, ...deps.limiter.current() });

  server.post(
    '/_sim/reset',
    control((body) => {
      const seed = body.seed === 'empty' ? 'empty' : 'demo';
      deps.reset(seed);
      return { ok: true, seed, issues: deps.state.site.issues.length };
    }),
  );

  server.get(
    '/_sim/clock',
    control(() => ({ now: deps.clock.now(), iso: new Date(deps.clock.now()).toISOString() })),
  );
  server.post(
    '/_sim/clock',
    control((body) => {
      const at = isTime(body.now);
      if (at !== undefined) deps.clock.set(at);
      else if (typeof body.advanceMs === 'number') deps.clock.advance(body.advanceMs);
      else throw new Error('Give `now` (epoch ms or ISO string) or `advanceMs`.');
      return { now: deps.clock.now(), iso: new Date(deps.clock.now()).toISOString() };
    }),
  );

  server.get(
    '/_sim/rate-limit',
    control(() => rateLimitView()),
  );
  server.post(
    '/_sim/rate-limit',
    control((body) => {
      const allowed: Array<keyof RateLimitSettings> = ['mode', 'budget', 'windowSeconds', 'baseCost', 'perObjectCost', 'routeCosts', 'appliesTo'];
      const update = Object.fromEntries(Object.entries(body).filter(([k]) => allowed.includes(k as keyof RateLimitSettings)));
      if (update.mode !== undefined && !['enforced', 'beta', 'off'].includes(String(update.mode))) throw new Error('mode is enforced, beta or off.');
      deps.limiter.configure(update);
      if (body.remaining !== undefined) {
        deps.limiter.resetWindow();
        deps.limiter.charge(deps.limiter.settings.budget - Number(body.remaining));
      }
      return rateLimitView();
    }),
  );
  server.post(
    '/_sim/rate-limit/exhaust',
    control(() => {
      deps.limiter.exhaust();
      return rateLimitView();
    }),
  );
  server.post(
    '/_sim/rate-limit/reset',
    control(() => {
      deps.limiter.resetWindow();
      return rateLimitView();
    }),
  );

  server.get(
    '/_sim/faults',
    control(() => ({ pending: deps.faults.pending() })),
  );
  server.post(
    '/_sim/faults',
    control((body) => {
      const status = Number(body.status);
      const count = body.count === undefined ? 1 : Number(body.count);
      if (!Number.isInteger(status) || status < 400 || status > 599) throw new Error('status must be an HTTP error status (400-599).');
      if (!Number.isInteger(count) || count < 1) throw new Error('count must be a positive integer.');
      deps.faults.add({
        status,
        count,
        ...(typeof body.pathPrefix === 'string' ? { pathPrefix: body.pathPrefix } : {}),
        ...(typeof body.method === 'string' ? { method: body.method } : {}),
        ...(typeof body.retryAfterSeconds === 'number' ? { retryAfterSeconds: body.retryAfterSeconds } : {}),
        ...(body.body !== undefined ? { body: body.body } : {}),
      });
      return { pending: deps.faults.pending() };
    }),
  );
  server.del(
    '/_sim/faults',
    control(() => {
      deps.faults.clear();
      return { pending: [] };
    }),
  );

  server.get(
    '/_sim/webhooks/deliveries',
    control(() => ({ deliveries: deps.deliveries() })),
  );
  server.post(
    '/_sim/webhooks/idle',
    control(async (body) => {
      await deps.idle(typeof body.timeoutMs === 'number' ? body.timeoutMs : undefined);
      return { deliveries: deps.deliveries() };
    }),
  );

  server.get(
    '/_sim/realism',
    control(() => deps.realism.get()),
  );
  server.post(
    '/_sim/realism',
    control((body) => {
      if (body.preset !== undefined && body.preset !== 'realistic' && body.preset !== 'default') {
        throw new Error("preset is 'realistic' or 'default'.");
      }
      return deps.realism.set(body);
    }),
  );

  server.post(
    '/_sim/boards/:boardId/estimation',
    control((body, req) => ({ estimation: configureBoardEstimation(deps.state, Number(req.params.boardId), body) })),
  );

  server.get(
    '/_sim/credentials',
    control(() => ({
      users: deps.state.site.users.map((u) => ({ accountId: u.accountId, displayName: u.displayName, email: u.email, apiToken: u.apiToken, siteAdmin: u.siteAdmin })),
    })),
  );
}
