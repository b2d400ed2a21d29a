import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { buildStale } from './build-if-stale';
import { measures } from './measures';
import { benchNodeArgs } from './node-args';
import type { MeasureRow } from './measure';
import { scenarios } from './scenarios';
import type { Scenario } from './scenario';
import { combineMeasureRuns } from './combine-measure-runs';
import { summarizeRuns, type Spread } from './summarize-runs';

/**
 * `npm run bench`: every scenario's server runs in its own process and autocannon loads it from
 * this one. Numbers are only meaningful as ratios against a baseline measured in the same run on
 * the same machine: every server is measured in one-second slices, turn after turn (all servers
 * up, the order reversed every turn), a scenario's ratio is taken against its baseline's slice of
 * the same turn, and the target is decided on the median ratio; the table shows its range (min-max) over the turns. Measures run in
 * fresh processes, several times where they do not repeat themselves, and report medians; every measure's process starts, and
 * makes its untimed setup, before anything is timed, then waits idle until its timed part's turn.
 */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
/** More turns and measure runs for steadier medians: BENCH_REPEAT=3 triples them. */
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 1));
const TURNS = Math.max(1, Number(process.env.BENCH_TURNS ?? 5)) * REPEAT;
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);
const ONLY = process.env.BENCH_ONLY;
/** A measure scenario still running after this is stopped and reported as failed. */
const MEASURE_LIMIT_MS = Number(process.env.BENCH_MEASURE_LIMIT_MS ?? 45_000);

/** When each phase before the measures ended (ms since the epoch), in order: printed with the total, to see where the time goes. */
const phases: Array<[string, number]> = [];

/** One scenario's numbers over its turns (medians), and against its baseline (median ratios and their range). */
interface Result {
  name: string;
  baseline?: string;
  target?: Scenario['target'];
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  against?: { throughput: Spread; p99: Spread };
  /** The server process's peak resident set (VmHWM), in MB; undefined where /proc is not there. */
  peakRssMb?: number;
}

/** DESIGN's memory target for the service under load (the built service, not under tsx). */
const RSS_TARGET_MB = 200;

/** Peak resident set of a process from Linux's /proc: what the service needed at its busiest. */
function peakRssMb(pid: number | undefined): number | undefined {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

async function startChild(scenario: Scenario): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...benchNodeArgs, path.join(__dirname, 'serve-scenario.ts'), scenario.name], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`${scenario.name}: server exited with ${code} before it was ready`)));
  });
  return { url, child };
}

function load(url: string, scenario: Scenario, seconds: number): Promise<autocannon.Result> {
  const { method, path: requestPath, headers, body, vary } = scenario.request;
  return autocannon({
    url: url + requestPath,
    method,
    headers,
    body,
    ...(vary
      ? {
          requests: [
            {
              method,
              path: requestPath,
              setupRequest: (request: autocannon.Request) => {
                const next = vary();
                return { ...request, body: next.body, headers: { ...headers, ...request.headers, ...next.headers } };
              },
            },
          ],
        }
      : {}),
    connections: CONNECTIONS,
    duration: seconds,
  });
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

type Server = { url: string; child: ChildProcess };

/** One one-second slice of every server, in the given order; returns each one's autocannon result. */
async function turn(servers: Map<string, Server>, order: readonly Scenario[]): Promise<Map<string, autocannon.Result>> {
  const taken = new Map<string, autocannon.Result>();
  for (const scenario of order) taken.set(scenario.name, await load(servers.get(scenario.name)!.url, scenario, 1));
  return taken;
}

function resultOf(scenario: Scenario, slices: readonly autocannon.Result[], server: Server, against?: Result['against']): Result {
  const peak = peakRssMb(server.child.pid);
  return {
    name: scenario.name,
    baseline: scenario.baseline,
    target: scenario.target,
    rps: summarizeRuns(slices.map((r) => r.requests.total / Math.max(r.duration, 0.001))).median,
    p50: summarizeRuns(slices.map((r) => r.latency.p50)).median,
    p99: summarizeRuns(slices.map((r) => r.latency.p99)).median,
    errors: slices.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
    non2xx: slices.reduce((sum, r) => sum + r.non2xx, 0),
    ...(against ? { against } : {}),
    ...(peak === undefined ? {} : { peakRssMb: peak }),
  };
}

/**
 * TURNS turns; in each, every server takes one one-second slice, all in one order on even turns
 * and in the reverse order on odd ones, so every scenario runs before its baseline half the time
 * and after it the other half. A scenario's ratio in a turn is against its baseline's slice of
 * that same turn: a baseline shared by several scenarios (the static card, for both unfurls) is
 * loaded once per turn instead of once per pair, which keeps the ratios within one turn and the
 * run shorter. A scenario that is only a baseline gets a row of its own slices, without ratios.
 */
async function measureScenarios(selected: readonly Scenario[], prepared: Promise<void>): Promise<Result[]> {
  const byName = new Map(scenarios.map((s) => [s.name, s]));
  const needed = new Map<string, Scenario>();
  for (const scenario of selected) {
    if (scenario.baseline) needed.set(scenario.baseline, byName.get(scenario.baseline)!);
    needed.set(scenario.name, scenario);
  }
  // The declared order (a baseline before the scenarios measured against it), reversed every other turn.
  const order = scenarios.filter((s) => needed.has(s.name));
  process.stderr.write(`bench: starting ${needed.size} servers...\n`);
  const servers = new Map<string, Server>();
  try {
    for (const [name, server] of await Promise.all(order.map(async (s) => [s.name, await startChild(s)] as const))) servers.set(name, server);
    // The builds, the measures' setups and the count-only measures run while the servers start and
    // warm up (untimed: it only makes the code paths hot); nothing is timed until all of it is done.
    if (WARMUP_SECONDS > 0) for (const s of order) await load(servers.get(s.name)!.url, s, WARMUP_SECONDS);
    await prepared;
    phases.push(['builds, servers started and warmed up, measures set up, count-only measures', Date.now()]);
    const slicesOf = new Map<string, autocannon.Result[]>(order.map((s) => [s.name, []]));
    process.stderr.write(`bench: ${TURNS} turns of a one-second slice of each of ${order.length} servers...\n`);
    for (let t = 0; t < TURNS; t += 1) {
      const taken = await whileWaitingIdle(() => turn(servers, t % 2 === 0 ? order : [...order].reverse()));
      for (const [name, result] of taken) slicesOf.get(name)!.push(result);
    }
    phases.push(['scenario turns', Date.now()]);
    const rps = (r: autocannon.Result) => r.requests.total / Math.max(r.duration, 0.001);
    return order.map((scenario) => {
      const mine = slicesOf.get(scenario.name)!;
      // A baseline not selected itself (BENCH_ONLY=unfurl runs the static card without bare restify) has no ratio.
      const theirs = scenario.baseline === undefined ? undefined : slicesOf.get(scenario.baseline);
      if (!theirs) return resultOf(scenario, mine, servers.get(scenario.name)!);
      const against = {
        throughput: summarizeRuns(mine.map((r, i) => rps(r) / Math.max(rps(theirs[i]), 0.001))),
        p99: summarizeRuns(mine.map((r, i) => r.latency.p99 / Math.max(theirs[i].latency.p99, 0.1))),
      };
      return resultOf(scenario, mine, servers.get(scenario.name)!, against);
    });
  } finally {
    await Promise.all([...servers.values()].map(({ child }) => stop(child)));
  }
}

const ratioText = (spread: Spread) => `${spread.median.toFixed(2)}x (${spread.min.toFixed(2)}-${spread.max.toFixed(2)})`;

function table(results: Result[]): string {
  const rows = results.map((r) => [
    r.name,
    r.rps.toFixed(0),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    r.against ? `${ratioText(r.against.throughput)} ${r.baseline}` : '-',
    r.against ? ratioText(r.against.p99) : '-',
    String(r.errors + r.non2xx),
    r.peakRssMb === undefined ? '-' : r.peakRssMb.toFixed(0),
    r.target ? `${r.target.text}: ${r.against ? mark(r.target.met({ throughput: r.against.throughput.median, p99: r.against.p99.median })) : 'no baseline'}` : '-',
  ]);
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'throughput vs baseline: median (min-max)', 'p99 vs baseline', 'errors', 'peak RSS MB', 'target (on the medians)'];
  return markdownTable(header, rows);
}

const mark = (pass: boolean) => (pass ? 'pass' : 'FAIL');

function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

interface MeasureResult {
  scenario: string;
  rows: MeasureRow[];
  /** Why the scenario produced no rows (crashed, or ran past MEASURE_LIMIT_MS). */
  error?: string;
  /** How long its first runs took to start and set up, before anything was timed. */
  setUpSeconds: number;
  /** How long it then took: its runs timed one after the other (and any later batch's setup). */
  seconds: number;
  runs: number;
}

/**
 * A process and every process under it (Linux's /proc): a measure stopped at its limit must not
 * leave the servers, browsers or clusters it started running, orphaned, through the rest of the bench.
 */
function processTree(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent is the field after the name, which is in parentheses and may hold spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i += 1) for (const [pid, parent] of parentOf) if (parent === tree[i]) tree.push(pid);
  return tree;
}

function killTree(root: number | undefined): void {
  if (root === undefined) return;
  for (const pid of processTree(root)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

/** What a measure's process says of it before it runs (run-measure.ts's `MEASURE` line). */
interface MeasureSettings {
  runs: number;
  limitMs?: number;
  /** It sets up apart (`prepare`) before it prints `PREPARED`; any other measure has only loaded its module then. */
  setsUp?: boolean;
}

/**
 * How many runs of one measure are set up at once (each a process with its own servers, waiting
 * idle until timed); BENCH_SET_UP_TOGETHER=1 sets each run after the first up just before it is timed.
 */
const SET_UP_TOGETHER = Math.max(1, Number(process.env.BENCH_SET_UP_TOGETHER ?? 3));

/** One run of a measure scenario in its own process (bench/run-measure.ts). */
interface MeasureRun {
  /** Its `MEASURE` line; undefined if it ended before saying it. */
  settings: Promise<MeasureSettings | undefined>;
  /** Resolves once it is set up and waits for `go()` (true), or ended before (false). */
  prepared: Promise<boolean>;
  /** Starts its timed part. */
  go(): void;
  /** Stops it and every process it started. */
  stop(): void;
  /** Its process. */
  pid: number | undefined;
  result: Promise<{ rows?: MeasureRow[]; error?: string }>;
}

/**
 * Starts one run, bounded in time: BENCH_MEASURE_LIMIT_MS, or the measure's own `limitMs` once its
 * process has said it; its setup SET_UP_TOGETHER times that (setups share the machine), and its
 * timed part that again from `go()` (not the time it waits).
 */
function startMeasureRun(name: string): MeasureRun {
  const child = spawn(process.execPath, [...benchNodeArgs, path.join(__dirname, 'run-measure.ts'), name], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_REPEAT: String(REPEAT), BENCH_GATED: '1' },
  });
  // A run that ended before it was told to go.
  child.stdin.on('error', () => undefined);
  let limitMs = MEASURE_LIMIT_MS;
  let since = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => killTree(child.pid), Math.max(0, ms - (Date.now() - since)));
  };
  arm(limitMs);
  let said: (settings: MeasureSettings | undefined) => void = () => undefined;
  const settings = new Promise<MeasureSettings | undefined>((resolve) => (said = resolve));
  let ready: (prepared: boolean) => void = () => undefined;
  const prepared = new Promise<boolean>((resolve) => (ready = resolve));
  let out = '';
  let known = false;
  let waiting = false;
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const line = known ? undefined : /^MEASURE (.*)$/m.exec(out);
    if (line) {
      known = true;
      const told = JSON.parse(line[1]) as MeasureSettings;
      limitMs = Math.max(limitMs, told.limitMs ?? 0);
      // The setups of a batch share the machine: each may take as long as the batch would one after the other.
      arm(limitMs * SET_UP_TOGETHER);
      said(told);
    }
    if (!waiting && /^PREPARED$/m.test(out)) {
      waiting = true;
      clearTimeout(timer);
      ready(true);
    }
  });
  const result = new Promise<{ rows?: MeasureRow[]; error?: string }>((resolve) => {
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let ended = false;
    let grace: ReturnType<typeof setTimeout> | undefined;
    // The process may exit before this one has read all it wrote: its RESULT is read once its output
    // ended (or, should a process it started still hold that output, a few seconds after it exited).
    const finish = () => {
      if (!exited) return;
      clearTimeout(grace);
      said(undefined);
      ready(false);
      const line = /^RESULT (.*)\n/m.exec(out);
      if (line) return resolve({ rows: JSON.parse(line[1]) as MeasureRow[] });
      resolve({ error: exited.signal === 'SIGKILL' ? `stopped after ${limitMs / 1000} s` : `exited with ${exited.code ?? exited.signal} before reporting` });
    };
    child.stdout.once('end', () => {
      ended = true;
      finish();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      exited = { code, signal };
      if (ended) finish();
      else grace = setTimeout(finish, 5_000);
    });
  });
  return {
    settings,
    prepared,
    go() {
      since = Date.now();
      arm(limitMs);
      child.stdin.write('GO\n');
    },
    stop: () => killTree(child.pid),
    pid: child.pid,
    result,
  };
}

/** Every run started and not yet finished, so a bench that fails midway stops them and what they started. */
const live = new Set<MeasureRun>();
/** Runs started and not yet told to go, with their measure's name: set up (or setting up), they should be idle while others are timed. */
const waiting = new Map<MeasureRun, string>();

function startTrackedRun(name: string): MeasureRun {
  const run = startMeasureRun(name);
  live.add(run);
  waiting.set(run, name);
  void run.result.then(() => {
    live.delete(run);
    waiting.delete(run);
  });
  const go = run.go.bind(run);
  return {
    ...run,
    go() {
      waiting.delete(run);
      go();
    },
  };
}

/** Linux's clock ticks per second in /proc/<pid>/stat (USER_HZ, 100 on every architecture Linux runs on today). */
const TICKS_PER_SECOND = 100;

/** A live process's CPU time in ticks, with that of its children that ended (`ended`) or without; undefined once it is gone. */
function cpuTicks(pid: number, ended: boolean): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // utime, stime, cutime and cstime: the 14th to 17th fields of the line.
    const [utime, stime, cutime, cstime] = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .slice(11, 15)
      .map(Number);
    return utime + stime + (ended ? cutime + cstime : 0);
  } catch {
    return undefined;
  }
}

/** CPU time so far (ticks) of every process under the runs that wait to be timed, by pid, with the run's measure. */
function waitingCpu(): Map<number, { ticks: number; name: string }> {
  const used = new Map<number, { ticks: number; name: string }>();
  for (const [run, name] of waiting) {
    for (const pid of run.pid === undefined ? [] : processTree(run.pid)) {
      const ticks = cpuTicks(pid, false);
      if (ticks !== undefined) used.set(pid, { ticks, name });
    }
  }
  return used;
}

/** CPU seconds a run's processes used so far, those that ended included (what its setup cost, read once it waits). */
function treeCpuSeconds(root: number | undefined): number {
  if (root === undefined) return 0;
  return processTree(root).reduce((sum, pid) => sum + (cpuTicks(pid, true) ?? 0), 0) / TICKS_PER_SECOND;
}

/**
 * CPU seconds the waiting set-ups used while something was timed, summed over the timed parts: what
 * they cost the measured ones, to be checked small (sweeps, heartbeats), since a setup made before
 * anything is timed waits through every timed part before its own. By measure.
 */
const waitingCpuSeconds = new Map<string, number>();

async function whileWaitingIdle<T>(timed: () => Promise<T>): Promise<T> {
  const before = waitingCpu();
  try {
    return await timed();
  } finally {
    for (const [pid, { ticks, name }] of waitingCpu()) {
      const then = before.get(pid);
      if (then !== undefined) waitingCpuSeconds.set(name, (waitingCpuSeconds.get(name) ?? 0) + (ticks - then.ticks) / TICKS_PER_SECOND);
    }
  }
}

/** A measure whose first runs are starting (or set up), waiting to be timed. */
interface MeasureSetUp {
  /** Resolves once its first runs wait to be timed (or ended). */
  ready: Promise<void>;
  /**
   * Times its runs one after the other (each while the others wait idle), setting up any later batch
   * first; `alone` false for a measure that runs beside the setups (its figures are counts).
   */
  time(alone: boolean): Promise<MeasureResult>;
}

/**
 * A measure run `runs` x BENCH_REPEAT times (`runs` as its first process says), each in a fresh
 * process; rows combined into medians. Its runs are set up SET_UP_TOGETHER at a time, all at once
 * (untimed; the first batch as soon as `after` resolves, before the bench times anything), then
 * timed one after the other when `time()` is called.
 */
function setUpMeasure(name: string, after: Promise<unknown>): MeasureSetUp {
  const started = Date.now();
  const first = after.then(async () => {
    const run = startTrackedRun(name);
    const settings = await run.settings;
    const runs = (settings?.runs ?? 1) * REPEAT;
    const batch = [run];
    while (settings && batch.length < Math.min(SET_UP_TOGETHER, runs)) batch.push(startTrackedRun(name));
    await Promise.all(batch.map((r) => r.prepared));
    if (settings) {
      // Its CPU says what the setup costs on a quiet machine, where the setups' wall time is their CPU over the cores.
      const cpu = batch.reduce((sum, r) => sum + treeCpuSeconds(r.pid), 0);
      process.stderr.write(
        `bench: ${name}: ${batch.length} of ${runs} run(s) ${settings.setsUp ? 'set up' : 'loaded'} in ${((Date.now() - started) / 1000).toFixed(0)} s (${cpu.toFixed(1)} CPU-s)\n`,
      );
    }
    return { runs, batch, setUpSeconds: (Date.now() - started) / 1000 };
  });
  return {
    ready: first.then(() => undefined),
    async time(alone) {
      const { runs, batch: firstBatch, setUpSeconds } = await first;
      const timing = Date.now();
      const all: MeasureRow[][] = [];
      let batch = firstBatch;
      for (;;) {
        for (const [i, run] of batch.entries()) {
          const timed = () => {
            run.go();
            return run.result;
          };
          const { rows, error } = await (alone ? whileWaitingIdle(timed) : timed());
          if (!rows) {
            const rest = batch.slice(i + 1);
            for (const other of rest) other.stop();
            await Promise.all(rest.map((other) => other.result));
            return { scenario: name, rows: [], error, setUpSeconds, seconds: (Date.now() - timing) / 1000, runs: all.length + 1 };
          }
          all.push(rows);
        }
        if (all.length >= runs) break;
        batch = Array.from({ length: Math.min(SET_UP_TOGETHER, runs - all.length) }, () => startTrackedRun(name));
        await Promise.all(batch.map((run) => run.prepared));
      }
      return { scenario: name, rows: combineMeasureRuns(all), setUpSeconds, seconds: (Date.now() - timing) / 1000, runs };
    },
  };
}

const formatValue = (value: number) => (Math.abs(value) >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(2));

const ratioValue = (value: number) => (value < 10 ? value.toFixed(3) : formatValue(value));

function measureTable(results: MeasureResult[]): string {
  const rows = results.flatMap((result) =>
    result.error
      ? [[result.scenario, '-', '-', '-', '-', `FAIL (${result.error})`]]
      : result.rows.map((row) => [
          `${result.scenario}: ${row.name}`,
          formatValue(row.value),
          row.unit,
          row.target,
          row.ratio ? `${ratioValue(row.ratio.value)}${row.ratio.spread ? ` (${ratioValue(row.ratio.spread.min)}-${ratioValue(row.ratio.spread.max)})` : ''} ${row.ratio.of}` : '-',
          row.pass === undefined ? '-' : mark(row.pass),
        ]),
  );
  return markdownTable(['measure', 'value (median)', 'unit', 'target', 'ratio: median (min-max)', 'result'], rows);
}

async function main(): Promise<void> {
  const started = Date.now();
  const selected = ONLY ? scenarios.filter((s) => s.name.includes(ONLY)) : scenarios;
  const selectedMeasures = ONLY ? measures.filter((m) => m.name.includes(ONLY)) : measures;
  // Before anything timed, at once: the builds, the measures whose figures are counts, the scenario
  // servers' start and every measure's process and setup (a measure that reads a build once it is made).
  const built = buildStale([...new Set(selectedMeasures.flatMap((m) => m.builds ?? []))]);
  const setUps = new Map(selectedMeasures.map((m) => [m.name, setUpMeasure(m.name, m.builds?.length ? built : Promise.resolve())]));
  const early = new Map(selectedMeasures.filter((m) => m.countsOnly).map((m) => [m.name, setUps.get(m.name)!.time(false)]));
  const prepared = Promise.all([built, ...early.values(), ...[...setUps.values()].map((s) => s.ready)]).then(() => undefined);
  // Awaited below (or by measureScenarios); this only keeps a failed build from being an unhandled rejection meanwhile.
  prepared.catch(() => undefined);
  const results = selected.length > 0 ? await measureScenarios(selected, prepared) : [];
  await prepared;
  if (phases.length === 0) phases.push(['builds, measures set up, count-only measures', Date.now()]);
  const measured: MeasureResult[] = [];
  for (const { name } of selectedMeasures) measured.push(await (early.get(name) ?? setUps.get(name)!.time(true)));
  if (results.length > 0) {
    process.stdout.write(
      `\n${CONNECTIONS} connections; ${TURNS} turns of a one-second slice per server (order reversed each turn) after ${WARMUP_SECONDS} s warm-up, each scenario against its baseline's slice of the same turn; ` +
        `req/s and latencies are medians over the turns, ratios are per turn: median (min-max)\n\n${table(results)}\n`,
    );
    const bot = results.filter((r) => r.name.startsWith('bot:') || r.name.startsWith('webhook')).filter((r) => r.peakRssMb !== undefined);
    if (bot.length > 0) {
      const largest = bot.reduce((a, b) => (b.peakRssMb! > a.peakRssMb! ? b : a));
      // Scenario servers run through tsx, whose compiled modules and source maps stay resident: this
      // is an upper bound for the built service (bot/dist); the `service memory` measure gives DESIGN's figure.
      process.stdout.write(
        `\nMemory: the largest peak RSS of a service under load is ${largest.peakRssMb!.toFixed(0)} MB (${largest.name}), ` +
          `run through tsx, so an upper bound for the built service (DESIGN's target for it, < ${RSS_TARGET_MB} MB, is the measure \`service memory\`)\n`,
      );
    }
  }
  if (measured.length > 0) {
    const took = measured.map((m) => `${m.scenario}: ${m.runs} run(s), set up in ${m.setUpSeconds.toFixed(0)} s, then ${m.seconds.toFixed(0)} s`).join('; ');
    process.stdout.write(`\nMeasures (${took}); a repeated target is decided on the median\n\n${measureTable(measured)}\n`);
  }
  const ended = measured.length > 0 ? [...phases, ['measures', Date.now()] as [string, number]] : phases;
  const spans = ended.map(([what, at], i) => `${what} ${((at - (i === 0 ? started : ended[i - 1][1])) / 1000).toFixed(0)} s`);
  process.stdout.write(
    `\nbench took ${((Date.now() - started) / 1000).toFixed(0)} s (BENCH_REPEAT=${REPEAT}): ${spans.join(', ')}; ` +
      `measures set up and waiting used ${[...waitingCpuSeconds.values()].reduce((a, b) => a + b, 0).toFixed(1)} CPU-s while others were timed ` +
      `(${[...waitingCpuSeconds].map(([name, seconds]) => `${name} ${seconds.toFixed(1)}`).join(', ')})\n`,
  );
  const failed = results.filter((r) => r.errors + r.non2xx > 0);
  if (failed.length > 0) {
    process.stderr.write(`bench: ${failed.map((r) => r.name).join(', ')} answered errors; their numbers are not valid\n`);
    process.exitCode = 1;
  }
  const broken = measured.filter((m) => m.error);
  if (broken.length > 0) {
    process.stderr.write(`bench: ${broken.map((m) => `${m.scenario} (${m.error})`).join(', ')} did not finish\n`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  for (const run of live) run.stop();
  process.exit(1);
});
