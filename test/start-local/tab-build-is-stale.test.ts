import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tabBuildIsStale } from '../../scripts/start-local/tab-build-is-stale';

describe('npm start: is the tab build stale?', () => {
  let tab: string;
  const write = (relative: string, at: number) => {
    const file = path.join(tab, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'x');
    utimesSync(file, at / 1000, at / 1000);
  };

  beforeEach(() => {
    tab = mkdtempSync(path.join(os.tmpdir(), 'tab-build-'));
  });
  afterEach(() => rmSync(tab, { recursive: true, force: true }));

  it('is stale without a build (a fresh clone)', () => {
    write('src/main.tsx', 1_000_000);
    assert.equal(tabBuildIsStale(tab), true);
  });

  it('is fresh when the build is newer than every source', () => {
    write('src/backlog/row.tsx', 1_000_000);
    write('vite.config.mts', 1_000_000);
    write('dist/index.html', 2_000_000);
    assert.equal(tabBuildIsStale(tab), false);
  });

  it('is stale when a nested source or the Vite config changed after the build', () => {
    write('dist/index.html', 2_000_000);
    write('src/backlog/row.tsx', 3_000_000);
    assert.equal(tabBuildIsStale(tab), true);
    write('src/backlog/row.tsx', 1_000_000);
    write('vite.config.mts', 3_000_000);
    assert.equal(tabBuildIsStale(tab), true);
  });
});
