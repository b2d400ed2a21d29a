/**
 * The one storage contract of the service. It is shaped like Azure Storage Tables (table,
 * partition key, row key, ETag) so that the Azure implementation maps onto it directly and
 * the embedded SQLite implementation stays small. Values are plain JSON records: the store
 * knows nothing of Teams or Jira types; repositories on top of it give them meaning.
 */
export interface ItemKey {
  table: string;
  partition: string;
  row: string;
}

export interface StoredItem<T> {
  key: ItemKey;
  value: T;
  /** Opaque version tag; changes on every write. */
  etag: string;
}

export interface PutOptions {
  /** Write only if the stored item still has this ETag (optimistic concurrency). */
  ifMatch?: string;
  /** Write only if no item exists under the key. */
  ifNoneMatch?: '*';
}

/** One write of `Store.putAll`. */
export interface PutItem<T = unknown> {
  key: ItemKey;
  value: T;
  options?: PutOptions;
}

/** One insert of `Store.insertNew`. */
export interface NewItem<T = unknown> {
  key: ItemKey;
  value: T;
  /**
   * Skip the insert also when an item exists under this key: a marker the caller writes once the
   * work an item stands for is done (an event id kept after the event was routed, say).
   */
  unlessExists?: ItemKey;
  /**
   * Also insert this item, insert-only, and skip the item when its key holds something already: a
   * marker written with the item rather than after its work (an event id taken on arrival, say).
   * SQLite writes both in one transaction; Azure Tables inserts the claims after the items (a
   * transaction per partition, so a dedupe costs no read) and removes each item whose claim was
   * taken; a crash in between leaves the item without its claim, so the caller writes it again later.
   */
  claim?: { key: ItemKey; value: unknown };
}

/** A page of `Store.list`. */
export interface ListOptions {
  /** Only items after this key, in list order (partition, then row): where the previous page ended. */
  after?: { partition: string; row: string };
  /** At most this many items. */
  limit?: number;
}

export interface Store {
  get<T>(key: ItemKey): Promise<StoredItem<T> | undefined>;
  /**
   * Several items, in the order of `keys`, undefined where nothing is stored: cheaper than a get
   * each (Azure Tables reads them with one query per partition and 14 keys).
   */
  getMany<T>(keys: readonly ItemKey[]): Promise<Array<StoredItem<T> | undefined>>;
  /** Throws StoreConflictError when a precondition fails. */
  put<T>(key: ItemKey, value: T, options?: PutOptions): Promise<StoredItem<T>>;
  /**
   * Writes several items, each with its own precondition, then deletes `deletes` (a missing key
   * is fine), and resolves with the written items in order; cheaper than one call each (one
   * commit). SQLite does it all or nothing: a failed precondition throws StoreConflictError and
   * changes nothing. Azure Tables does it in that order, each run of consecutive steps on one
   * partition (table and partition) as one entity group transaction, all or nothing; so a conflict
   * or crash there may leave the steps of earlier runs done: callers order the steps so that any
   * prefix is safe, and treat a conflict as "re-read and decide", as they do for a lost answer to `put`.
   */
  putAll<T>(items: ReadonlyArray<PutItem<T>>, deletes?: readonly ItemKey[]): Promise<Array<StoredItem<T>>>;
  /**
   * True where several callers' putAll steps cost less as one call than as one call each (SQLite:
   * one local commit for all), so callers may merge them; absent where a call is round trips that
   * merging would only put in a row (Azure Tables: one after another per partition run).
   */
  readonly mergesWrites?: boolean;
  /**
   * Inserts each item whose key holds nothing and whose `unlessExists` key holds nothing either,
   * and skips the others without failing the rest: a duplicate is an answer, not an error.
   * Resolves, in order, with each stored item or undefined where skipped; of two items with one
   * key, the first wins. It is the check and the write in one step, so a caller need not read
   * first. SQLite does it all in one transaction (one commit). Azure Tables inserts the items
   * (insert-only, atomic per key; one entity group transaction per partition, retried without a
   * key the service names as taken), then reads their `unlessExists` keys (one query per partition
   * and 14 keys) and removes each item again whose key holds something; so an insert races no
   * writer that puts the `unlessExists` item before it deletes the one at `key`, but may be
   * visible for those round trips, and a crash in them can leave the item in place. Up to eight
   * partitions go in parallel there. Both stores write the calls made together as one call (a group
   * commit, `group-commit.ts`), each caller told its own items' outcome: those of one turn of the
   * event loop, and on Azure Tables those made while two calls of the same table run.
   */
  insertNew<T>(items: ReadonlyArray<NewItem<T>>): Promise<Array<StoredItem<T> | undefined>>;
  /** Resolves false when there was nothing to delete; throws StoreConflictError on an ETag mismatch. */
  delete(key: ItemKey, options?: { ifMatch?: string }): Promise<boolean>;
  /**
   * Items of a table, or of one partition, ordered by partition then row key; `options` reads one
   * page of them (a key range), so a caller walking a large table holds one page at a time.
   */
  list<T>(table: string, partition?: string, options?: ListOptions): Promise<Array<StoredItem<T>>>;
  /** The keys `list` would give, without the values (Azure Tables: `$select` of the keys, so a large table's payloads stay on the service). */
  listKeys(table: string, partition?: string, options?: ListOptions): Promise<ItemKey[]>;
  /** Resolves when the backing storage answers; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class StoreConflictError extends Error {
  readonly code = 'STORE_CONFLICT';
  constructor(key: ItemKey, reason: 'etag-mismatch' | 'exists') {
    super(`Store conflict on ${key.table}/${key.partition}/${key.row}: ${reason}`);
    this.name = 'StoreConflictError';
  }
}
