import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/store/sqlite-store';
import { sqliteMigrations } from '../../src/store/sqlite-migrations';
import { runStoreContract } from './store.contract';

const tempFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-store-')), 'nested', 'store.db');

runStoreContract('sqlite', async () => openSqliteStore(tempFile()));

describe('SQLite store', () => {
  it('creates the file on first start, in WAL mode, with every migration recorded once', async () => {
    const file = tempFile();
    const store = openSqliteStore(file);
    await store.put({ table: 't', partition: 'p', row: 'r' }, { kept: true });
    await store.close();
    const again = openSqliteStore(file);
    assert.deepEqual((await again.get({ table: 't', partition: 'p', row: 'r' }))?.value, { kept: true });
    await again.close();

    const db = new Database(file, { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>;
    assert.deepEqual(
      versions.map((v) => v.version),
      sqliteMigrations.map((m) => m.version),
    );
    db.close();
  });

  it('writes putAll in one transaction: a conflict on a later item leaves the earlier ones unwritten', async () => {
    const store = openSqliteStore(tempFile());
    const key = (row: string) => ({ table: 't', partition: 'p', row });
    await store.put(key('taken'), { n: 0 });
    await assert.rejects(
      store.putAll([
        { key: key('fresh'), value: { n: 1 }, options: { ifNoneMatch: '*' } },
        { key: key('taken'), value: { n: 2 }, options: { ifNoneMatch: '*' } },
      ]),
      /exists/,
    );
    assert.equal(await store.get(key('fresh')), undefined);
    assert.deepEqual((await store.get(key('taken')))?.value, { n: 0 });
    await store.put(key('kept'), { n: 3 });
    await assert.rejects(store.putAll([{ key: key('taken'), value: { n: 4 }, options: { ifMatch: 'stale' } }], [key('kept')]), /etag-mismatch/);
    assert.deepEqual((await store.get(key('kept')))?.value, { n: 3 }, 'the delete rolled back with the failed write');
    await store.close();
  });

  it('applies a new migration to an existing database without touching earlier ones', async () => {
    const file = tempFile();
    await openSqliteStore(file).close();
    const next = [...sqliteMigrations, { version: 999, name: 'probe', sql: 'CREATE TABLE probe (x INTEGER);' }];
    const store = openSqliteStore(file, next);
    await store.close();
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>;
    assert.equal(rows.length, sqliteMigrations.length + 1);
    assert.ok(db.prepare("SELECT name FROM sqlite_master WHERE name = 'probe'").get());
    db.close();
  });

  it('rolls back a failing migration and refuses to open', () => {
    const file = tempFile();
    const broken = [...sqliteMigrations, { version: 2, name: 'broken', sql: 'CREATE TABLE ok (x); THIS IS NOT SQL;' }];
    assert.throws(() => openSqliteStore(file, broken), /syntax error/);
    const db = new Database(file, { readonly: true });
    assert.equal(db.prepare("SELECT name FROM sqlite_master WHERE name = 'ok'").get(), undefined);
    const recorded = db.prepare('SELECT count(*) AS n FROM schema_migrations WHERE version = 2').get() as { n: number };
    assert.equal(recorded.n, 0);
    db.close();
  });

  it('lets two processes update one item of one file at once, waiting for the lock instead of failing', async function () {
    this.timeout(60_000);
    const file = tempFile();
    await openSqliteStore(file).close();
    // Each write reads in its transaction first: begun deferred, a write after the other process's
    // commit failed at once with "database is locked" (SQLITE_BUSY_SNAPSHOT), busy timeout or not.
    // Conditional read-modify-write updates of one counter, as instances sharing the file make to
    // outbox rows and leases; losing the race to the other process is a conflict, and fine.
    const writer = `
      const loaded = await import(${JSON.stringify(path.resolve(__dirname, '../../src/store/sqlite-store.ts'))});
      const { openSqliteStore } = loaded.default ?? loaded;
      const store = openSqliteStore(${JSON.stringify(file)});
      const key = { table: 'contended', partition: 'p', row: 'counter' };
      let made = 0;
      while (made < 5000) {
        const current = await store.get(key);
        try {
          await store.put(key, { n: (current?.value.n ?? 0) + 1 }, current ? { ifMatch: current.etag } : { ifNoneMatch: '*' });
          made += 1;
        } catch (error) {
          if (error.code !== 'STORE_CONFLICT') throw error;
        }
      }
      await store.close();
      process.stdout.write(String(made));
    `;
    const run = () => promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer]);
    const results = await Promise.all([run(), run()]);
    assert.deepEqual(
      results.map((r) => r.stdout),
      ['5000', '5000'],
    );
    const store = openSqliteStore(file);
    assert.deepEqual((await store.get({ table: 'contended', partition: 'p', row: 'counter' }))?.value, { n: 10_000 });
    await store.close();
  });

  it('refuses ping after close', async () => {
    const store = openSqliteStore(tempFile());
    await store.close();
    await assert.rejects(store.ping(), /closed/);
  });
});
