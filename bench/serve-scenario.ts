// Before restify loads: see allow-restify-on-node24.ts.
import '../bot/src/http/allow-restify-on-node24';
import { scenarios } from './scenarios';

/** Child process: starts one scenario's server and reports its URL on stdout. */
async function main(): Promise<void> {
  const scenario = scenarios.find((s) => s.name === process.argv[2]);
  if (!scenario) throw new Error(`Unknown scenario ${process.argv[2]}`);
  const server = await scenario.start();
  process.stdout.write(`READY ${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
