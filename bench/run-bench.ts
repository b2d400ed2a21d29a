import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { measures } from './measures';
import type { MeasureRow, MeasureScenario } from './measure';
import { scenarios } from './scenarios';
import type { Scenario } from './scenario';

/**
 * `npm run bench`: every scenario's server runs in its own process and autocannon loads it from
 * this one. Numbers are only meaningful as ratios against a baseline measured in the same run on
 * the same machine, so the table prints both.
 */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);
const ONLY = process.env.BENCH_ONLY;
/** A measure scenario still running after this is stopped and reported as failed. */
const MEASURE_LIMIT_MS = Number(process.env.BENCH_MEASURE_LIMIT_MS ?? 45_000);

interface Result {
  name: string;
  baseline?: string;
  target?: Scenario['target'];
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
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
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'serve-scenario.ts'), scenario.name], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
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

const toResult = (scenario: Scenario, result: autocannon.Result): Result => ({
  name: scenario.name,
  baseline: scenario.baseline,
  target: scenario.target,
  rps: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  errors: result.errors + result.timeouts,
  non2xx: result.non2xx,
});

async function measure(scenario: Scenario): Promise<Result> {
  const { url, child } = await startChild(scenario);
  try {
    if (WARMUP_SECONDS > 0) await load(url, scenario, WARMUP_SECONDS);
    const result = toResult(scenario, await load(url, scenario, SECONDS));
    return { ...result, peakRssMb: peakRssMb(child.pid) };
  } finally {
    await stop(child);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A scenario and its baseline in alternating one-second slices, SECONDS of each (see interleaveWithBaseline). */
async function measureInterleaved(baseline: Scenario, scenario: Scenario): Promise<[Result, Result]> {
  const servers = [await startChild(baseline), await startChild(scenario)];
  const pair = [baseline, scenario];
  try {
    if (WARMUP_SECONDS > 0) for (const [i, s] of pair.entries()) await load(servers[i].url, s, WARMUP_SECONDS);
    const slices: autocannon.Result[][] = [[], []];
    for (let round = 0; round < Math.max(1, SECONDS); round += 1) {
      for (const [i, s] of pair.entries()) slices[i].push(await load(servers[i].url, s, 1));
    }
    return pair.map((s, i): Result => {
      const taken = slices[i];
      const peak = peakRssMb(servers[i].child.pid);
      const seconds = taken.reduce((sum, r) => sum + r.duration, 0);
      return {
        name: s.name,
        baseline: s.baseline,
        target: s.target,
        rps: taken.reduce((sum, r) => sum + r.requests.total, 0) / seconds,
        p50: median(taken.map((r) => r.latency.p50)),
        p99: median(taken.map((r) => r.latency.p99)),
        errors: taken.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
        non2xx: taken.reduce((sum, r) => sum + r.non2xx, 0),
        ...(peak === undefined ? {} : { peakRssMb: peak }),
      };
    }) as [Result, Result];
  } finally {
    await Promise.all(servers.map(({ child }) => stop(child)));
  }
}

function table(results: Result[]): string {
  const byName = new Map(results.map((r) => [r.name, r]));
  const rows = results.map((r) => {
    const base = r.baseline ? byName.get(r.baseline) : undefined;
    const against = base ? { throughput: r.rps / base.rps, p99: r.p99 / Math.max(base.p99, 0.1) } : undefined;
    return [
      r.name,
      r.rps.toFixed(0),
      r.p50.toFixed(1),
      r.p99.toFixed(1),
      base && against ? `${against.throughput.toFixed(2)}x ${base.name}` : '-',
      against ? `${against.p99.toFixed(2)}x` : '-',
      String(r.errors + r.non2xx),
      r.peakRssMb === undefined ? '-' : r.peakRssMb.toFixed(0),
      r.target ? `${r.target.text}: ${against ? mark(r.target.met(against)) : 'no baseline'}` : '-',
    ];
  });
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'throughput vs baseline', 'p99 vs baseline', 'errors', 'peak RSS MB', 'target'];
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
  seconds: number;
}

/** Runs one measure scenario in its own process (bench/run-measure.ts), bounded in time. */
function runMeasure(measure: MeasureScenario): Promise<MeasureResult> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'run-measure.ts'), measure.name], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), MEASURE_LIMIT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const seconds = (Date.now() - started) / 1000;
      const line = /^RESULT (.*)$/m.exec(out);
      if (line) return resolve({ scenario: measure.name, rows: JSON.parse(line[1]) as MeasureRow[], seconds });
      const error = signal === 'SIGKILL' ? `stopped after ${MEASURE_LIMIT_MS / 1000} s` : `exited with ${code ?? signal} before reporting`;
      resolve({ scenario: measure.name, rows: [], error, seconds });
    });
  });
}

const formatValue = (value: number) => (Math.abs(value) >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(2));

function measureTable(results: MeasureResult[]): string {
  const rows = results.flatMap((result) =>
    result.error
      ? [[result.scenario, '-', '-', '-', '-', `FAIL (${result.error})`]]
      : result.rows.map((row) => [
          `${result.scenario}: ${row.name}`,
          formatValue(row.value),
          row.unit,
          row.target,
          row.ratio ? `${row.ratio.value < 10 ? row.ratio.value.toFixed(3) : formatValue(row.ratio.value)} ${row.ratio.of}` : '-',
          row.pass === undefined ? '-' : mark(row.pass),
        ]),
  );
  return markdownTable(['measure', 'value', 'unit', 'target', 'ratio', 'result'], rows);
}

async function main(): Promise<void> {
  const selected = ONLY ? scenarios.filter((s) => s.name.includes(ONLY)) : scenarios;
  const interleaved = new Map(selected.filter((s) => s.interleaveWithBaseline && s.baseline).map((s) => [s.baseline!, s]));
  const results: Result[] = [];
  for (const scenario of selected) {
    const partner = interleaved.get(scenario.name);
    if (partner) {
      process.stderr.write(`bench: ${scenario.name} and ${partner.name}, in turns...\n`);
      results.push(...(await measureInterleaved(scenario, partner)));
    } else if (!results.some((r) => r.name === scenario.name)) {
      process.stderr.write(`bench: ${scenario.name}...\n`);
      results.push(await measure(scenario));
    }
  }
  const measured: MeasureResult[] = [];
  for (const scenario of ONLY ? measures.filter((m) => m.name.includes(ONLY)) : measures) {
    process.stderr.write(`bench: ${scenario.name}...\n`);
    measured.push(await runMeasure(scenario));
  }
  if (results.length > 0) {
    const turns = [...interleaved.values()].filter((s) => results.some((r) => r.name === s.baseline)).map((s) => `${s.name} and ${s.baseline}`);
    const inTurns = turns.length > 0 ? `; in alternating one-second turns: ${turns.join('; ')}` : '';
    process.stdout.write(`\n${CONNECTIONS} connections, ${SECONDS} s per scenario after ${WARMUP_SECONDS} s warm-up${inTurns}\n\n${table(results)}\n`);
    const bot = results.filter((r) => r.name.startsWith('bot:') || r.name.startsWith('webhook')).filter((r) => r.peakRssMb !== undefined);
    if (bot.length > 0) {
      const largest = bot.reduce((a, b) => (b.peakRssMb! > a.peakRssMb! ? b : a));
      // Scenario servers run through tsx, whose compiled modules and source maps stay resident: this
      // is an upper bound for the built service (bot/dist), which DESIGN's target is about.
      process.stdout.write(
        `\nMemory: the largest peak RSS of a service under load is ${largest.peakRssMb!.toFixed(0)} MB (${largest.name}), ` +
          `run through tsx, so an upper bound for the built service; DESIGN's target for it: < ${RSS_TARGET_MB} MB\n`,
      );
    }
  }
  if (measured.length > 0) {
    const took = measured.map((m) => `${m.scenario} ${m.seconds.toFixed(0)} s`).join(', ');
    process.stdout.write(`\nMeasured once each (${took})\n\n${measureTable(measured)}\n`);
  }
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
  process.exit(1);
});
