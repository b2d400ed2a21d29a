import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/**
 * Installs Debian packages with apt-get, but only where that is the machine's own package manager
 * and we may use it: Debian or Ubuntu, as root. Returns false where it did not try; says `announce`
 * when it tries, and throws with `hint` when apt-get failed. `npm test`'s first steps use it for the tools the tests start
 * (Chromium, redis-server), so a fresh Debian machine needs nothing installed by hand.
 */
export function aptGetInstall(packages: readonly string[], words: { announce: string; hint: string }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !isDebianLike()) return false;
  console.error(words.announce);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', ...packages],
  ]) {
    const result = spawnSync('apt-get', args, { env: aptEnv, stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) throw new Error(`apt-get ${args[0]} failed (${result.error?.message ?? `exit ${result.status}`}); ${words.hint}`);
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
