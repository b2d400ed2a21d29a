import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
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

interface Result {
  name: string;
  baseline?: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
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
  return autocannon({
    url: url + scenario.request.path,
    method: scenario.request.method,
    headers: scenario.request.headers,
    body: scenario.request.body,
    connections: CONNECTIONS,
    duration: seconds,
  });
}

async function measure(scenario: Scenario): Promise<Result> {
  const { url, child } = await startChild(scenario);
  try {
    if (WARMUP_SECONDS > 0) await load(url, scenario, WARMUP_SECONDS);
    const result = await load(url, scenario, SECONDS);
    return {
      name: scenario.name,
      baseline: scenario.baseline,
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

function table(results: Result[]): string {
  const byName = new Map(results.map((r) => [r.name, r]));
  const rows = results.map((r) => {
    const base = r.baseline ? byName.get(r.baseline) : undefined;
    return [
      r.name,
      r.rps.toFixed(0),
      r.p50.toFixed(1),
      r.p99.toFixed(1),
      base ? `${(r.rps / base.rps).toFixed(2)}x ${base.name}` : '-',
      base ? `${(r.p99 / Math.max(base.p99, 0.1)).toFixed(2)}x` : '-',
      String(r.errors + r.non2xx),
    ];
  });
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'throughput vs baseline', 'p99 vs baseline', 'errors'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const selected = ONLY ? scenarios.filter((s) => s.name.includes(ONLY)) : scenarios;
  const results: Result[] = [];
  for (const scenario of selected) {
    process.stderr.write(`bench: ${scenario.name}...\n`);
    results.push(await measure(scenario));
  }
  process.stdout.write(`\n${CONNECTIONS} connections, ${SECONDS} s per scenario after ${WARMUP_SECONDS} s warm-up\n\n${table(results)}\n`);
  const failed = results.filter((r) => r.errors + r.non2xx > 0);
  if (failed.length > 0) {
    process.stderr.write(`bench: ${failed.map((r) => r.name).join(', ')} answered errors; their numbers are not valid\n`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
