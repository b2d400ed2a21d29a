/**
 * Jira Cloud's points-based quota for one site: a budget of points per fixed hourly window.
 * Every request costs a base point; reads add a point per object returned, writes pay the base
 * only (Atlassian's published model). "beta" mode reports with `Beta-` headers and never
 * refuses, as Jira did before enforcement.
 */
export type RateLimitMode = 'enforced' | 'beta' | 'off';

export interface RateLimitSettings {
  mode: RateLimitMode;
  /** Points per window (Jira's global pool starts at 65,000 per hour). */
  budget: number;
  windowSeconds: number;
  baseCost: number;
  perObjectCost: number;
  /** Fixed costs that replace the computed one, keyed like "GET /rest/api/3/search/jql". */
  routeCosts: Record<string, number>;
  /** Which callers are metered: Jira meters apps (OAuth); tests often want Basic metered too. */
  appliesTo: 'all' | 'oauth';
}

export const DEFAULT_RATE_LIMIT: RateLimitSettings = {
  mode: 'enforced',
  budget: 65_000,
  windowSeconds: 3600,
  baseCost: 1,
  perObjectCost: 1,
  routeCosts: {},
  appliesTo: 'all',
};

const POLICY = '"tenant-app-quota"';

export interface RateLimitState {
  remaining: number;
  resetSeconds: number;
}

export class RateLimiter {
  settings: RateLimitSettings;
  private windowStart = 0;
  private used = 0;

  constructor(
    settings: Partial<RateLimitSettings>,
    private readonly now: () => number,
  ) {
    this.settings = { ...DEFAULT_RATE_LIMIT, ...settings };
  }

  configure(settings: Partial<RateLimitSettings>): void {
    this.settings = { ...this.settings, ...settings };
  }

  private roll(): void {
    const windowMs = this.settings.windowSeconds * 1000;
    const start = Math.floor(this.now() / windowMs) * windowMs;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.used = 0;
    }
  }

  current(): RateLimitState {
    this.roll();
    const resetMs = this.windowStart + this.settings.windowSeconds * 1000 - this.now();
    return { remaining: Math.max(0, this.settings.budget - this.used), resetSeconds: Math.max(1, Math.ceil(resetMs / 1000)) };
  }

  /** Spend the rest of the window's budget, so the next metered request is refused. */
  exhaust(): void {
    this.roll();
    this.used = this.settings.budget;
  }

  resetWindow(): void {
    this.roll();
    this.used = 0;
  }

  /** True when the request must be refused with 429 before it runs. */
  refuses(): boolean {
    return this.settings.mode === 'enforced' && this.current().remaining <= 0;
  }

  charge(points: number): void {
    this.roll();
    this.used += points;
  }

  cost(routeKey: string, method: string, objects: number): number {
    const fixed = this.settings.routeCosts[routeKey];
    if (fixed !== undefined) return fixed;
    if (method !== 'GET') return this.settings.baseCost;
    return this.settings.baseCost + this.settings.perObjectCost * objects;
  }

  headers(): Record<string, string> {
    if (this.settings.mode === 'off') return {};
    const { remaining, resetSeconds } = this.current();
    const prefix = this.settings.mode === 'beta' ? 'Beta-' : '';
    return {
      [`${prefix}RateLimit-Policy`]: `${POLICY};q=${this.settings.budget};w=${this.settings.windowSeconds}`,
      [`${prefix}RateLimit`]: `${POLICY};r=${remaining};t=${resetSeconds}`,
      ...(remaining < this.settings.budget * 0.2 ? { [`X-${prefix}RateLimit-NearLimit`]: 'true' } : {}),
    };
  }

  refusalHeaders(): Record<string, string> {
    const { resetSeconds } = this.current();
    const reset = new Date(this.windowStart + this.settings.windowSeconds * 1000).toISOString().slice(0, 16) + 'Z';
    return {
      ...this.headers(),
      'Retry-After': String(resetSeconds),
      'RateLimit-Reason': 'jira-quota-tenant-based',
      'X-RateLimit-Reset': reset,
    };
  }
}
