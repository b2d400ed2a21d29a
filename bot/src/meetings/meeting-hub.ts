import { LRUCache } from 'lru-cache';
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
  /**
   * Sends an event to the open panels of the backlog, the one that caused it included; an event
   * naming issues goes only to panels whose user was shown them (noteShown), with only those keys.
   * `to`: only these users' panels. `changed`: the changes made through a panel that this event
   * tells of (a rank: `ranked`), each with the issue's `updated` after it, remembered as issueChanged
   * remembers an edit's, so Jira's echo of them is dropped.
   */
  publish(backlogId: string, event: MeetingEvent, options?: { to?: readonly TabUser[]; changed?: PanelChanges }): void;
  /** Remembers which issues of which site `viewer` was shown in a backlog (their own Jira's answer), so events about them reach that viewer. */
  noteShown(backlogId: string, siteUrl: string, keys: readonly string[], viewer: TabUser): void;
  /** Whether `viewer` was shown `key` in the backlog. */
  hasShown(backlogId: string, key: string, viewer: TabUser): boolean;
  /**
   * An issue changed: `issue-changed` to the panels of every open backlog whose users were shown it
   * (`alsoTo`: that backlog too, whatever its site). `updated`: the issue's `updated` time after the
   * change (Jira's format or ISO). A change without `by` (from Jira: webhook or poll) is dropped when
   * it only repeats one made through a panel: one fanned out in the last ECHO_WINDOW_MS with `by`
   * and an `updated` at least as late, since every panel it would reach refetched the issue after that.
   */
  issueChanged(siteUrl: string, key: string, options?: { by?: string; alsoTo?: string; updated?: string }): void;
  /** Backlogs open on a site, with their panels' users (each once). */
  openBacklogs(siteUrl: string): Array<{ backlogId: string; users: TabUser[] }>;
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
 * What one instance tells the others so their panels hear changes made through it: each message is
 * applied there as if made locally (their own panels, their own record of who was shown what).
 */
export type HubMessage =
  | { kind: 'publish'; backlogId: string; event: MeetingEvent; to?: TabUser[]; changed?: PanelChanges }
  | { kind: 'shown'; backlogId: string; siteUrl: string; keys: string[]; viewer: TabUser }
  | { kind: 'issue-changed'; siteUrl: string; key: string; by?: string; alsoTo?: string; updated?: string };

/** Changes made through a panel on one site: per issue, its `updated` after the change (Jira's format or ISO). */
interface PanelChanges {
  siteUrl: string;
  issues: Array<{ key: string; updated: string }>;
}

/**
 * The port through which hubs of several instances reach each other (Redis pub/sub in cluster
 * mode). Messages from one instance arrive at the others in the order it sent them, so a
 * `shown` always precedes the events it lets through.
 */
export interface HubBus {
  /** To every other instance; never back to this one. */
  send(message: HubMessage): void;
  /** Registers the handler of messages from the other instances. */
  onMessage(handler: (message: HubMessage) => void): void;
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
/** As many as one backlog's panels; past it a viewer misses events about that issue until they reload. */
const MAX_VIEWERS_PER_KEY = MAX_STREAMS_PER_BACKLOG;
/**
 * How long a change made through a panel stands for Jira's echo of it (its webhook, or the poller
 * finding it); Jira delivers webhooks within seconds, the poller within its interval (2 minutes).
 */
const ECHO_WINDOW_MS = 10 * 60_000;
/** Issues whose last panel change is remembered; the oldest are forgotten first. */
const MAX_REMEMBERED_CHANGES = 10_000;

/** Jira's `2026-01-01T10:00:00.000+0000` or an ISO string, in ms; NaN when neither. */
const timeOf = (value: string | undefined): number => (value === undefined ? NaN : Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')));

/**
 * Fan-out per backlog id to this instance's panels. With a `bus` (cluster mode) every publish,
 * change and record of what a viewer was shown also goes to the other instances, so a panel
 * streaming from one instance hears an edit made through another, and a list read through one
 * instance lets events through on another (a round-robin front splits a panel's requests).
 * Stream caps stay per instance. Without a bus, one process is the whole service.
 */
export function meetingHub(options: { bus?: HubBus; now?: () => number } = {}): MeetingHub {
  const bus = options.bus;
  const now = options.now ?? Date.now;
  /** Per site and issue: the `updated` of its last change made through a panel, and when it was fanned out. */
  const panelChanges = new LRUCache<string, { updated: number; at: number }>({ max: MAX_REMEMBERED_CHANGES });
  const listeners = new Map<string, Set<HubListener>>();
  const panels = new Map<HubListener, OpenPanel>();
  // Per backlog: its site and, per issue key, the users whose own Jira showed it to them there. Only
  // listing a backlog (noteShown) makes it recent; reads peek.
  const shown = new LRUCache<string, { site: string; keys: Map<string, Set<string>> }>({ max: MAX_REMEMBERED_BACKLOGS });
  const userKey = (user: TabUser) => `${user.owner.tenantId}|${user.owner.userId}`;

  /**
   * What one panel may be told: events about issues only when its user was shown them (a key, an
   * editor's name about an issue they cannot see is itself a leak), keyless events always. A
   * panel without a known user hears only keyless events.
   */
  const viewFor = (backlogId: string, event: MeetingEvent, panel: OpenPanel | undefined): MeetingEvent | undefined => {
    if (event.event === 'ready' || event.event === 'backlog-changed') return event;
    const keys = shown.peek(backlogId)?.keys;
    const seen = (key: string) => panel !== undefined && keys?.get(key)?.has(userKey(panel.user)) === true;
    if (event.event === 'ranked') {
      const visible = event.data.keys.filter(seen);
      if (visible.length === 0) return undefined;
      return visible.length === event.data.keys.length ? event : { event: 'ranked', data: { ...event.data, keys: visible } };
    }
    return seen(event.data.key) ? event : undefined;
  };

  const deliver = (backlogId: string, event: MeetingEvent, options: { to?: readonly TabUser[] } = {}) => {
    const only = options.to && new Set(options.to.map(userKey));
    for (const listener of listeners.get(backlogId) ?? []) {
      const panel = panels.get(listener);
      if (only && (!panel || !only.has(userKey(panel.user)))) continue;
      const view = viewFor(backlogId, event, panel);
      if (!view) continue;
      try {
        listener.send(view);
      } catch {
        // A stream that cannot be written is closing; its own close handler unsubscribes it.
      }
    }
  };
  const streamsOf = new Map<string, number>();

  const noteShown = (backlogId: string, siteUrl: string, keys: readonly string[], viewer: TabUser) => {
    const site = siteKey(siteUrl);
    let entry = shown.get(backlogId);
    if (!entry || entry.site !== site) shown.set(backlogId, (entry = { site, keys: new Map() }));
    const who = userKey(viewer);
    for (const key of keys) {
      let viewers = entry.keys.get(key);
      if (!viewers) {
        if (entry.keys.size >= MAX_KEYS_PER_BACKLOG) continue;
        entry.keys.set(key, (viewers = new Set()));
      }
      if (viewers.size < MAX_VIEWERS_PER_KEY) viewers.add(who);
    }
  };

  const notePanelChange = (site: string, key: string, updated: number) => {
    const id = `${site} ${key}`;
    const known = panelChanges.peek(id);
    panelChanges.set(id, { updated: Math.max(updated, known?.updated ?? -Infinity), at: now() });
  };
  const notePanelChanges = (changed: PanelChanges | undefined) => {
    if (!changed) return;
    const site = siteKey(changed.siteUrl);
    for (const { key, updated } of changed.issues) if (!Number.isNaN(timeOf(updated))) notePanelChange(site, key, timeOf(updated));
  };

  /** Records a panel's change, or tells whether a change from Jira only repeats one (then false: dropped). */
  const firstNews = (site: string, key: string, options: { by?: string; updated?: string }): boolean => {
    const updated = timeOf(options.updated);
    if (Number.isNaN(updated)) return true;
    if (options.by) {
      notePanelChange(site, key, updated);
      return true;
    }
    const known = panelChanges.peek(`${site} ${key}`);
    return !(known && now() - known.at <= ECHO_WINDOW_MS && updated <= known.updated);
  };

  const issueChanged = (siteUrl: string, key: string, options: { by?: string; alsoTo?: string; updated?: string }): boolean => {
    const site = siteKey(siteUrl);
    if (!firstNews(site, key, options)) return false;
    const data = { key, ...(options.by ? { by: options.by } : {}) };
    for (const backlogId of listeners.keys()) {
      const entry = shown.peek(backlogId);
      if (backlogId === options.alsoTo || (entry?.site === site && entry.keys.has(key))) deliver(backlogId, { event: 'issue-changed', data });
    }
    return true;
  };

  bus?.onMessage((message) => {
    if (message.kind === 'publish') {
      notePanelChanges(message.changed);
      deliver(message.backlogId, message.event, message.to ? { to: message.to } : {});
    } else if (message.kind === 'shown') noteShown(message.backlogId, message.siteUrl, message.keys, message.viewer);
    else issueChanged(message.siteUrl, message.key, { by: message.by, alsoTo: message.alsoTo, updated: message.updated });
  });

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
        set.delete(listener);
        panels.delete(listener);
        if (panel) {
          const left = (streamsOf.get(userKey(panel.user)) ?? 1) - 1;
          if (left > 0) streamsOf.set(userKey(panel.user), left);
          else streamsOf.delete(userKey(panel.user));
        }
        if (set.size === 0 && listeners.get(backlogId) === set) listeners.delete(backlogId);
      };
    },
    publish(backlogId, event, options = {}) {
      notePanelChanges(options.changed);
      deliver(backlogId, event, options);
      bus?.send({ kind: 'publish', backlogId, event, ...(options.to ? { to: [...options.to] } : {}), ...(options.changed ? { changed: options.changed } : {}) });
    },
    noteShown(backlogId, siteUrl, keys, viewer) {
      noteShown(backlogId, siteUrl, keys, viewer);
      if (keys.length > 0) bus?.send({ kind: 'shown', backlogId, siteUrl, keys: [...keys], viewer });
    },
    hasShown(backlogId, key, viewer) {
      return shown.peek(backlogId)?.keys.get(key)?.has(userKey(viewer)) === true;
    },
    issueChanged(siteUrl, key, options = {}) {
      // An echo dropped here is one the other instances heard of too (the panel's change reached them).
      if (!issueChanged(siteUrl, key, options)) return;
      bus?.send({
        kind: 'issue-changed',
        siteUrl,
        key,
        ...(options.by ? { by: options.by } : {}),
        ...(options.alsoTo ? { alsoTo: options.alsoTo } : {}),
        ...(options.updated ? { updated: options.updated } : {}),
      });
    },
    openBacklogs(siteUrl) {
      const site = siteKey(siteUrl);
      const open: Array<{ backlogId: string; users: TabUser[] }> = [];
      for (const [backlogId, set] of listeners) {
        const users = new Map<string, TabUser>();
        for (const listener of set) {
          const panel = panels.get(listener);
          if (panel && siteKey(panel.siteUrl) === site) users.set(userKey(panel.user), panel.user);
        }
        if (users.size > 0) open.push({ backlogId, users: [...users.values()] });
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
