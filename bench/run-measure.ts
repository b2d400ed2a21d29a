import { measures } from './measures';

/** Child process: runs one measure scenario and prints its rows as one `RESULT <json>` line. */
async function main(): Promise<void> {
  const measure = measures.find((m) => m.name === process.argv[2]);
  if (!measure) throw new Error(`Unknown measure scenario ${process.argv[2]}`);
  const rows = await measure.run();
  process.stdout.write(`RESULT ${JSON.stringify(rows)}\n`);
  // Servers and timers the scenario left behind must not keep the bench waiting.
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
