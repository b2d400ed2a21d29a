import type { MeasureRow } from './measure';
import { summarizeRuns } from './summarize-runs';

/**
 * One row per measured quantity from several runs of a measure: the median value and ratio, the
 * ratio's range over the runs, and pass/fail decided on the median ratio where the row states its
 * bound (`decide`), else only if every run passed. Rows are matched by name.
 */
export function combineMeasureRuns(runs: readonly MeasureRow[][]): MeasureRow[] {
  if (runs.length === 1) return runs[0];
  return runs[0].map((first) => {
    const same = runs.map((rows) => rows.find((row) => row.name === first.name)).filter((row): row is MeasureRow => row !== undefined);
    const value = summarizeRuns(same.map((row) => row.value)).median;
    const ratios = same.flatMap((row) => (row.ratio ? [row.ratio.value] : []));
    const ratio = first.ratio && ratios.length > 0 ? summarizeRuns(ratios) : undefined;
    const combined: MeasureRow = { ...first, value };
    if (first.ratio && ratio) combined.ratio = { value: ratio.median, of: first.ratio.of, spread: { min: ratio.min, max: ratio.max } };
    if (first.decide && ratio) combined.pass = meets(ratio.median, first.decide);
    else if (same.some((row) => row.pass !== undefined)) combined.pass = same.every((row) => row.pass !== false);
    return combined;
  });
}

export function meets(value: number, bound: NonNullable<MeasureRow['decide']>): boolean {
  return (bound.atLeast === undefined || value >= bound.atLeast) && (bound.atMost === undefined || value <= bound.atMost);
}
