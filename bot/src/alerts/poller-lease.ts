import { siteKey } from '../jira/site-url';
import type { Store } from '../store/store';
import { storeKeyPart } from '../store/store-key-part';
import { storeLeases, type HeldLease } from '../store/store-lease';

/**
 * Who watches a site: of all instances, only the holder of a site's lease polls it and keeps its
 * dynamic webhook, so a site is searched once per interval cluster-wide. A holder that dies stops
 * renewing; another instance takes the site over once the lease expires.
 */
export interface PollerLease {
  /** Takes or renews this instance's lease on `site`; false while another live instance holds it. */
  hold(site: string): Promise<boolean>;
  /** Gives up every lease this instance holds, so the others take over at once (a clean stop). */
  releaseAll(): Promise<void>;
}

export const POLLER_LEASE_TABLE = 'poller-leases';

/** PollerLease on the Store's conditional writes (SQLite or Azure Tables), through the shared lease helper. */
export function storePollerLease(store: Store, options: { owner: string; ttlMs: number; now: () => number }): PollerLease {
  const leases = storeLeases(store, { owner: options.owner, ttlMs: options.ttlMs, now: options.now, table: POLLER_LEASE_TABLE });
  const held = new Map<string, HeldLease>();
  return {
    async hold(site) {
      const name = storeKeyPart(siteKey(site));
      const lease = await leases.take(name);
      if (lease) held.set(name, lease);
      else held.delete(name);
      return lease !== undefined;
    },
    async releaseAll() {
      const all = [...held.values()];
      held.clear();
      await Promise.all(all.map((lease) => leases.release(lease)));
    },
  };
}
