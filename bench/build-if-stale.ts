import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchNodeArgs } from './node-args';

/**
 * The builds the bench measures: the service as the Dockerfile builds it (bot/dist) and the tab
 * (tab/dist). Each is rebuilt only where its sources changed since it was last built, so a bench
 * run after another one, or after a test run built the tab, spends no time on them; `npm run bench`
 * builds both at once before it measures anything (this file run as a script), and the measures
 * check again when run alone.
 */
const ROOT = path.resolve(__dirname, '..');
const TAB_DIR = path.join(ROOT, 'tab');
const TAB_INDEX = path.join(TAB_DIR, 'dist/index.html');
/** What the last tab build was made from: kept outside tab/dist, which the bot serves. */
const TAB_RECORD = path.join(ROOT, 'node_modules/.cache/jira-teams-bench/tab-build.json');
/** Inputs of the tab's build that are not modules of its bundle; package-lock.json stands for everything under node_modules. */
const TAB_CONFIG_INPUTS = ['tab/vite.config.mts', 'tab/package.json', 'tab/tsconfig.json', 'tsconfig.json', 'package-lock.json'];

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/**
 * Brings bot/dist up to date with bot/src as `tsc -p tsconfig.build.json` (the Dockerfile's build)
 * emits it, file by file: a source newer than its .js is transpiled alone (`ts.transpileModule` with
 * the build's own compiler options; isolatedModules is on, so a file's JS depends on no other file,
 * and it is tsc's output byte for byte, maps included), and a .js whose source is gone goes with its
 * map. The memory figure must be the code as it is now; type errors are `npx tsc`'s and CI's to
 * find: checking the whole program cost about 12 s of CPU after any change, this about 1 s.
 */
export async function buildServiceIfStale(): Promise<'built' | 'fresh'> {
  const sourceDir = path.join(ROOT, 'bot/src');
  const distDir = path.join(ROOT, 'bot/dist');
  const mtime = (file: string) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : -1);
  const sources = fs
    .readdirSync(sourceDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => ({ source: path.join(sourceDir, file), output: path.join(distDir, file.replace(/\.ts$/, '.js')) }));
  const stale = sources.filter(({ source, output }) => mtime(output) < mtime(source));
  const wanted = new Set(sources.map(({ output }) => output));
  const orphans = fs.existsSync(distDir)
    ? fs
        .readdirSync(distDir, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.js') && !wanted.has(path.join(distDir, file)))
        .map((file) => path.join(distDir, file))
    : [];
  if (stale.length === 0 && orphans.length === 0) return 'fresh';
  for (const orphan of orphans) {
    fs.rmSync(orphan);
    fs.rmSync(`${orphan}.map`, { force: true });
  }
  if (stale.length > 0) {
    // Loaded only when something is to be built: TypeScript alone costs about half a second of CPU to load.
    const { default: ts } = await import('typescript');
    const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.build.json'), undefined, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    });
    if (!config) throw new Error('tsconfig.build.json could not be read');
    for (const { source, output } of stale) {
      const { outputText, sourceMapText } = ts.transpileModule(fs.readFileSync(source, 'utf8'), { compilerOptions: config.options, fileName: source });
      fs.mkdirSync(path.dirname(output), { recursive: true });
      if (sourceMapText !== undefined) fs.writeFileSync(`${output}.map`, sourceMapText);
      fs.writeFileSync(output, outputText);
    }
  }
  return 'built';
}

interface TabRecord {
  /** sha256 of the built index.html, which names every chunk by its content hash. */
  index: string;
  /** Every file the build read outside node_modules (paths from the repository's root) and its sha256. */
  inputs: Record<string, string>;
}

function tabBuildIsFresh(): boolean {
  if (!fs.existsSync(TAB_INDEX) || !fs.existsSync(TAB_RECORD)) return false;
  const record = JSON.parse(fs.readFileSync(TAB_RECORD, 'utf8')) as TabRecord;
  if (sha256(TAB_INDEX) !== record.index) return false;
  return Object.entries(record.inputs).every(([file, hash]) => fs.existsSync(path.join(ROOT, file)) && sha256(path.join(ROOT, file)) === hash);
}

/**
 * Builds tab/dist with Vite unless it was built from the very files it would read now (the
 * modules of the last build, bot/src's shared ones included, and the build's configuration),
 * compared by content, not by time: a checkout or a test's rebuild of the same sources does not
 * make it stale. A fresh build's index.html is marked as now, so the tests' time-based check
 * (scripts/start-local/tab-build-is-stale.ts) agrees.
 */
export function buildTabIfStale(): 'built' | 'fresh' {
  if (tabBuildIsFresh()) {
    const now = new Date();
    fs.utimesSync(TAB_INDEX, now, now);
    return 'fresh';
  }
  execFileSync(process.execPath, [...benchNodeArgs, __filename, 'build-tab'], { cwd: ROOT, stdio: 'inherit' });
  return 'built';
}

/** The part of Vite's API the tab's build uses here. */
type ViteBuild = (config: {
  configFile: string;
  logLevel: 'warn';
  plugins: Array<{ name: string; apply: 'build'; buildEnd(this: { getModuleIds(): Iterable<string> }): void }>;
}) => Promise<unknown>;

/**
 * Runs Vite's build with the tab's own configuration and records the files it read. Vite is the
 * tab workspace's dependency, so it is resolved as the tab's own code resolves it.
 */
async function buildTab(): Promise<void> {
  const vitePackage = createRequire(path.join(TAB_DIR, 'package.json')).resolve('vite/package.json');
  const { exports } = JSON.parse(fs.readFileSync(vitePackage, 'utf8')) as { exports: { '.': string | { import: string } } };
  const entry = typeof exports['.'] === 'string' ? exports['.'] : exports['.'].import;
  const { build } = (await import(pathToFileURL(path.join(path.dirname(vitePackage), entry)).href)) as { build: ViteBuild };
  let read: string[] = [];
  await build({
    configFile: path.join(TAB_DIR, 'vite.config.mts'),
    logLevel: 'warn',
    plugins: [
      {
        name: 'bench-record-inputs',
        apply: 'build',
        buildEnd() {
          read = [...this.getModuleIds()];
        },
      },
    ],
  });
  const files = new Set(TAB_CONFIG_INPUTS);
  for (const id of read) {
    const file = id.split('?')[0];
    if (!path.isAbsolute(file) || file.includes(`${path.sep}node_modules${path.sep}`) || !fs.existsSync(file)) continue;
    files.add(path.relative(ROOT, file));
  }
  const record: TabRecord = { index: sha256(TAB_INDEX), inputs: Object.fromEntries([...files].sort().map((file) => [file, sha256(path.join(ROOT, file))])) };
  fs.mkdirSync(path.dirname(TAB_RECORD), { recursive: true });
  fs.writeFileSync(TAB_RECORD, `${JSON.stringify(record, null, 1)}\n`);
}

/** Both builds at once, each in a process of its own (`what`: which of them the selected measures need). */
export async function buildStale(what: ReadonlyArray<'service' | 'tab'>): Promise<void> {
  await Promise.all(
    what.map(
      (which) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, [...benchNodeArgs, __filename, which], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
          child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`building the ${which} exited with ${code}`))));
        }),
    ),
  );
}

if (require.main === module) {
  const which = process.argv[2];
  const builds: Record<string, () => Promise<unknown>> = {
    'build-tab': buildTab,
    service: async () => process.stderr.write(`bench: the service (bot/dist) ${(await buildServiceIfStale()) === 'built' ? 'built' : 'up to date'}\n`),
    tab: async () => process.stderr.write(`bench: the tab (tab/dist) ${buildTabIfStale() === 'built' ? 'built' : 'up to date'}\n`),
  };
  const run = builds[which] ?? (async () => Promise.reject(new Error(`build-if-stale: unknown build ${which}`)));
  run().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
