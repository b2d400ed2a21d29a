import { chromium, type Browser } from 'playwright-core';
import { findChromium } from './find-chromium';

/** Headless Chromium as every browser test, the bench and render:cards drive it. */
export async function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  const lookup = findChromium(env);
  if (!lookup.found) throw new Error(lookup.message);
  return chromium.launch({
    executablePath: lookup.path,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}
