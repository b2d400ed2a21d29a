/**
 * `npm test`'s coverage gate: c8 writes coverage/coverage-summary.json, this prints lines and branches
 * per folder (bot/src/<folder>, dev/<emulation>) and fails when a folder is below its floor in
 * coverage-floor.json. The floors only go up: `tsx scripts/check-coverage-floor.ts --raise` lifts each
 * to the current figure less the noise margin, and never lowers one.
 */
import fs from 'node:fs';
import path from 'node:path';

interface Totals {
  lines: { covered: number; total: number };
  branches: { covered: number; total: number };
}
interface Floor {
  lines: number;
  branches: number;
}

/**
 * Percentage points a folder may move between two runs of the same code: retry and timeout branches
 * are taken or not depending on the machine's load. Without it the gate would be flaky, not strict.
 */
const NOISE_MARGIN = 0.5;
const ROOT = path.resolve(__dirname, '..');
const SUMMARY = path.join(ROOT, 'coverage', 'coverage-summary.json');
const FLOORS = path.join(ROOT, 'coverage-floor.json');

/** bot/src/alerts/x.ts -> bot/src/alerts; bot/src/index.ts -> bot/src; dev/jira-sim/src/... -> dev/jira-sim. */
export function folderOf(file: string): string {
  const parts = path.relative(ROOT, file).split(path.sep);
  if (parts[0] === 'bot') return parts.length > 3 ? parts.slice(0, 3).join('/') : 'bot/src';
  return parts.slice(0, 2).join('/');
}

function percent(part: { covered: number; total: number }): number {
  return part.total === 0 ? 100 : (100 * part.covered) / part.total;
}

function readFolders(): Map<string, Totals> {
  const summary = JSON.parse(fs.readFileSync(SUMMARY, 'utf8')) as Record<string, Totals>;
  const folders = new Map<string, Totals>();
  for (const [file, totals] of Object.entries(summary)) {
    if (file === 'total') continue;
    const folder = folderOf(file);
    const sum = folders.get(folder) ?? { lines: { covered: 0, total: 0 }, branches: { covered: 0, total: 0 } };
    sum.lines.covered += totals.lines.covered;
    sum.lines.total += totals.lines.total;
    sum.branches.covered += totals.branches.covered;
    sum.branches.total += totals.branches.total;
    folders.set(folder, sum);
  }
  return folders;
}

function main(): void {
  if (!fs.existsSync(SUMMARY)) {
    console.error(`coverage: ${path.relative(ROOT, SUMMARY)} is missing; run the tests under c8 first (npm test)`);
    process.exit(1);
  }
  const folders = readFolders();
  const floors = JSON.parse(fs.readFileSync(FLOORS, 'utf8')) as Record<string, Floor>;
  const raise = process.argv.includes('--raise');
  const failures: string[] = [];
  const rows: string[] = [];
  for (const folder of [...new Set([...folders.keys(), ...Object.keys(floors)])].sort()) {
    const totals = folders.get(folder);
    const floor = floors[folder];
    if (!totals) {
      failures.push(`${folder}: no coverage at all (floor ${floor.lines}% lines)`);
      continue;
    }
    const lines = percent(totals.lines);
    const branches = percent(totals.branches);
    const low = floor && (lines < floor.lines || branches < floor.branches);
    if (low) failures.push(`${folder}: lines ${lines.toFixed(1)}% (floor ${floor.lines}%), branches ${branches.toFixed(1)}% (floor ${floor.branches}%)`);
    rows.push(
      `${folder.padEnd(26)} ${lines.toFixed(1).padStart(6)}% ${(floor ? `${floor.lines}%` : 'new').padStart(7)}  ${branches.toFixed(1).padStart(6)}% ${(floor ? `${floor.branches}%` : 'new').padStart(7)}${low ? '  BELOW FLOOR' : ''}`,
    );
    if (raise) {
      const target = (value: number) => Math.floor((value - NOISE_MARGIN) * 10) / 10;
      floors[folder] = {
        lines: Math.max(floor?.lines ?? 0, target(lines)),
        branches: Math.max(floor?.branches ?? 0, target(branches)),
      };
    }
  }
  console.log(`\ncoverage per folder (c8)        lines   floor  branches   floor\n${rows.join('\n')}`);
  if (raise) {
    fs.writeFileSync(FLOORS, `${JSON.stringify(floors, null, 2)}\n`);
    console.log(`coverage: floors raised where the figures allow (${path.relative(ROOT, FLOORS)})`);
  }
  if (failures.length > 0) {
    console.error(`\ncoverage below the floor:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
}

if (require.main === module) main();
