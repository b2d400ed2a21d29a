/** A quantity measured several times: its median decides a target, its range says how far to trust it. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Median (the lower middle for an even count, so it is one of the measured values), min and max. */
export function summarizeRuns(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('summarizeRuns: no values');
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor((sorted.length - 1) / 2)], min: sorted[0], max: sorted[sorted.length - 1] };
}
