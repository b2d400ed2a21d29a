import type { MeetingEvent } from './backlog';
import type { ConnectionOwner } from '../connections/connection';
import type { TabUser } from './verify-tab-token';
import { siteBase, siteKey } from '../jira/site-url';
import { TabError } from './tab-error';

export interface HubListener {
  send(event: MeetingEvent): void;
  /** The hub is shutting down: end the stream. */
  close(): void;
}

/** Who has a backlog open, on which site: enough to ask Jira about that backlog as one of them. */
export interface OpenPanel {
  siteUrl: string;
  user: TabUser;
}

export interface MeetingHub {
  /**
   * Throws TabError tooManyStreams when `user` already has their share of open streams, or the
   * backlog has; call it before opening a stream, then subscribe.
   */
  admit(backlogId: string, user: TabUser): void;
  /** Registers an open panel of a backlog; the returned function unregisters it. */
  subscribe(backlogId: string, listener: HubListener, panel?: OpenPanel): () => void;
  /** Sends an event to every open panel of the backlog, the one that caused it included. */
  publish(backlogId: string, event: MeetingEvent): void;
  /** Remembers which issues of which site a backlog has listed, so outside changes find it. */
  noteShown(backlogId: string, siteUrl: string, keys: readonly string[]): void;
  /** An issue changed: `issue-changed` to every open backlog that showed it (and `alsoTo`, which just changed it). */
  issueChanged(siteUrl: string, key: string, options?: { by?: string; alsoTo?: string }): void;
  /** Backlogs open on a site with one of their panels' users, and whether the backlog already showed `key`. */
  openBacklogs(siteUrl: string, key?: string): Array<{ backlogId: string; user: TabUser; showed: boolean }>;
  /**
   * Sites with at least one open panel, and the users who have them open: the alert poller also
   * polls these, as one of those users, so changes made in Jira reach panels on sites without alerts.
   */
  openSites(): Array<{ siteUrl: string; owners: ConnectionOwner[] }>;
  /** Open panels, for tests and readiness. */
  listenerCount(backlogId?: string): number;
  /** Ends every open stream (service shutdown). */
  close(): void;
}

/**
 * Open streams one person may hold (every tab and device they have the meeting open on, and a
 * dead connection not noticed yet while its panel reconnects), and one backlog may have (a large
 * meeting: the live-update target is 200 panels). Past these a stream is refused with 429, so no
 * single user can hold the service's sockets and memory.
 */
export const MAX_STREAMS_PER_USER = 10;
export const MAX_STREAMS_PER_BACKLOG = 500;

/** Backlogs whose listed issues are remembered; the least recently listed are forgotten first. */
const MAX_REMEMBERED_BACKLOGS = 1000;
const MAX_KEYS_PER_BACKLOG = 10_000;

/**
 * In-process fan-out per backlog id. With several instances each one reaches its own panels; the
 * alert intake, which every instance runs, carries changes made through the others.
 */
export function meetingHub(): MeetingHub {
  const listeners = new Map<string, Set<HubListener>>();
  const panels = new Map<HubListener, OpenPanel>();
  const shown = new Map<string, { site: string; keys: Set<string> }>();

  const deliver = (backlogId: string, event: MeetingEvent) => {
    for (const listener of listeners.get(backlogId) ?? []) {
      try {
        listener.send(event);
      } catch {
        // A stream that cannot be written is closing; its own close handler unsubscribes it.
      }
    }
  };

  const userKey = (user: TabUser) => `${user.owner.tenantId}|${user.owner.userId}`;
  const streamsOf = new Map<string, number>();

  return {
    admit(backlogId, user) {
      if ((streamsOf.get(userKey(user)) ?? 0) >= MAX_STREAMS_PER_USER) {
        throw new TabError('tooManyStreams', 'You have this app open in too many places at once. Close some of its tabs or windows; this one reconnects by itself.', 30);
      }
      if ((listeners.get(backlogId)?.size ?? 0) >= MAX_STREAMS_PER_BACKLOG) {
        throw new TabError('tooManyStreams', 'Too many people have this backlog open for live updates. The list still works; reload it to see changes.', 30);
      }
    },
    subscribe(backlogId, listener, panel) {
      let set = listeners.get(backlogId);
      if (!set) listeners.set(backlogId, (set = new Set()));
      set.add(listener);
      if (panel) {
        panels.set(listener, panel);
        streamsOf.set(userKey(panel.user), (streamsOf.get(userKey(panel.user)) ?? 0) + 1);
      }
      let done = false;
      return () => {
        if (done) return;
        done = true;
        set!.delete(listener);
        panels.delete(listener);
        if (panel) {
          const left = (streamsOf.get(userKey(panel.user)) ?? 1) - 1;
          if (left > 0) streamsOf.set(userKey(panel.user), left);
          else streamsOf.delete(userKey(panel.user));
        }
        if (set!.size === 0 && listeners.get(backlogId) === set) listeners.delete(backlogId);
      };
    },
    publish: deliver,
    noteShown(backlogId, siteUrl, keys) {
      const site = siteKey(siteUrl);
      let entry = shown.get(backlogId);
      if (!entry || entry.site !== site) entry = { site, keys: new Set() };
      shown.delete(backlogId);
      shown.set(backlogId, entry);
      for (const key of keys) if (entry.keys.size < MAX_KEYS_PER_BACKLOG) entry.keys.add(key);
      if (shown.size > MAX_REMEMBERED_BACKLOGS) shown.delete(shown.keys().next().value!);
    },
    issueChanged(siteUrl, key, options = {}) {
      const site = siteKey(siteUrl);
      const data = { key, ...(options.by ? { by: options.by } : {}) };
      for (const backlogId of listeners.keys()) {
        const entry = shown.get(backlogId);
        if (backlogId === options.alsoTo || (entry?.site === site && entry.keys.has(key))) deliver(backlogId, { event: 'issue-changed', data });
      }
    },
    openBacklogs(siteUrl, key) {
      const site = siteKey(siteUrl);
      const open: Array<{ backlogId: string; user: TabUser; showed: boolean }> = [];
      for (const [backlogId, set] of listeners) {
        for (const listener of set) {
          const panel = panels.get(listener);
          if (!panel || siteKey(panel.siteUrl) !== site) continue;
          const entry = shown.get(backlogId);
          open.push({ backlogId, user: panel.user, showed: key !== undefined && entry?.site === site && entry.keys.has(key) });
          break;
        }
      }
      return open;
    },
    openSites() {
      const sites = new Map<string, { siteUrl: string; owners: Map<string, ConnectionOwner> }>();
      for (const panel of panels.values()) {
        const key = siteKey(panel.siteUrl);
        let site = sites.get(key);
        if (!site) sites.set(key, (site = { siteUrl: siteBase(panel.siteUrl), owners: new Map() }));
        site.owners.set(`${panel.user.owner.tenantId}|${panel.user.owner.userId}`, panel.user.owner);
      }
      return [...sites.values()].map((site) => ({ siteUrl: site.siteUrl, owners: [...site.owners.values()] }));
    },
    listenerCount(backlogId) {
      if (backlogId !== undefined) return listeners.get(backlogId)?.size ?? 0;
      let n = 0;
      for (const set of listeners.values()) n += set.size;
      return n;
    },
    close() {
      for (const set of [...listeners.values()]) for (const listener of [...set]) listener.close();
      listeners.clear();
      panels.clear();
      streamsOf.clear();
    },
  };
}
