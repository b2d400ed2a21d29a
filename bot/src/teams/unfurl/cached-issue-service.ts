import type { ConnectionOwner } from '../../connections/connection';
import type { Clock } from '../../jira/clock';
import type { IssueForUser, IssueService } from './issue-service';

export interface IssueCacheOptions {
  /** How long one user's copy of an issue is served without asking Jira; 60 s unless told. */
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
  const now = () => (options.clock ?? Date).now();
  // Map order is insertion order: re-inserting on a hit keeps the oldest entry first.
  const entries = new Map<string, { key: string; expires: number; value: Promise<IssueForUser> }>();

  const entryId = (user: ConnectionOwner, key: string) => `${user.tenantId}\u0000${user.userId}\u0000${key.toUpperCase()}`;
  const invalidate = (key: string) => {
    const wanted = key.toUpperCase();
    for (const [id, entry] of entries) if (entry.key === wanted) entries.delete(id);
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
      const id = entryId(user, key);
      const hit = entries.get(id);
      if (hit && hit.expires > now()) {
        entries.delete(id);
        entries.set(id, hit);
        return hit.value;
      }
      const value = inner.getIssue(user, key);
      entries.set(id, { key: key.toUpperCase(), expires: now() + ttlMs, value });
      // Failures are not remembered: the next unfurl asks Jira again.
      value.catch(() => {
        if (entries.get(id)?.value === value) entries.delete(id);
      });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
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
