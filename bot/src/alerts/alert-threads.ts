import type { Store } from '../store/store';
import type { IssueEvent } from './issue-event';
import { storeKeyPart } from './store-key-part';

/** The card posted for an issue in a conversation, so further changes update it instead of posting. */
export interface AlertThread {
  issueId: string;
  activityId: string;
  postedAt: number;
  /** Changes shown on the card so far, newest first (the card is re-rendered from them). */
  events: IssueEvent[];
}

const TABLE = 'alert-threads';
const KEPT_EVENTS = 6;

export interface AlertThreads {
  get(conversationId: string, issueId: string): Promise<AlertThread | undefined>;
  /** Records a freshly posted card, or adds an event to an updated one. */
  record(conversationId: string, thread: AlertThread): Promise<void>;
}

export function alertThreads(store: Store): AlertThreads {
  const key = (conversationId: string, issueId: string) => ({
    table: TABLE,
    partition: storeKeyPart(conversationId),
    row: storeKeyPart(issueId),
  });
  return {
    async get(conversationId, issueId) {
      return (await store.get<AlertThread>(key(conversationId, issueId)))?.value;
    },
    async record(conversationId, thread) {
      await store.put(key(conversationId, thread.issueId), { ...thread, events: thread.events.slice(0, KEPT_EVENTS) });
    },
  };
}
