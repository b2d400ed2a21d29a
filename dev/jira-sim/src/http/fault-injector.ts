/** Makes the next N matching API requests fail with a chosen status, for clients' retry tests. */
export interface FaultPlan {
  status: number;
  count: number;
  /** Only requests whose path starts with this are affected (default: every /rest path). */
  pathPrefix?: string;
  method?: string;
  retryAfterSeconds?: number;
  body?: unknown;
}

export class FaultInjector {
  private plans: FaultPlan[] = [];

  add(plan: FaultPlan): void {
    this.plans.push({ ...plan });
  }

  clear(): void {
    this.plans = [];
  }

  pending(): FaultPlan[] {
    return this.plans.map((p) => ({ ...p }));
  }

  /** Takes one failure for this request if a plan matches. */
  take(method: string, path: string): FaultPlan | undefined {
    const plan = this.plans.find((p) => p.count > 0 && path.startsWith(p.pathPrefix ?? '/rest/') && (!p.method || p.method.toUpperCase() === method));
    if (!plan) return undefined;
    plan.count -= 1;
    this.plans = this.plans.filter((p) => p.count > 0);
    return plan;
  }
}
