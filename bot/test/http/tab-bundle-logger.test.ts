import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { tabBuildIsStale } from '../../../scripts/start-local/tab-build-is-stale';

const TAB_DIR = path.resolve(__dirname, '../../../tab');
const DIST_ASSETS = path.join(TAB_DIR, 'dist/assets');
/** The tab workspace's own dependencies, resolved as its code resolves them. */
const tabRequire = createRequire(path.join(TAB_DIR, 'package.json'));
/** The copy of 'debug' that teams-js bundles, and that tab/vite.config.mts swaps for a silent logger. */
const TEAMS_JS_DEBUG = path.join(path.dirname(tabRequire.resolve('@microsoft/teams-js/package.json')), 'dist/esm/node_modules/.pnpm/debug@4.3.5/node_modules/debug/src/browser.js');
/**
 * Strings of debug's browser code that minifying keeps: its colour check (WebkitAppearance), its
 * console styling, and the localStorage key it reads at import, before the Teams handshake.
 */
const DEBUG_MARKS = ['WebkitAppearance', 'color: inherit', 'getItem("debug")'];

/**
 * The tab the bot serves gives teams-js a silent logger instead of its bundled 'debug' (9053420):
 * debug reads localStorage, a synchronous call to the browser process, as soon as it loads. If a
 * teams-js release moves that module, the build's plugin no longer matches and the real logger is
 * bundled again without any error: this reads the built chunks for it.
 */
describe("the built tab's JS", function () {
  this.timeout(180_000);

  it("carries teams-js without its bundled 'debug' logger", () => {
    // As the tab tests do (their helper loads the whole tab stack, seconds of CPU for this one check).
    if (tabBuildIsStale(TAB_DIR)) {
      const vite = path.join(path.dirname(tabRequire.resolve('vite/package.json')), 'bin', 'vite.js');
      execFileSync(process.execPath, [vite, 'build', '--config', path.join(TAB_DIR, 'vite.config.mts'), '--logLevel', 'warn'], { stdio: 'inherit' });
    }
    const source = readFileSync(TEAMS_JS_DEBUG, 'utf8');
    for (const mark of DEBUG_MARKS) assert.ok(source.includes(mark), `debug's own code has ${mark}: the check looks for code that exists`);
    const chunks = readdirSync(DIST_ASSETS)
      .filter((file) => file.endsWith('.js'))
      .map((file) => ({ file, code: readFileSync(path.join(DIST_ASSETS, file), 'utf8') }));
    assert.ok(
      chunks.some(({ code }) => code.includes('teams-js/validDomains')),
      'teams-js is in the bundle',
    );
    const found = chunks.flatMap(({ file, code }) => DEBUG_MARKS.filter((mark) => code.includes(mark)).map((mark) => `${file}: ${mark}`));
    assert.deepEqual(found, [], "debug's code is in the built tab");
  });
});
