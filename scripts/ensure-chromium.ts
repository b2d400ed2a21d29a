/**
 * `npm test` runs this first: finds the Chromium the browser tests need (scripts/chromium/find-chromium.ts)
 * or, on Debian or Ubuntu as root, installs Debian's. Otherwise it stops the run with one line saying
 * what to install, before anything else starts. Prints the browser it found.
 */
import { findChromium } from './chromium/find-chromium';
import { installDebianChromium } from './chromium/install-debian-chromium';

function main(): void {
  let lookup = findChromium();
  if (!lookup.found && !process.env.CHROMIUM_PATH?.trim() && installDebianChromium()) lookup = findChromium();
  if (!lookup.found) {
    console.error(lookup.message);
    process.exitCode = 1;
    return;
  }
  console.log(`Chromium for the browser tests: ${lookup.path} (from ${lookup.source})`);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
