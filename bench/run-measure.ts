import { measures } from './measures';

/**
 * Child process: loads one measure scenario (its module only), prints its settings as one
 * `MEASURE <json>` line (how many runs the parent makes, how long one may take), then runs it and
 * prints its rows as one `RESULT <json>` line.
 */
async function main(): Promise<void> {
  const entry = measures.find((m) => m.name === process.argv[2]);
  if (!entry) throw new Error(`Unknown measure scenario ${process.argv[2]}`);
  const measure = await entry.load();
  if (measure.name !== entry.name) throw new Error(`bench/measures/index.ts names the measure "${entry.name}", its module "${measure.name}"`);
  process.stdout.write(`MEASURE ${JSON.stringify({ runs: measure.runs ?? 1, limitMs: measure.limitMs })}\n`);
  const rows = await measure.run();
  process.stdout.write(`RESULT ${JSON.stringify(rows)}\n`);
  // Servers and timers the scenario left behind must not keep the bench waiting.
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
