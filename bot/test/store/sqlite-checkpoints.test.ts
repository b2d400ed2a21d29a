import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { startBackgroundCheckpoints } from '../../src/store/sqlite-checkpoints';
import { openSqliteStore } from '../../src/store/sqlite-store';

/** Resolves once `check` holds, polling every 10 ms (the mocha timeout fails the test otherwise). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('SQLite checkpoints from a thread of their own', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-ckpt-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('copies what the writer committed into the database file while the writer never checkpoints, and closes', async () => {
    const file = path.join(dir, 'store.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < 200; i += 1) insert.run('x'.repeat(2_000));
    const before = fs.statSync(file).size;
    assert.ok(fs.statSync(`${file}-wal`).size > 400_000, 'the commits are in the WAL');

    const failures: unknown[] = [];
    const checkpoints = startBackgroundCheckpoints(file, { everyMs: 10, onError: (error) => failures.push(error) });
    await until(() => fs.statSync(file).size > before + 400_000);
    await checkpoints.close();
    assert.deepEqual(failures, []);
    assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 200);
    db.close();
  });

  it('a store that writes in volume keeps its data through close and reopen', async () => {
    const file = path.join(dir, 'volume.db');
    const store = openSqliteStore(file);
    // Past the WAL's automatic checkpoint size (1,000 pages), so the store starts its checkpoint thread.
    for (let batch = 0; batch < 128; batch += 1) {
      await store.putAll(Array.from({ length: 20 }, (_, i) => ({ key: { table: 't', partition: `p${batch}`, row: `r${i}` }, value: { text: 'y'.repeat(2_000) } })));
    }
    await store.close();
    const reopened = openSqliteStore(file);
    assert.equal((await reopened.list('t')).length, 128 * 20);
    await reopened.close();
    assert.equal(fs.existsSync(`${file}-wal`), false, 'the last connection checkpointed and removed the WAL on close');
  });

  it('closes a volume store in a process with nothing else to do: the process waits for the thread, then ends', async function () {
    this.timeout(30_000);
    const file = path.join(dir, 'alone.db');
    // The thread is unref'd; were it not held while it closes, the process would end inside close().
    const script = `
      const loaded = await import(${JSON.stringify(path.resolve(__dirname, '../../src/store/sqlite-store.ts'))});
      const { openSqliteStore } = loaded.default ?? loaded;
      const store = openSqliteStore(${JSON.stringify(file)});
      for (let batch = 0; batch < 128; batch += 1) {
        await store.putAll(Array.from({ length: 20 }, (_, i) => ({ key: { table: 't', partition: 'p' + batch, row: 'r' + i }, value: { text: 'y'.repeat(2000) } })));
      }
      await store.close();
      process.stdout.write('closed');
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    assert.equal(stdout, 'closed');
    assert.equal(fs.existsSync(`${file}-wal`), false, 'the store closed its connection');
  });
});
