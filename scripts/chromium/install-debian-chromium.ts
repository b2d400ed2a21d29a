import { aptGetInstall } from '../debian/apt-get-install';

/**
 * Installs Debian's `chromium` (and a font, so cards render text the same everywhere) with apt-get,
 * but only where that is the machine's own package manager and we may use it (scripts/debian), and
 * not switched off by CHROMIUM_NO_INSTALL=1. Returns false where it did not try; throws when
 * apt-get failed.
 */
export function installDebianChromium(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.CHROMIUM_NO_INSTALL === '1') return false;
  return aptGetInstall(
    ['chromium', 'fonts-dejavu-core'],
    {
      announce: "No Chromium found: installing Debian's chromium with apt-get (set CHROMIUM_PATH to use another one).",
      hint: 'install chromium by hand or set CHROMIUM_PATH.',
    },
    env,
  );
}
