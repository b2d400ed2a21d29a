import { chromium, type Browser } from 'playwright-core';
import { findChromium } from './find-chromium';

/**
 * Playwright's own --disable-features list (playwright-core 1.65). Chromium keeps only the last
 * --disable-features switch it is given, so ours has to repeat Playwright's;
 * test/chromium/launch-chromium.test.ts fails when a Playwright upgrade adds to its list.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];

/**
 * Every new browser context opens a window, and Chromium 15x preloads the window's address-bar popup
 * (chrome://omnibox-popup.top-chrome, a WebUI page in a renderer of its own): about half a second of
 * CPU beside the page under test, on a 2-core machine a third of the tab measure's wall time. Nobody
 * types in that address bar here.
 */
const OUR_DISABLED_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'];

/** Headless Chromium as every browser test, the bench and render:cards drive it. */
export async function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  const lookup = findChromium(env);
  if (!lookup.found) throw new Error(lookup.message);
  return chromium.launch({
    executablePath: lookup.path,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...OUR_DISABLED_FEATURES].join(',')}`,
    ],
  });
}
