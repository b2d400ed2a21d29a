import type { PutItem, Store } from '../store/store';
import type { IssueEvent } from './issue-event';
import { storeKeyPart } from '../store/store-key-part';

/** The card posted for an issue in a conversation, so further changes update it instead of posting. */
export interface AlertThread {
  issueId: string;
  issueKey?: string;
  site?: string;
  /** Two-way threads were on for this conversation when the card was posted. */
  threaded?: boolean;
  activityId: string;
  postedAt: number;
  /** Changes shown on the card so far, newest first (the card is re-rendered from them). */
  events: IssueEvent[];
}

const TABLE = 'alert-threads';
/**
 * Card activity id -> issue, to know which issue a reply in a card's thread is about: rows under
 * this prefix in the threads' own partition (an issue's row key, percent-encoded, never holds a
 * colon), so a posted card's thread and root are one write (one entity group transaction on
 * Azure Tables, where a table of their own was a second request per card).
 */
const ROOT_ROW = 'root:';
/** Where roots were kept before they moved into the threads' partition; still read for older cards. */
const OLD_ROOTS = 'alert-thread-roots';
/** Jira comments made from a thread reply, so they are not echoed back into that thread. */
const ECHOES = 'alert-thread-echoes';
const KEPT_EVENTS = 6;

export interface AlertThreads {
  get(conversationId: string, issueId: string): Promise<AlertThread | undefined>;
  /** Records a freshly posted card, or adds an event to an updated one. */
  record(conversationId: string, thread: AlertThread): Promise<void>;
  /** What `record` writes, for a caller that commits it together with its own writes. */
  recordItems(conversationId: string, thread: AlertThread): PutItem[];
  /** The thread whose root card has this activity id. */
  byRoot(conversationId: string, activityId: string): Promise<AlertThread | undefined>;
  rememberOwnComment(conversationId: string, commentId: string): Promise<void>;
  isOwnComment(conversationId: string, commentId: string): Promise<boolean>;
}

export function alertThreads(store: Store): AlertThreads {
  const key = (conversationId: string, issueId: string) => ({
    table: TABLE,
    partition: storeKeyPart(conversationId),
    row: storeKeyPart(issueId),
  });
  const rootKey = (conversationId: string, activityId: string) => ({ table: TABLE, partition: storeKeyPart(conversationId), row: `${ROOT_ROW}${storeKeyPart(activityId)}` });
  const recordItems = (conversationId: string, thread: AlertThread): PutItem[] => [
    { key: key(conversationId, thread.issueId), value: { ...thread, events: thread.events.slice(0, KEPT_EVENTS) } },
    { key: rootKey(conversationId, thread.activityId), value: { issueId: thread.issueId } },
  ];
  return {
    async get(conversationId, issueId) {
      return (await store.get<AlertThread>(key(conversationId, issueId)))?.value;
    },
    async record(conversationId, thread) {
      await store.putAll(recordItems(conversationId, thread));
    },
    recordItems,
    async byRoot(conversationId, activityId) {
      const root =
        (await store.get<{ issueId: string }>(rootKey(conversationId, activityId))) ??
        (await store.get<{ issueId: string }>({ table: OLD_ROOTS, partition: storeKeyPart(conversationId), row: storeKeyPart(activityId) }));
      if (!root) return undefined;
      const thread = (await store.get<AlertThread>(key(conversationId, root.value.issueId)))?.value;
      // A newer card for the issue replaced this one as the thread to reply in.
      return thread?.activityId === activityId ? thread : undefined;
    },
    async rememberOwnComment(conversationId, commentId) {
      await store.put({ table: ECHOES, partition: storeKeyPart(conversationId), row: storeKeyPart(commentId) }, { at: new Date().toISOString() });
    },
    async isOwnComment(conversationId, commentId) {
      return (await store.get({ table: ECHOES, partition: storeKeyPart(conversationId), row: storeKeyPart(commentId) })) !== undefined;
    },
  };
}
