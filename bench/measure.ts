/**
 * A benchmark that is not a loop of HTTP requests (a delivery burst, a polling schedule): it
 * runs once in its own process and reports rows for the second table of `npm run bench`.
 */
export interface MeasureScenario {
  name: string;
  /**
   * How many times `npm run bench` runs it (each in a fresh process) to report medians; times
   * BENCH_REPEAT. Default 1, for a measure that repeats inside itself or is deterministic.
   */
  runs?: number;
  /**
   * How long one run may take before `run-bench` stops it (default BENCH_MEASURE_LIMIT_MS, 45 s):
   * for a measure that starts several service processes, whose start alone takes seconds each.
   */
  limitMs?: number;
  /** Resolves with the rows to print; must finish well inside `run-bench`'s time limit. */
  run(): Promise<MeasureRow[]>;
  /**
   * Its untimed setup (processes started, stores filled), resolving with the timed rest, which `run`
   * does in one go. `run-bench` sets up every measure's runs (each still its own fresh process) at
   * once before it times anything, then times them one after the other, each while the others wait
   * idle: no setup shares the machine with a timed part. What it starts must then be idle until timed.
   */
  prepare?(): Promise<() => Promise<MeasureRow[]>>;
}

export interface MeasureRow {
  /** What was measured, e.g. "delivered per conversation". */
  name: string;
  value: number;
  unit: string;
  /** The target as written in DESIGN.md's Targets table, for the reader. */
  target: string;
  /** value against what it is compared with, e.g. 0.97 of the ceiling; omitted when meaningless. */
  ratio?: { value: number; of: string; spread?: { min: number; max: number } };
  /** Whether the target was met; omitted for rows that only give context. */
  pass?: boolean;
  /**
   * The target as a bound on the ratio, so that a measure run several times is judged on its median
   * ratio; without it, a repeated row passes only if every run passed (counts that must be exact).
   */
  decide?: { atLeast?: number; atMost?: number };
}
