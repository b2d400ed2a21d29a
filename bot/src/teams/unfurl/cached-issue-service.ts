import { LRUCache } from 'lru-cache';
import type { ConnectionOwner } from '../../connections/connection';
import type { Clock } from '../../jira/clock';
import type { IssueForUser, IssueService } from './issue-service';

export interface IssueCacheOptions {
  /** How long one user's copy of an issue is served without asking Jira; 60 s unless told, 0 for every read to ask Jira. */
  ttlMs?: number;
  /** Entries kept at most (least recently used go first); 5,000 unless told. */
  maxEntries?: number;
  clock?: Pick<Clock, 'now'>;
}

export interface CachedIssueService extends IssueService {
  /** Forgets every user's copy of an issue (a webhook said it changed). */
  invalidate(key: string): void;
}

/**
 * Serves repeated unfurls and refreshes of one issue from memory, per user (each user sees
 * what their own Jira permissions allow, so copies are never shared). A write through this
 * service drops every copy of that issue; concurrent reads of one entry share one Jira call.
 */
export function cachedIssueService(inner: IssueService, options: IssueCacheOptions = {}): CachedIssueService {
  const ttlMs = options.ttlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 5_000;
  const clock = options.clock ?? Date;
  const entries = new LRUCache<string, { key: string; value: Promise<IssueForUser> }>({
    max: maxEntries,
    ttl: ttlMs,
    // Read the clock at every check: by default lru-cache keeps a reading for a millisecond behind a timer.
    ttlResolution: 0,
    // lru-cache takes a start time of 0 for "no TTL": no real clock says 0, and tests start theirs later.
    perf: { now: () => clock.now() },
  });

  const entryId = (user: ConnectionOwner, key: string) => `${user.tenantId}\u0000${user.userId}\u0000${key.toUpperCase()}`;
  const invalidate = (key: string) => {
    const wanted = key.toUpperCase();
    // Collected first: lru-cache's iterators do not promise to survive a delete on the way.
    const copies = [...entries.entries()].filter(([, entry]) => entry.key === wanted);
    for (const [id] of copies) entries.delete(id);
  };
  const writing =
    <A extends unknown[]>(write: (user: ConnectionOwner, key: string, ...rest: A) => Promise<void>) =>
    async (user: ConnectionOwner, key: string, ...rest: A) => {
      try {
        await write(user, key, ...rest);
      } finally {
        // Even a failed write may have changed the issue (a timeout after Jira applied it).
        invalidate(key);
      }
    };

  return {
    getIssue(user, key) {
      // No TTL means no cache (the bench's cold unfurl): lru-cache would read a ttl of 0 as "never expires".
      if (ttlMs <= 0) return inner.getIssue(user, key);
      const id = entryId(user, key);
      const hit = entries.get(id);
      if (hit) return hit.value;
      const value = inner.getIssue(user, key);
      entries.set(id, { key: key.toUpperCase(), value });
      // Failures are not remembered: the next unfurl asks Jira again.
      value.catch(() => {
        if (entries.peek(id)?.value === value) entries.delete(id);
      });
      return value;
    },
    search: (user, jql, page) => inner.search(user, jql, page),
    filter: (user, filterId) => inner.filter(user, filterId),
    assignToSelf: writing((user, key) => inner.assignToSelf(user, key)),
    transition: writing((user, key, transitionId: string) => inner.transition(user, key, transitionId)),
    comment: writing((user, key, text: string) => inner.comment(user, key, text)),
    watch: writing((user, key, watching: boolean) => inner.watch(user, key, watching)),
    invalidate,
  };
}
