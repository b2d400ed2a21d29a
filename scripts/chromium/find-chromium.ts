import { spawnSync } from 'node:child_process';
import { isExecutableFile, onPath } from '../tools/executables';

/** Where a Chromium was found, or one line saying why none can be used. */
export type ChromiumLookup = { found: true; path: string; source: 'CHROMIUM_PATH' | 'PATH' | 'playwright' | 'app' } | { found: false; message: string };

/** The names Chromium and Chrome install under on Linux, in the order they are tried. */
const NAMES_ON_PATH = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** macOS installs apps outside PATH. */
const MAC_APPS = ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];

const MISSING =
  'No Chromium for the browser tests: install one (Debian/Ubuntu: apt-get install chromium; macOS: brew install --cask chromium) ' +
  'or set CHROMIUM_PATH to a Chromium or Chrome executable.';

/**
 * Finds a Chromium for the browser tests, the bench and render:cards: CHROMIUM_PATH, then the usual
 * names on PATH, then a browser Playwright already installed. Never downloads one: the tests must
 * drive the same browser on every run, and CI reaches no browser download host.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) {
    // A set but wrong CHROMIUM_PATH is a mistake to report, not a reason to pick another browser.
    return isExecutableFile(configured)
      ? { found: true, path: configured, source: 'CHROMIUM_PATH' }
      : { found: false, message: `CHROMIUM_PATH=${configured} is not an executable file: point it at a Chromium or Chrome executable, or unset it.` };
  }
  const onThePath = onPath(NAMES_ON_PATH, env);
  if (onThePath) return { found: true, path: onThePath, source: 'PATH' };
  const managed = playwrightChromium(env);
  if (managed && isExecutableFile(managed)) return { found: true, path: managed, source: 'playwright' };
  if (process.platform === 'darwin') {
    const app = MAC_APPS.find(isExecutableFile);
    if (app) return { found: true, path: app, source: 'app' };
  }
  return { found: false, message: MISSING };
}

/**
 * Where playwright-core would keep its own Chromium under this environment (PLAYWRIGHT_BROWSERS_PATH,
 * HOME). Asked in a child process because playwright-core reads the environment once, when loaded.
 */
function playwrightChromium(env: NodeJS.ProcessEnv): string | undefined {
  const result = spawnSync(process.execPath, ['-e', "process.stdout.write(require('playwright-core').chromium.executablePath())"], {
    env: { ...env, NODE_OPTIONS: '' },
    cwd: __dirname,
    encoding: 'utf8',
  });
  return result.status === 0 && result.stdout ? result.stdout : undefined;
}
