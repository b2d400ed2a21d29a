import { randomBytes } from 'node:crypto';
import type { Store } from '../../store/store';
import { storeKeyPart } from '../../store/store-key-part';

export type MeetingChangeKind = 'estimated' | 'ranked' | 'created' | 'transitioned' | 'assigned';

/** One change made from a meeting's panels, as its recap lists it. */
export interface MeetingChange {
  kind: MeetingChangeKind;
  key: string;
  summary: string;
  url: string;
  /** The attendee's display name. */
  by: string;
  /** The value estimated, the status moved to, the new assignee. */
  detail?: string;
  at: string;
}

export interface MeetingChangeLog {
  record(conversationId: string, change: Omit<MeetingChange, 'at'>): Promise<void>;
  /**
   * The conversation's changes since its last end-of-meeting recap (at most a day back), oldest
   * first. `end`: this is that recap; the next one starts after it. Rows older than a day are dropped.
   */
  recap(conversationId: string, options: { end: boolean }): Promise<MeetingChange[]>;
}

const CHANGES = 'meetingChanges';
const MARKS = 'meetingRecapMarks';
/** A chat used for a recurring meeting: a recap never reaches into last week's. */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** Changes per conversation (the meeting chat the backlog belongs to) in the Store, so a restart loses none. */
export function meetingChangeLog(store: Store, now: () => Date = () => new Date()): MeetingChangeLog {
  const partition = (conversationId: string) => storeKeyPart(conversationId);
  return {
    async record(conversationId, change) {
      const at = now().toISOString();
      await store.put({ table: CHANGES, partition: partition(conversationId), row: `${at}-${randomBytes(6).toString('hex')}` }, { ...change, at });
    },
    async recap(conversationId, options) {
      const markKey = { table: MARKS, partition: partition(conversationId), row: 'last' };
      const mark = (await store.get<{ at: string }>(markKey))?.value.at;
      const time = now();
      const from = Math.max(time.getTime() - MAX_AGE_MS, mark ? Date.parse(mark) : 0);
      const items = await store.list<MeetingChange>(CHANGES, partition(conversationId));
      const changes = items.map((item) => item.value).filter((c) => Date.parse(c.at) > from);
      if (options.end) await store.put(markKey, { at: time.toISOString() });
      // Rows no recap can list any more go, so a chat without meetings does not keep them forever.
      for (const item of items) if (Date.parse(item.value.at) <= time.getTime() - MAX_AGE_MS) await store.delete(item.key);
      return changes.sort((a, b) => a.at.localeCompare(b.at));
    },
  };
}
