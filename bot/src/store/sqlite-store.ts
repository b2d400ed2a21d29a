import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { StoreConflictError, type ItemKey, type ListOptions, type NewItem, type PutItem, type PutOptions, type Store, type StoredItem } from './store';
import { groupCommit } from './group-commit';
import { startBackgroundCheckpoints, type BackgroundCheckpoints } from './sqlite-checkpoints';
import { sqliteMigrations, type Migration } from './sqlite-migrations';

/** SQLite's default automatic checkpoint: when the WAL holds this many pages, the committing connection copies it into the file. */
const AUTOCHECKPOINT_PAGES = 1_000;
/**
 * Once a thread checkpoints (below), the writer's own checkpoint waits for this many pages (about 40 MB): it
 * is a backstop, and what restarts the WAL from its start during a long burst of writes, which a checkpoint
 * from another connection cannot while each commit appends to it.
 */
const BACKSTOP_PAGES = 10_000;

interface Row {
  tbl: string;
  pk: string;
  rk: string;
  etag: string;
  value: string;
}

/**
 * The embedded default store: one SQLite file in WAL mode, so readers never wait for the
 * writer and a crash loses no committed write. better-sqlite3 is synchronous; each call is
 * a single short statement, cheaper than a round trip to a worker thread.
 */
export function openSqliteStore(file: string, migrations: readonly Migration[] = sqliteMigrations): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);

  const select = db.prepare<[string, string, string], Row>('SELECT * FROM items WHERE tbl = ? AND pk = ? AND rk = ?');
  const upsert = db.prepare(
    `INSERT INTO items (tbl, pk, rk, etag, value, updated_at) VALUES (@tbl, @pk, @rk, @etag, @value, @now)
     ON CONFLICT (tbl, pk, rk) DO UPDATE SET etag = excluded.etag, value = excluded.value, updated_at = excluded.updated_at`,
  );
  const insertIfMissing = db.prepare('INSERT INTO items (tbl, pk, rk, etag, value, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tbl, pk, rk) DO NOTHING');
  const exists = db.prepare<[string, string, string], number>('SELECT 1 FROM items WHERE tbl = ? AND pk = ? AND rk = ?').pluck();
  const remove = db.prepare('DELETE FROM items WHERE tbl = ? AND pk = ? AND rk = ?');
  // LIMIT -1 is no limit. The row-value comparison is a range on the primary key's index.
  const listing = <R>(columns: string) => {
    const table = db.prepare<[string, number], R>(`SELECT ${columns} FROM items WHERE tbl = ? ORDER BY pk, rk LIMIT ?`);
    const partition = db.prepare<[string, string, number], R>(`SELECT ${columns} FROM items WHERE tbl = ? AND pk = ? ORDER BY rk LIMIT ?`);
    const tableAfter = db.prepare<[string, string, string, number], R>(`SELECT ${columns} FROM items WHERE tbl = ? AND (pk, rk) > (?, ?) ORDER BY pk, rk LIMIT ?`);
    const partitionAfter = db.prepare<[string, string, string, string, number], R>(
      `SELECT ${columns} FROM items WHERE tbl = ? AND pk = ? AND (pk, rk) > (?, ?) ORDER BY rk LIMIT ?`,
    );
    return (tbl: string, pk: string | undefined, { limit = -1, after }: ListOptions): R[] => {
      if (pk === undefined) return after ? tableAfter.all(tbl, after.partition, after.row, limit) : table.all(tbl, limit);
      return after ? partitionAfter.all(tbl, pk, after.partition, after.row, limit) : partition.all(tbl, pk, limit);
    };
  };
  const listRows = listing<Row>('*');
  // The keys alone: a sweep lists a whole table's keys, and parsing every value was most of its cost.
  const listKeyRows = listing<Pick<Row, 'tbl' | 'pk' | 'rk'>>('tbl, pk, rk');

  const toItem = <T>(row: Row): StoredItem<T> => ({
    key: { table: row.tbl, partition: row.pk, row: row.rk },
    value: JSON.parse(row.value) as T,
    etag: row.etag,
  });

  // Check and write in one transaction so two writers cannot both pass the same ETag check. Write
  // transactions begin IMMEDIATE: begun deferred, their first read takes a snapshot, and if another
  // process (instances sharing the file) commits before the write, SQLite fails it at once with
  // "database is locked" instead of waiting out busy_timeout.
  const write = (key: ItemKey, json: string, options: PutOptions, now: string): string => {
    const current = select.get(key.table, key.partition, key.row);
    if (options.ifNoneMatch === '*' && current) throw new StoreConflictError(key, 'exists');
    if (options.ifMatch !== undefined && current?.etag !== options.ifMatch) throw new StoreConflictError(key, 'etag-mismatch');
    const etag = randomUUID();
    upsert.run({ tbl: key.table, pk: key.partition, rk: key.row, etag, value: json, now });
    return etag;
  };
  const put = db.transaction((key: ItemKey, json: string, options: PutOptions): string => write(key, json, options, new Date().toISOString()));
  // One transaction, one commit for all: the commit (a WAL append) is most of a small write's cost.
  const putAll = db.transaction((items: ReadonlyArray<{ key: ItemKey; json: string; options: PutOptions }>, deletes: readonly ItemKey[]): string[] => {
    const now = new Date().toISOString();
    const etags = items.map((item) => write(item.key, item.json, item.options, now));
    for (const key of deletes) remove.run(key.table, key.partition, key.row);
    return etags;
  });

  // The insert's own conflict clause is the existence check of its key: one statement, no read.
  const insertNew = db.transaction((items: ReadonlyArray<NewItem<unknown>>): Array<string | undefined> => {
    const now = new Date().toISOString();
    return items.map(({ key, value, unlessExists, claim }) => {
      if (unlessExists && exists.get(unlessExists.table, unlessExists.partition, unlessExists.row)) return undefined;
      if (claim && exists.get(claim.key.table, claim.key.partition, claim.key.row)) return undefined;
      const etag = randomUUID();
      if (insertIfMissing.run(key.table, key.partition, key.row, etag, JSON.stringify(value), now).changes !== 1) return undefined;
      if (claim) insertIfMissing.run(claim.key.table, claim.key.partition, claim.key.row, randomUUID(), JSON.stringify(claim.value), now);
      return etag;
    });
  });

  // The calls of one turn of the event loop in one transaction (a group commit, as on Azure Tables), each told its own outcome.
  const insertTogether = groupCommit<ReadonlyArray<NewItem<unknown>>, Array<string | undefined>>(async (calls) => {
    const etags = insertNew.immediate(calls.flat());
    committed();
    let at = 0;
    return calls.map((call) => etags.slice(at, (at += call.length)));
  });

  const del = db.transaction((key: ItemKey, ifMatch: string | undefined): boolean => {
    const current = select.get(key.table, key.partition, key.row);
    if (!current) {
      if (ifMatch !== undefined) throw new StoreConflictError(key, 'etag-mismatch');
      return false;
    }
    if (ifMatch !== undefined && current.etag !== ifMatch) throw new StoreConflictError(key, 'etag-mismatch');
    remove.run(key.table, key.partition, key.row);
    return true;
  });

  let open = true;
  /**
   * A store that writes in volume checkpoints from a thread of its own (sqlite-checkpoints.ts), so the
   * event loop no longer waits for a checkpoint's fsyncs. The thread starts once the WAL first reaches
   * the automatic checkpoint's size (checked every 64 commits), so the many small stores tests open
   * start none. Durability is unchanged: a commit is a WAL append either way (synchronous NORMAL).
   * Measured (2,000 alert sends, interleaved A/B, machine under load): fsyncs on the event loop 45-51
   * (0.5-0.8 s) -> 4-12 (0.04-0.2 s); every second rather than every 200 ms made a third of the thread's fsyncs.
   */
  let checkpoints: BackgroundCheckpoints | undefined;
  let commits = 0;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const committed = () => {
    commits += 1;
    if (checkpoints || file === ':memory:' || commits % 64 !== 0) return;
    if ((fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0) < AUTOCHECKPOINT_PAGES * pageSize) return;
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    checkpoints = startBackgroundCheckpoints(path.resolve(file), {
      everyMs: 1_000,
      // The writer checkpoints as before.
      onError: () => open && db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`),
    });
  };
  return {
    // One commit is most of a small write's cost: a caller may merge its callers' putAll steps.
    mergesWrites: true,
    async get<T>(key: ItemKey) {
      const row = select.get(key.table, key.partition, key.row);
      return row ? toItem<T>(row) : undefined;
    },
    async getMany<T>(keys: readonly ItemKey[]) {
      return keys.map((key) => {
        const row = select.get(key.table, key.partition, key.row);
        return row ? toItem<T>(row) : undefined;
      });
    },
    async put<T>(key: ItemKey, value: T, options: PutOptions = {}) {
      const etag = put.immediate(key, JSON.stringify(value), options);
      committed();
      return { key: { ...key }, value, etag };
    },
    async putAll<T>(items: ReadonlyArray<PutItem<T>>, deletes: readonly ItemKey[] = []) {
      if (items.length === 0 && deletes.length === 0) return [];
      const etags = putAll.immediate(
        items.map((item) => ({ key: item.key, json: JSON.stringify(item.value), options: item.options ?? {} })),
        deletes,
      );
      committed();
      return items.map((item, i) => ({ key: { ...item.key }, value: item.value, etag: etags[i] }));
    },
    async insertNew<T>(items: ReadonlyArray<NewItem<T>>) {
      if (items.length === 0) return [];
      const etags = await insertTogether(items);
      return items.map((item, i): StoredItem<T> | undefined => {
        const etag = etags[i];
        return etag === undefined ? undefined : { key: { ...item.key }, value: item.value, etag };
      });
    },
    async delete(key: ItemKey, options: { ifMatch?: string } = {}) {
      const deleted = del.immediate(key, options.ifMatch);
      committed();
      return deleted;
    },
    async list<T>(table: string, partition?: string, options: ListOptions = {}) {
      return listRows(table, partition, options).map((row) => toItem<T>(row));
    },
    async listKeys(table: string, partition?: string, options: ListOptions = {}) {
      return listKeyRows(table, partition, options).map((row) => ({ table: row.tbl, partition: row.pk, row: row.rk }));
    },
    async ping() {
      if (!open) throw new Error('The SQLite store is closed');
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (!open) return;
      open = false;
      // Its connection closes first, so this one is the last and checkpoints the whole WAL on close, as before.
      await checkpoints?.close();
      db.close();
    },
  };
}

function migrate(db: Database.Database, migrations: readonly Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(
    db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
      .all()
      .map((r) => r.version),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    })();
  }
}
