import { StoreConflictError, type Store } from '../../store/store';
import { storeKeyPart } from '../../store/store-key-part';
import type { StoredRound } from './estimation-round';

const TABLE = 'estimationRounds';
/** Concurrent votes on one round: each re-reads and tries again this often before giving up. */
const MAX_ATTEMPTS = 8;

export interface RoundRepository {
  /** The backlog's current round (the last one started), whatever its phase. */
  get(tenantId: string, backlogId: string): Promise<StoredRound | undefined>;
  /**
   * Changes the current round as `change` decides from the stored one (undefined: none yet);
   * `change` returning undefined writes nothing. Attendees voting at once each re-read and
   * re-apply on a conflict, so no vote overwrites another.
   */
  update(tenantId: string, backlogId: string, change: (round: StoredRound | undefined) => StoredRound | undefined): Promise<StoredRound | undefined>;
}

/** One row per backlog in the Store: the round survives a reload and a restart of the service. */
export function roundRepository(store: Store): RoundRepository {
  const key = (tenantId: string, backlogId: string) => ({ table: TABLE, partition: storeKeyPart(tenantId), row: backlogId });
  return {
    async get(tenantId, backlogId) {
      return (await store.get<StoredRound>(key(tenantId, backlogId)))?.value;
    },
    async update(tenantId, backlogId, change) {
      for (let attempt = 1; ; attempt++) {
        const item = await store.get<StoredRound>(key(tenantId, backlogId));
        const next = change(item?.value);
        if (!next) return item?.value;
        try {
          await store.put(key(tenantId, backlogId), next, item ? { ifMatch: item.etag } : { ifNoneMatch: '*' });
          return next;
        } catch (error) {
          if (!(error instanceof StoreConflictError) || attempt >= MAX_ATTEMPTS) throw error;
        }
      }
    },
  };
}
