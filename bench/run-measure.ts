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
 * it waits for `GO` on stdin before its timed part, and says `PREPARED` once it waits: a measure that
 * can set up apart (`prepare`) does so first; any other has only loaded its module, and runs whole
 * after `GO`. So run-bench can start every measure's process (and its setup) before anything is timed.
 */
async function main(): Promise<void> {
  // The measure's promise decides when this process ends, not what handles it holds: a wait left
  // with none (the poller's, once stdin became a pipe) would otherwise end it silently, unreported.
  setInterval(() => undefined, 60_000);
  const entry = measures.find((m) => m.name === process.argv[2]);
  if (!entry) throw new Error(`Unknown measure scenario ${process.argv[2]}`);
  const measure = await entry.load();
  if (measure.name !== entry.name) throw new Error(`bench/measures/index.ts names the measure "${entry.name}", its module "${measure.name}"`);
  const gated = process.env.BENCH_GATED === '1';
  process.stdout.write(`MEASURE ${JSON.stringify({ runs: measure.runs ?? 1, limitMs: measure.limitMs, setsUp: measure.prepare !== undefined })}\n`);
  let rows;
  if (gated) {
    const timed = measure.prepare ? await measure.prepare() : () => measure.run();
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
