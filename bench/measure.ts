/**
 * A benchmark that is not a loop of HTTP requests (a delivery burst, a polling schedule): it
 * runs once in its own process and reports rows for the second table of `npm run bench`.
 */
export interface MeasureScenario {
  name: string;
  /** Resolves with the rows to print; must finish well inside `run-bench`'s time limit. */
  run(): Promise<MeasureRow[]>;
}

export interface MeasureRow {
  /** What was measured, e.g. "delivered per conversation". */
  name: string;
  value: number;
  unit: string;
  /** The target as written in DESIGN.md's Targets table, for the reader. */
  target: string;
  /** value against what it is compared with, e.g. 0.97 of the ceiling; omitted when meaningless. */
  ratio?: { value: number; of: string };
  /** Whether the target was met; omitted for rows that only give context. */
  pass?: boolean;
}
