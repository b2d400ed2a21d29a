/**
 * Mocha root hooks (loaded through .mocharc.json's `require`): mocha runs without `exit: true`, so a
 * server, socket, timer or child process a test file leaves open keeps the run from ending. Each
 * top-level suite (a test file's describe) gets a last after-all hook that waits for what it closed
 * to finish closing, then fails, naming the suite and its file, if more handles are alive than when
 * the suite started (Node's process.getActiveResourcesInfo(): what keeps the event loop alive). At the
 * very end, if something still holds the process, it is listed and the run fails after a grace
 * period instead of hanging CI.
 */
import type { Context } from 'mocha';

/** How long a suite's handles may take to finish closing (a closed server's sockets end on later ticks). */
const SETTLE_MS = Number(process.env.LEAK_SETTLE_MS ?? 2_000);
/** After the last test: how long the process may take to exit by itself before it is failed. */
const EXIT_GRACE_MS = Number(process.env.LEAK_EXIT_GRACE_MS ?? 10_000);

type Counts = Map<string, number>;

function activeHandles(): Counts {
  const counts: Counts = new Map();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** Types with more live handles now than in `before`, e.g. ["TCPServerWrap x1", "Timeout x2"]. */
function excess(now: Counts, before: Counts): string[] {
  return [...now].filter(([type, count]) => count > (before.get(type) ?? 0)).map(([type, count]) => `${type} x${count - (before.get(type) ?? 0)}`);
}

async function settledExcess(before: Counts): Promise<string[]> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    // Let close callbacks and socket ends run before counting again.
    await new Promise((resolve) => setImmediate(resolve));
    const left = excess(activeHandles(), before);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const leaks: string[] = [];

// In a `--parallel` worker, mocha's pool asks the worker to exit and sends SIGTERM if it has not after one
// second; a worker that ran many files may still be writing its V8 coverage for c8 then, and SIGTERM's
// default action would drop it. Exiting through process.exit instead lets an exit in progress finish.
if (process.env.MOCHA_WORKER_ID !== undefined) process.on('SIGTERM', () => process.exit(143));

export const mochaHooks = {
  // Async, like the checks: each count is then taken inside a running async hook, which holds one
  // timer of mocha's own (its timeout), so that timer is in the baseline too.
  async beforeAll(this: Context) {
    const root = this.test?.parent;
    if (!root) return;
    await new Promise((resolve) => setImmediate(resolve));
    let before = activeHandles();
    for (const suite of root.suites) {
      const where = suite.file ? ` (${suite.file.replace(`${process.cwd()}/`, '')})` : '';
      suite.afterAll(`leaves no handle open: ${suite.title}`, async function (this: Context) {
        this.timeout(SETTLE_MS + 5_000);
        const left = await settledExcess(before);
        before = activeHandles();
        if (left.length > 0) {
          const leak = `"${suite.title}"${where} left open: ${left.join(', ')}`;
          leaks.push(leak);
          throw new Error(`${leak}. Close every server, socket, timer and child process it starts in its after/afterEach hooks.`);
        }
      });
    }
  },

  afterAll() {
    const remaining = process.getActiveResourcesInfo();
    if (leaks.length > 0) process.stderr.write(`\nleaked handles:\n  ${leaks.join('\n  ')}\n`);
    // In `--parallel` runs these hooks run once per file in a pooled worker (mocha sets MOCHA_WORKER_ID),
    // which stays alive for the next file and is ended by mocha itself: an exit timer there would kill
    // it mid-file. Each file's own leak check above still holds there.
    if (process.env.MOCHA_WORKER_ID !== undefined) return;
    // Unref'd: it never keeps the process alive by itself; it only fires if something else does.
    setTimeout(() => {
      process.stderr.write(
        `\nmocha: the process did not exit ${EXIT_GRACE_MS / 1000} s after the last test; still open: ${process.getActiveResourcesInfo().join(', ')}` +
          ` (at the end of the run: ${remaining.join(', ') || 'nothing'})\n`,
      );
      process.exit(1);
    }, EXIT_GRACE_MS).unref();
  },
};
