import type { Store } from '../store/store';
import type { Subscription } from './subscription';
import { storeKeyPart } from '../store/store-key-part';

const TABLE = 'alert-subscriptions';

export interface SubscriptionRepository {
  get(conversationId: string, id: string): Promise<{ subscription: Subscription; etag: string } | undefined>;
  forConversation(conversationId: string): Promise<Subscription[]>;
  /** Every subscription (the site directory's listing). */
  all(): Promise<Subscription[]>;
  /** Every subscription on a site; the matcher reads these per batch of events. */
  forSite(site: string): Promise<Subscription[]>;
  /** Creates or replaces; with `ifMatch`, only if unchanged since read (StoreConflictError otherwise). */
  save(subscription: Subscription, options?: { ifMatch?: string }): Promise<void>;
  remove(conversationId: string, id: string): Promise<boolean>;
}

export function subscriptionRepository(store: Store): SubscriptionRepository {
  const key = (conversationId: string, id: string) => ({ table: TABLE, partition: storeKeyPart(conversationId), row: id });
  return {
    async get(conversationId, id) {
      const item = await store.get<Subscription>(key(conversationId, id));
      return item ? { subscription: item.value, etag: item.etag } : undefined;
    },
    async forConversation(conversationId) {
      return (await store.list<Subscription>(TABLE, storeKeyPart(conversationId))).map((item) => item.value);
    },
    async all() {
      return (await store.list<Subscription>(TABLE)).map((item) => item.value);
    },
    async forSite(site) {
      return (await store.list<Subscription>(TABLE)).map((item) => item.value).filter((s) => s.site === site);
    },
    async save(subscription, options = {}) {
      await store.put(key(subscription.target.conversationId, subscription.id), subscription, options.ifMatch ? { ifMatch: options.ifMatch } : {});
    },
    remove: (conversationId, id) => store.delete(key(conversationId, id)),
  };
}
