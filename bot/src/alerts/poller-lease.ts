import { siteKey } from '../jira/site-url';
import type { Store } from '../store/store';
import { storeKeyPart } from '../store/store-key-part';
import { storeLeases, type HeldLease } from '../store/store-lease';

/**
 * Who watches a site: of all instances, only the holder of a site's lease polls it and keeps its
 * dynamic webhook, so a site is searched once per interval cluster-wide. The holder renews the
 * lease every `renewEveryMs` (a third of its length, so two renewals may fail before it lapses);
 * a holder that dies stops renewing, and the others take the site over at their first look after
 * the expiry.
 */
export interface PollerLease {
  /** Takes or renews this instance's lease on `site`; false while another live instance holds it. */
  hold(site: string): Promise<boolean>;
  /**
   * The lease's generation as of this instance's last successful hold of `site` (undefined when not
   * held). Each takeover raises it, so a poll stamped with it can be fenced against a later holder's.
   */
  generation(site: string): number | undefined;
  /** How often the holder must renew (and the others look): a third of the lease's length. */
  readonly renewEveryMs: number;
  /** Gives up every lease this instance holds, so the others take over at once (a clean stop). */
  releaseAll(): Promise<void>;
}

export const POLLER_LEASE_TABLE = 'poller-leases';

/**
 * The lease's length for a poll interval: half the interval, so that a dead holder's sites are
 * polled by another instance within one interval of its death (expiry after at most half an
 * interval, noticed within a sixth more). Never under 3 s: a renewal is a store round trip.
 */
export function pollerLeaseMs(intervalMs: number): number {
  return Math.max(3_000, Math.round(intervalMs / 2));
}

/** PollerLease on the Store's conditional writes (SQLite or Azure Tables), through the shared lease helper. */
export function storePollerLease(store: Store, options: { owner: string; ttlMs: number; now: () => number }): PollerLease {
  const leases = storeLeases(store, { owner: options.owner, ttlMs: options.ttlMs, now: options.now, table: POLLER_LEASE_TABLE });
  const held = new Map<string, HeldLease>();
  return {
    renewEveryMs: Math.max(1, Math.floor(options.ttlMs / 3)),
    async hold(site) {
      const name = storeKeyPart(siteKey(site));
      const lease = await leases.take(name);
      if (lease) held.set(name, lease);
      else held.delete(name);
      return lease !== undefined;
    },
    generation(site) {
      return held.get(storeKeyPart(siteKey(site)))?.generation;
    },
    async releaseAll() {
      const all = [...held.values()];
      held.clear();
      await Promise.all(all.map((lease) => leases.release(lease)));
    },
  };
}
