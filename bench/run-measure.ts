import { measures } from './measures';

/** Resolves when the parent writes a line `GO` on this process's stdin. */
const go = () =>
  new Promise<void>((resolve, reject) => {
    let input = '';
    process.stdin.on('data', (chunk: Buffer) => {
      input += chunk.toString();
      if (/^GO$/m.test(input)) resolve();
    });
    process.stdin.once('end', () => reject(new Error('the bench ended before this run was timed')));
  });

/**
 * Child process: loads one measure scenario (its module only), prints its settings as one
 * `MEASURE <json>` line (how many runs the parent makes, how long one may take, whether it sets up
 * apart), then runs it and prints its rows as one `RESULT <json>` line. With BENCH_GATED=1 (run-bench)
 * a measure that can set up apart (`prepare`) does so, prints `PREPARED` and waits for `GO` on
 * stdin before its timed part.
 */
async function main(): Promise<void> {
  // The measure's promise decides when this process ends, not what handles it holds: a wait left
  // with none (the poller's, once stdin became a pipe) would otherwise end it silently, unreported.
  setInterval(() => undefined, 60_000);
  const entry = measures.find((m) => m.name === process.argv[2]);
  if (!entry) throw new Error(`Unknown measure scenario ${process.argv[2]}`);
  const measure = await entry.load();
  if (measure.name !== entry.name) throw new Error(`bench/measures/index.ts names the measure "${entry.name}", its module "${measure.name}"`);
  const gated = process.env.BENCH_GATED === '1' && measure.prepare !== undefined;
  process.stdout.write(`MEASURE ${JSON.stringify({ runs: measure.runs ?? 1, limitMs: measure.limitMs, gated })}\n`);
  let rows;
  if (gated) {
    const timed = await measure.prepare!();
    process.stdout.write('PREPARED\n');
    await go();
    rows = await timed();
  } else {
    rows = await measure.run();
  }
  process.stdout.write(`RESULT ${JSON.stringify(rows)}\n`);
  // Servers and timers the scenario left behind must not keep the bench waiting.
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
