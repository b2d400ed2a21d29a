import { randomUUID } from 'node:crypto';
import { StoreConflictError, type ItemKey, type Store, type StoredItem } from './store';

/** What the store holds for one named lease. */
interface LeaseRecord {
  owner: string;
  /** Epoch ms by the writer's clock; instances are assumed to agree to well within one ttl. */
  expiresAt: number;
  /** Counts owners: a takeover adds one, a renewal keeps it. Work stamped with it can be fenced. */
  generation: number;
  /** Random per take, so a write whose answer was lost can be recognised as ours on re-read. */
  token: string;
}

/** A lease this owner holds, as of its last successful take or renew. */
export interface HeldLease {
  name: string;
  owner: string;
  expiresAt: number;
  generation: number;
  token: string;
  /** The store's ETag of the lease item; renew and release are conditional on it. */
  etag: string;
}

/** Who holds a lease, for operators and for callers deciding whether to wait. */
export interface LeaseHolder {
  owner: string;
  expiresAt: number;
  generation: number;
  expired: boolean;
}

export interface StoreLeaseOptions {
  /** This instance's id: unique per process run, so a restarted process is a new owner. */
  owner: string;
  /** How long a take or renew holds the lease without another renew. */
  ttlMs: number;
  /** Epoch ms; injected so tests drive expiry without waiting. */
  now?: () => number;
  /** Logical table of the lease items; one per kind of lease keeps listings apart. */
  table?: string;
}

export interface StoreLeases {
  /**
   * Takes the lease when it is free, expired, or already this owner's (then it is renewed).
   * Resolves undefined when another owner holds it unexpired or wins a race for it.
   */
  take(name: string): Promise<HeldLease | undefined>;
  /**
   * take, telling a caller that did not get the lease who holds it, from the same read (undefined
   * when another owner won a race for it just now).
   */
  attempt(name: string): Promise<{ lease: HeldLease } | { lease?: undefined; holder?: LeaseHolder }>;
  /** Extends a held lease; resolves undefined when it was lost (taken over after expiry, or released). */
  renew(lease: HeldLease): Promise<HeldLease | undefined>;
  /**
   * renew for several leases in one write (they share a partition: on Azure Tables one entity group
   * transaction per 100), in order; undefined for each one that was lost.
   */
  renewAll(leases: readonly HeldLease[]): Promise<Array<HeldLease | undefined>>;
  /** Gives the lease up now so another owner need not wait for its expiry; a lost lease is left alone. */
  release(lease: HeldLease): Promise<void>;
  /** release for several leases in one write (each left expired for the next taker); lost ones are left alone. */
  releaseAll(leases: readonly HeldLease[]): Promise<void>;
  /** The current holder, expired or not, or undefined when nobody holds it. */
  holder(name: string): Promise<LeaseHolder | undefined>;
  /** Every lease of the table with its holder, ordered by name. */
  list(): Promise<Array<LeaseHolder & { name: string }>>;
}

const PARTITION = 'lease';

/**
 * Named leases on any Store, built only on its conditional writes (ifNoneMatch to create,
 * ifMatch to renew, take over or release), so they hold across processes on SQLite and on
 * Azure Tables alike without a lock service. A lease is advisory: the holder must stop acting
 * for it once `expiresAt` passes without a renew, and fence durable effects with `generation`
 * where a late write after a takeover would do harm.
 */
export function storeLeases(store: Store, options: StoreLeaseOptions): StoreLeases {
  const now = options.now ?? Date.now;
  const table = options.table ?? 'leases';
  const keyOf = (name: string): ItemKey => ({ table, partition: PARTITION, row: name });
  const held = (name: string, item: StoredItem<LeaseRecord>): HeldLease => ({ name, ...item.value, etag: item.etag });

  // A conflict on a retried write may mean our own first attempt landed: re-read and look for our token.
  const ours = async (name: string, token: string): Promise<HeldLease | undefined> => {
    const current = await store.get<LeaseRecord>(keyOf(name));
    return current && current.value.token === token && current.value.owner === options.owner ? held(name, current) : undefined;
  };

  const write = async (name: string, record: LeaseRecord, condition: { ifMatch: string } | { ifNoneMatch: '*' }): Promise<HeldLease | undefined> => {
    try {
      return held(name, await store.put(keyOf(name), record, condition));
    } catch (error) {
      if (error instanceof StoreConflictError) return ours(name, record.token);
      throw error;
    }
  };

  const holderOf = (record: LeaseRecord, at: number): LeaseHolder => ({
    owner: record.owner,
    expiresAt: record.expiresAt,
    generation: record.generation,
    expired: record.expiresAt <= at,
  });

  const attempt: StoreLeases['attempt'] = async (name) => {
    const current = await store.get<LeaseRecord>(keyOf(name));
    const at = now();
    const token = randomUUID();
    let lease: HeldLease | undefined;
    if (!current) lease = await write(name, { owner: options.owner, expiresAt: at + options.ttlMs, generation: 1, token }, { ifNoneMatch: '*' });
    else {
      const mine = current.value.owner === options.owner;
      if (!mine && current.value.expiresAt > at) return { holder: holderOf(current.value, at) };
      const generation = mine && current.value.expiresAt > at ? current.value.generation : current.value.generation + 1;
      lease = await write(name, { owner: options.owner, expiresAt: at + options.ttlMs, generation, token }, { ifMatch: current.etag });
    }
    return lease ? { lease } : {};
  };

  const renew = async (lease: HeldLease): Promise<HeldLease | undefined> => {
    // ifMatch on the ETag of our last write: any takeover in between changed it, so a renew can
    // never steal back a lease another owner took, however late it comes.
    const token = randomUUID();
    return write(lease.name, { owner: lease.owner, expiresAt: now() + options.ttlMs, generation: lease.generation, token }, { ifMatch: lease.etag });
  };

  /**
   * Writes new records over held leases, each ETag-checked, in one putAll. When one was lost
   * (a takeover after a lapse) the store refuses its write; the others' may have landed before
   * (Azure Tables writes a transaction per 100) or not (SQLite: none), so each is then settled
   * alone: ours if its record carries our token, else written again by itself.
   */
  const writeAll = async (leases: readonly HeldLease[], recordOf: (lease: HeldLease) => LeaseRecord): Promise<Array<HeldLease | undefined>> => {
    if (leases.length === 0) return [];
    const records = leases.map(recordOf);
    try {
      const stored = await store.putAll(leases.map((lease, i) => ({ key: keyOf(lease.name), value: records[i], options: { ifMatch: lease.etag } })));
      return stored.map((item, i) => held(leases[i].name, item));
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
      return Promise.all(
        leases.map(async (lease, i) => (await ours(lease.name, records[i].token)) ?? write(lease.name, { ...records[i], token: randomUUID() }, { ifMatch: lease.etag })),
      );
    }
  };

  return {
    attempt,

    async take(name) {
      return (await attempt(name)).lease;
    },

    renew,

    renewAll(leases) {
      const expiresAt = now() + options.ttlMs;
      return writeAll(leases, (lease) => ({ owner: lease.owner, expiresAt, generation: lease.generation, token: randomUUID() }));
    },

    async releaseAll(leases) {
      // Expired rather than deleted: a delete is not conditional inside putAll, and an expired
      // lease is free to take for anyone (a new owner counts a generation more, as after a lapse).
      await writeAll(leases, (lease) => ({ owner: lease.owner, expiresAt: 0, generation: lease.generation, token: randomUUID() }));
    },

    async release(lease) {
      try {
        await store.delete(keyOf(lease.name), { ifMatch: lease.etag });
      } catch (error) {
        if (!(error instanceof StoreConflictError)) throw error;
      }
    },

    async holder(name) {
      const current = await store.get<LeaseRecord>(keyOf(name));
      return current ? holderOf(current.value, now()) : undefined;
    },

    async list() {
      const at = now();
      return (await store.list<LeaseRecord>(table, PARTITION)).map(({ key, value }) => ({ name: key.row, ...holderOf(value, at) }));
    },
  };
}
