import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the built tab is made from, besides tab/src. */
const INPUTS = ['index.html', 'vite.config.mts', 'tsconfig.json', 'package.json'];

/**
 * Whether `tab/dist` is missing or older than any of its sources. A fresh clone has no build, and
 * a contributor who changed tab/src would otherwise see yesterday's tab in `npm start`.
 */
export function tabBuildIsStale(tabDir: string): boolean {
  const built = join(tabDir, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const inputs = [...INPUTS.map((name) => join(tabDir, name)).filter((file) => existsSync(file)), ...filesUnder(join(tabDir, 'src'))];
  return inputs.some((file) => statSync(file).mtimeMs > builtAt);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
