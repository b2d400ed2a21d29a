import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/**
 * Installs Debian's `chromium` (and a font, so cards render text the same everywhere) with apt-get,
 * but only where that is the machine's own package manager and we may use it: Debian or Ubuntu, as
 * root, and not switched off by CHROMIUM_NO_INSTALL=1. Returns false where it did not try; throws
 * when apt-get failed.
 */
export function installDebianChromium(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.CHROMIUM_NO_INSTALL === '1' || process.platform !== 'linux' || process.getuid?.() !== 0 || !isDebianLike()) return false;
  console.error("No Chromium found: installing Debian's chromium with apt-get (set CHROMIUM_PATH to use another one).");
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', 'chromium', 'fonts-dejavu-core'],
  ]) {
    const result = spawnSync('apt-get', args, { env: aptEnv, stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) throw new Error(`apt-get ${args[0]} failed (${result.error?.message ?? `exit ${result.status}`}); install chromium by hand or set CHROMIUM_PATH.`);
  }
  return true;
}

function isDebianLike(): boolean {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(release);
  } catch {
    return false;
  }
}
