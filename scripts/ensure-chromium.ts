/**
 * `npm test` runs this first: finds the Chromium the browser tests need (scripts/chromium/find-chromium.ts)
 * or, on Debian or Ubuntu as root, installs Debian's. Otherwise it stops the run with one line saying
 * what to install, before anything else starts. Prints the browser it found.
 */
import { findChromium } from './chromium/find-chromium';
import { installDebianChromium } from './chromium/install-debian-chromium';
import { ensureTool } from './tools/ensure-tool';

ensureTool({
  label: 'Chromium for the browser tests',
  find: () => findChromium(),
  // A set but wrong CHROMIUM_PATH is reported, not worked around by installing another browser.
  install: () => !process.env.CHROMIUM_PATH?.trim() && installDebianChromium(),
});
