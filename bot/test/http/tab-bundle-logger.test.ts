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
/** teams-js's app module, whose version line formats the local time at import (the plugin drops that argument). */
const TEAMS_JS_APP = path.join(path.dirname(tabRequire.resolve('@microsoft/teams-js/package.json')), 'dist/esm/packages/teams-js/src/public/app/app.js');
const VERSION_LINE = 'teamsjs instance is version';

/**
 * The tab the bot serves gives teams-js a silent logger instead of its bundled 'debug' (9053420):
 * debug reads localStorage, a synchronous call to the browser process, as soon as it loads. If a
 * teams-js release moves that module, the build's plugin no longer matches and the real logger is
 * bundled again without any error: this reads the built chunks for it.
 */
describe("the built tab's JS", function () {
  this.timeout(180_000);

  /** The built chunks, built first when the tab's sources are newer (as the tab tests do: their helper loads the whole tab stack, seconds of CPU for these checks). */
  const builtChunks = () => {
    if (tabBuildIsStale(TAB_DIR)) {
      const vite = path.join(path.dirname(tabRequire.resolve('vite/package.json')), 'bin', 'vite.js');
      execFileSync(process.execPath, [vite, 'build', '--config', path.join(TAB_DIR, 'vite.config.mts'), '--logLevel', 'warn'], { stdio: 'inherit' });
    }
    return readdirSync(DIST_ASSETS)
      .filter((file) => file.endsWith('.js'))
      .map((file) => ({ file, code: readFileSync(path.join(DIST_ASSETS, file), 'utf8') }));
  };

  it("carries teams-js without its bundled 'debug' logger", () => {
    const source = readFileSync(TEAMS_JS_DEBUG, 'utf8');
    for (const mark of DEBUG_MARKS) assert.ok(source.includes(mark), `debug's own code has ${mark}: the check looks for code that exists`);
    const chunks = builtChunks();
    assert.ok(
      chunks.some(({ code }) => code.includes('teams-js/validDomains')),
      'teams-js is in the bundle',
    );
    const found = chunks.flatMap(({ file, code }) => DEBUG_MARKS.filter((mark) => code.includes(mark)).map((mark) => `${file}: ${mark}`));
    assert.deepEqual(found, [], "debug's code is in the built tab");
  });

  // The version line's local time was the page's first use of Intl, about 13 ms of CPU before the Teams
  // handshake (tab/vite.config.mts, noStartupLocaleTimeInTeamsJs). A teams-js release that writes the line
  // differently leaves the call in place without any error: this finds it.
  it('carries teams-js without the local time its silenced version line would format at import', () => {
    const source = readFileSync(TEAMS_JS_APP, 'utf8');
    assert.match(source, /teamsjs instance is version[^;]*toLocaleString\(\)/, 'teams-js formats the local time in its version line: the check looks for code that exists');
    const entry = builtChunks().filter(({ code }) => code.includes(VERSION_LINE));
    assert.equal(entry.length, 1, 'one chunk carries teams-js');
    assert.doesNotMatch(entry[0].code, /toLocaleString\(\)/, `${entry[0].file} formats the local time at import`);
  });
});
