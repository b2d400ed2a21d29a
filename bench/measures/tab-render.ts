import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../scripts/chromium/launch-chromium';
import { buildTabIfStale } from '../build-if-stale';
import type { MeasureScenario } from '../measure';

const ISSUES = 200;
/** Page loads whose median is reported (after one warm-up); BENCH_REPEAT multiplies them. */
const RUNS = Number(process.env.BENCH_TAB_RUNS ?? 5) * Math.max(1, Number(process.env.BENCH_REPEAT ?? 1));
const TAB_DIR = path.resolve(__dirname, '../../tab');
/** DESIGN.md targets. */
const FIRST_RENDER_TARGET_MS = 300;
const BUNDLE_TARGET_KB = 150;
const FIRST_SCREEN_TARGET_KB = 80;

/** What MARK_RENDER hands back: times on the tab frame's clock (0 = its navigation), and the rows in the DOM. */
interface Marks {
  first: number;
  all: number;
  rows: number;
}

/**
 * Runs in the tab's frame before its scripts: notes when the first row is in the DOM, and when the
 * list holds all ISSUES issues (every page loaded, `data-load="done"`, rows saying they are of
 * ISSUES) with its rows in the DOM, each at the next animation frame (when it is painted), and
 * then hands the marks to the bench through a binding. The list renders only the rows near the
 * viewport (list-window/use-list-window.ts), so the count of rows in the DOM is reported, not
 * waited for. Nothing of the driver runs in the frame until then: waiting with waitForFunction
 * would inject Playwright's script into the frame and poll every frame, on the main thread being
 * measured.
 */
const MARK_RENDER = `(() => {
  if (!location.pathname.startsWith('/tab/')) return;
  const marks = {};
  new MutationObserver((_, observer) => {
    const rows = document.querySelectorAll('li.row').length;
    if (rows > 0 && !marks.first) { marks.first = -1; requestAnimationFrame(() => (marks.first = performance.now())); }
    if (!marks.all && document.querySelector('.backlog[data-load="done"] li.row[aria-setsize="${ISSUES}"]')) {
      marks.all = -1;
      observer.disconnect();
      requestAnimationFrame(() => {
        marks.all = performance.now();
        marks.rows = document.querySelectorAll('li.row').length;
        performance.mark('bench:tab-all');
        window.benchTabDone(marks);
      });
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-load', 'aria-setsize'] });
})();`;

const LOOPBACK = new Set(['127.0.0.1', 'localhost']);

/**
 * Opens the host page in a fresh context (cold cache) and resolves with the tab's marks once the
 * list is complete; `traced` wraps the load in a Chromium trace.
 *
 * The context is the tests' (newTabContext) without its route: with a route, Chromium holds every
 * request until this process answers (Playwright matches routes here, not in the browser), a round
 * trip per request that Teams does not add and that cost the browser and this process about 100 ms
 * of CPU per load. Nothing leaves the machine without it either: the tab's CSP refuses teams-js's
 * CDN fetch before any request, and a request off loopback fails the measure.
 */
async function loadTab(browser: Browser, url: string, traced = false): Promise<{ marks: Marks; trace?: Buffer }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const offMachine: string[] = [];
  context.on('request', (request) => {
    if (!LOOPBACK.has(new URL(request.url()).hostname)) offMachine.push(new URL(request.url()).origin);
  });
  await context.addInitScript(MARK_RENDER);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    let finish: (marks: Marks) => void = () => undefined;
    const done = new Promise<Marks>((resolve, reject) => {
      finish = resolve;
      timer = setTimeout(() => reject(new Error('the tab did not show all its issues within 20 s')), 20_000);
    });
    await context.exposeBinding('benchTabDone', (_source, marks: Marks) => finish(marks));
    const page = await context.newPage();
    if (traced) await browser.startTracing(page, { categories: ['devtools.timeline', 'blink.user_timing'] });
    await page.goto(url);
    const marks = await done;
    if (offMachine.length) throw new Error(`the tab page asked for ${offMachine.join(', ')}: nothing may leave the machine`);
    return { marks, trace: traced ? await browser.stopTracing() : undefined };
  } finally {
    clearTimeout(timer);
    await context.close();
  }
}

/** The services in their own process (tab-services-process.ts), so the browser's driver does not share their event loop. */
function startServices(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'tab-services-process.ts'), String(ISSUES)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^READY (.*)$/m.exec(out);
      if (match) resolve({ url: (JSON.parse(match[1]) as { url: string }).url, child });
    });
    child.once('exit', (code) => reject(new Error(`the tab services exited with ${code} before they were ready`)));
  });
}

/**
 * One more page load, traced: CPU time of the renderer's main thread (the tab's frame and the host page,
 * which share it) from the tab's first HTML to the list complete. Wall time on a busy machine is mostly
 * waiting for a core; this is not. Undefined when the trace lacks what it needs.
 */
async function mainThreadCpuMs(browser: Browser, url: string): Promise<number | undefined> {
  const { trace } = await loadTab(browser, url, true);
  const events = (JSON.parse(trace!.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const done = events.find((e) => e.name === 'bench:tab-all');
  if (!done) return undefined;
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === done.pid && e.args?.name === 'CrRendererMain');
  const start = events.find((e) => e.pid === done.pid && e.name === 'ParseHTML' && String(e.args?.beginData?.url ?? '').includes('/tab/'));
  if (!main || !start) return undefined;
  // Top-level tasks only: nested events are inside their task's time.
  let cpu = 0;
  let until = 0;
  for (const e of events.filter((x) => x.ph === 'X' && x.pid === main.pid && x.tid === main.tid).sort((a, b) => a.ts - b.ts)) {
    if (e.ts < until || e.ts < start.ts || e.ts > done.ts) continue;
    until = e.ts + (e.dur ?? 0);
    cpu += e.tdur ?? e.dur ?? 0;
  }
  return cpu / 1000;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; beginData?: { url?: string } };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * DESIGN.md's tab targets: first render of a 200-issue backlog in headless Chromium, timed from the
 * tab frame's navigation to the list holding all 200 issues with its first screen painted, through the real path (host emulation, SSO
 * token, bot, Jira simulator paging), cold browser cache each run; and the JS bundle's gzip size.
 */
export const tabRender: MeasureScenario = {
  name: 'tab',
  async run() {
    // Measure the code as it is now, not a stale build (rebuilt only if its sources changed since).
    buildTabIfStale();
    const assets = path.join(TAB_DIR, 'dist', 'assets');
    const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
    const gzipKbOf = (files: string[]) => files.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(assets, f))).length, 0) / 1024;
    const gzipKb = gzipKbOf(js);
    // What the first screen loads: the entry and the UI chunk it preloads (the rest is lazy).
    const html = readFileSync(path.join(TAB_DIR, 'dist', 'index.html'), 'utf8');
    const firstScreenKb = gzipKbOf(js.filter((f) => html.includes(`assets/${f}`)));

    const services = await startServices();
    const browser = await launchChromium();
    try {
      const firsts: number[] = [];
      const alls: number[] = [];
      const domRows: number[] = [];
      // One warm-up run: the bot's and the simulator's first requests pay for JIT and caches.
      for (let run = 0; run <= RUNS; run++) {
        const { marks } = await loadTab(browser, services.url);
        if (run > 0) {
          firsts.push(marks.first);
          alls.push(marks.all);
          domRows.push(marks.rows);
        }
      }
      const all = median(alls);
      const cpu = await mainThreadCpuMs(browser, services.url).catch(() => undefined);
      return [
        {
          name: `first render, ${ISSUES}-issue backlog (median of ${RUNS})`,
          value: all,
          unit: 'ms',
          target: `< ${FIRST_RENDER_TARGET_MS} ms`,
          ratio: {
            value: all / FIRST_RENDER_TARGET_MS,
            of: 'target',
            spread: { min: Math.min(...alls) / FIRST_RENDER_TARGET_MS, max: Math.max(...alls) / FIRST_RENDER_TARGET_MS },
          },
          pass: all < FIRST_RENDER_TARGET_MS,
          decide: { atMost: 1 },
        },
        { name: 'first rows on screen (first page)', value: median(firsts), unit: 'ms', target: '-' },
        ...(cpu === undefined ? [] : [{ name: 'main-thread CPU until then (one traced load)', value: cpu, unit: 'ms', target: '-' }]),
        { name: `rows in the DOM once all ${ISSUES} are loaded (1280x800)`, value: median(domRows), unit: 'rows', target: '-' },
        {
          name: 'JS bundle, gzip (all chunks)',
          value: gzipKb,
          unit: 'KB',
          target: `< ${BUNDLE_TARGET_KB} KB`,
          ratio: { value: gzipKb / BUNDLE_TARGET_KB, of: 'target' },
          pass: gzipKb < BUNDLE_TARGET_KB,
        },
        {
          name: 'JS the first screen loads, gzip',
          value: firstScreenKb,
          unit: 'KB',
          target: `< ${FIRST_SCREEN_TARGET_KB} KB`,
          ratio: { value: firstScreenKb / FIRST_SCREEN_TARGET_KB, of: 'target' },
          pass: firstScreenKb < FIRST_SCREEN_TARGET_KB,
        },
      ];
    } finally {
      await browser.close();
      services.child.kill('SIGTERM');
    }
  },
};
