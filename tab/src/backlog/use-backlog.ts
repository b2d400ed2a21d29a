import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { TabApi } from '../api/create-tab-api';
import { subscribeBacklogEvents, type StreamState } from '../api/subscribe-backlog-events';
import { TabApiError } from '../api/tab-api-error';
import type { Backlog, BacklogEvent, BacklogIssue, BacklogOptions, IssueEdit, NewIssue, Transition } from '../api/types';
import { emptyList, isRankOrdered, listReducer } from './backlog-state';
import { announceChange, describeChange } from './describe-change';
import { fetchPageChain, PAGE_SIZE, type PageChain, type PageLink } from './prefetch-backlog';

export type LoadState = 'loading' | 'more' | 'done';

export interface Notice {
  id: number;
  intent: 'error' | 'success' | 'info';
  text: string;
}

const FLASH_MS = 2_500;
/** Own edits come back as events too; they should not flash as someone else's change. */
const OWN_CHANGE_QUIET_MS = 4_000;
/**
 * A change that comes without a name (Jira's webhook) waits this long before it is announced: the
 * same change made in another panel comes with its maker's name too, often a moment after the echo.
 */
const NAME_WAIT_MS = 1_500;
/** Several `ranked` events in a burst (a drag of many) reload the order once. */
const RELOAD_DEBOUNCE_MS = 250;
/** A `ranked` event for more issues than this reloads the list rather than fetching each. */
const MAX_KEYS_TO_PLACE = 10;

/** Whether the user's own edit of `key` is recent enough that its events are the user's own. */
const isOwn = (ownChanges: ReadonlyMap<string, number>, key: string) => (ownChanges.get(key) ?? 0) > Date.now();

export type RankMove = 'up' | 'down' | 'top' | 'bottom';

/**
 * Everything the backlog panel knows and does: loads the backlog, its options and every page of
 * issues (rendering the first page at once), applies live events, and runs edits optimistically
 * with an undo when the bot refuses.
 */
export function useBacklog(api: TabApi, backlogId: string, prefetch?: PageChain) {
  const [list, dispatch] = useReducer(listReducer, emptyList);
  const [backlog, setBacklog] = useState<Backlog>();
  const [options, setOptions] = useState<BacklogOptions>();
  const [load, setLoad] = useState<LoadState>('loading');
  const [fatal, setFatal] = useState<TabApiError>();
  const [stream, setStream] = useState<StreamState>('connecting');
  const [notices, setNotices] = useState<Notice[]>([]);
  /** The latest edit by someone else, in words, for the polite live region. */
  const [othersChange, setOthersChange] = useState('');
  /** Key -> the `updated` of the copy last announced: the webhook's echo of an edit is not announced twice. */
  const announced = useRef(new Map<string, string>());
  /**
   * Key -> who last changed it through a panel, and until when that holds: Jira's webhook echoes the
   * change without a name, and the echo's refetch may come back first.
   */
  const changedBy = useRef(new Map<string, { by: string; until: number }>());
  const nameOf = useCallback((key: string, by?: string) => {
    if (by) changedBy.current.set(key, { by, until: Date.now() + OWN_CHANGE_QUIET_MS });
    const recent = changedBy.current.get(key);
    return recent && recent.until > Date.now() ? recent.by : undefined;
  }, []);
  /** Announcements of nameless changes, held briefly for the name (see NAME_WAIT_MS). */
  const held = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const generation = useRef(0);
  const ownChanges = useRef(new Map<string, number>());
  /** Used once, by the first load; a retry or reload asks again. */
  const prefetched = useRef(prefetch);
  const listRef = useRef(list);
  listRef.current = list;

  const notify = useCallback((intent: Notice['intent'], text: string) => {
    const id = Date.now() + Math.random();
    setNotices((all) => [...all.slice(-2), { id, intent, text }]);
    if (intent !== 'error') setTimeout(() => setNotices((all) => all.filter((n) => n.id !== id)), 5_000);
  }, []);
  const dismiss = useCallback((id: number) => setNotices((all) => all.filter((n) => n.id !== id)), []);

  const flash = useCallback((issue: BacklogIssue, options: { position?: 'end' } = {}) => {
    const own = (ownChanges.current.get(issue.key) ?? 0) > Date.now();
    // A new issue goes where its rank puts it when the list is in rank order; else at the end.
    if (options.position && issue.rank && listRef.current.order.length > 0 && isRankOrdered(listRef.current)) dispatch({ type: 'place', issue, flash: !own });
    else dispatch({ type: 'upsert', issue, flash: !own, ...options });
  }, []);

  useEffect(() => {
    const timers: Array<ReturnType<typeof setTimeout>> = [];
    for (const [key, count] of list.flashes) timers.push(setTimeout(() => dispatch({ type: 'unflash', key, flash: count }), FLASH_MS));
    return () => timers.forEach(clearTimeout);
  }, [list.flashes]);

  /** Loads every page; the first time rows appear page by page, a reload swaps the list once. */
  const chain = useRef<PageChain>(undefined);
  const loadIssues = useCallback(
    async (mode: 'initial' | 'reload', pages: PageChain = fetchPageChain(api, backlogId)) => {
      const mine = ++generation.current;
      chain.current?.cancel();
      chain.current = pages;
      const all: BacklogIssue[] = [];
      let link: PageLink | undefined = pages.first;
      while (link) {
        const page = await link.page;
        if (mine !== generation.current) return;
        if (mode === 'initial') {
          performance.mark(`tab:page-${all.length / PAGE_SIZE + 1}`);
          dispatch(all.length === 0 ? { type: 'replace', issues: page.issues } : { type: 'append', issues: page.issues });
          setLoad(page.nextPageToken ? 'more' : 'done');
        }
        all.push(...page.issues);
        link = await link.next;
      }
      if (mode === 'reload') dispatch({ type: 'replace', issues: all });
      setLoad('done');
    },
    [api, backlogId],
  );

  const loadAll = useCallback(
    async (mode: 'initial' | 'reload') => {
      try {
        // The backlog comes with the first page, in the same request.
        const pages = (mode === 'initial' ? prefetched.current : undefined) ?? fetchPageChain(api, backlogId);
        const [loaded] = await Promise.all([pages.backlog, loadIssues(mode, pages)]);
        // After the list: only editing needs the options, and they cost the bot several Jira calls that
        // would compete with the pages. A failure here only leaves editing without choices.
        api.getOptions(backlogId).then(setOptions, () => undefined);
        prefetched.current = undefined;
        setBacklog(loaded);
        setFatal(undefined);
      } catch (error) {
        if (!(error instanceof TabApiError)) throw error;
        prefetched.current = undefined;
        if (mode === 'initial' || listRef.current.order.length === 0) setFatal(error);
        else notify('error', error.message);
      }
    },
    [api, backlogId, loadIssues, notify],
  );

  const reloadTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const reloadSoon = useCallback(
    (what: 'order' | 'all') => {
      clearTimeout(reloadTimer.current);
      reloadTimer.current = setTimeout(() => {
        if (what === 'all') void loadAll('reload');
        else loadIssues('reload').catch((error: unknown) => error instanceof TabApiError && notify('error', error.message));
      }, RELOAD_DEBOUNCE_MS);
    },
    [loadAll, loadIssues, notify],
  );

  const refetch = useCallback(
    async (key: string, created: boolean, by: string | undefined) => {
      try {
        const issue = await api.getIssue(backlogId, key);
        const before = listRef.current.byKey.get(key);
        if (!isOwn(ownChanges.current, key) && announced.current.get(key) !== issue.updated) {
          const what = before && describeChange(before, issue);
          if (what) {
            announced.current.set(key, issue.updated);
            const say = () => {
              held.current.delete(key);
              setOthersChange(announceChange(nameOf(key), key, what));
            };
            clearTimeout(held.current.get(key));
            if (by) say();
            else held.current.set(key, setTimeout(say, NAME_WAIT_MS));
          } else if (!before && created && by) {
            announced.current.set(key, issue.updated);
            setOthersChange(`${by} created ${key}.`);
          }
        }
        flash(issue, created ? { position: 'end' } : {});
      } catch (error) {
        // 404: it no longer matches the backlog's query (or this user may not see it).
        if (error instanceof TabApiError && error.code === 'notFound') dispatch({ type: 'remove', key });
      }
    },
    [api, backlogId, flash, nameOf],
  );

  useEffect(() => {
    void loadAll('initial');
    let connectedOnce = false;
    const subscription = subscribeBacklogEvents(api, backlogId, {
      onState: (state, error) => {
        setStream(state);
        if (error) notify('error', `Live updates stopped: ${error.message}`);
      },
      onEvent: (event: BacklogEvent) => {
        switch (event.type) {
          case 'ready':
            // Events may have been missed while the stream was down.
            if (connectedOnce) reloadSoon('all');
            connectedOnce = true;
            return;
          case 'issue-changed':
            if (listRef.current.byKey.has(event.key)) void refetch(event.key, false, nameOf(event.key, event.by));
            return;
          case 'issue-created':
            if (!listRef.current.byKey.has(event.key)) void refetch(event.key, true, nameOf(event.key, event.by));
            return;
          case 'ranked': {
            // In rank order, each moved issue's new rank says where it goes: a fetch per moved
            // issue instead of every page again, for every open panel.
            const shown = event.keys.filter((key) => listRef.current.byKey.has(key));
            if (shown.length === 0) return;
            const moved = shown.filter((key) => !isOwn(ownChanges.current, key));
            if (event.by && moved.length) setOthersChange(`${event.by} moved ${moved.length === 1 ? moved[0] : `${moved.length} issues`}.`);
            if (shown.length > MAX_KEYS_TO_PLACE || !isRankOrdered(listRef.current)) {
              reloadSoon('order');
              return;
            }
            for (const key of shown) {
              api.getIssue(backlogId, key).then(
                (issue) => dispatch({ type: 'place', issue, flash: (ownChanges.current.get(key) ?? 0) <= Date.now() }),
                () => reloadSoon('order'),
              );
            }
            return;
          }
          case 'backlog-changed':
            reloadSoon('all');
        }
      },
    });
    return () => {
      subscription.close();
      chain.current?.cancel();
      generation.current++;
      clearTimeout(reloadTimer.current);
      for (const timer of held.current.values()) clearTimeout(timer);
      held.current.clear();
    };
  }, [api, backlogId, loadAll, notify, refetch, reloadSoon, nameOf]);

  const markOwn = (key: string) => ownChanges.current.set(key, Date.now() + OWN_CHANGE_QUIET_MS);

  /** Shows `optimistic` at once, then the bot's answer; puts the row back if it refuses. */
  const mutate = useCallback(
    async (key: string, optimistic: Partial<BacklogIssue>, call: () => Promise<BacklogIssue>) => {
      const before = listRef.current.byKey.get(key);
      if (!before) return;
      markOwn(key);
      dispatch({ type: 'set', issue: { ...before, ...optimistic } });
      try {
        dispatch({ type: 'set', issue: await call() });
        markOwn(key);
      } catch (error) {
        dispatch({ type: 'set', issue: before });
        notify('error', `${key}: ${error instanceof Error ? error.message : String(error)}`);
        if (error instanceof TabApiError && error.code === 'notFound') dispatch({ type: 'remove', key });
      }
    },
    [notify],
  );

  const actions = useMemo(
    () => ({
      setPriority(key: string, priorityId: string) {
        const priority = options?.priorities.find((p) => p.id === priorityId) ?? null;
        return mutate(key, { priority }, () => api.editIssue(backlogId, key, { priorityId } satisfies IssueEdit));
      },
      setEstimate(key: string, estimate: number | null) {
        return mutate(key, { estimate }, () => api.editIssue(backlogId, key, { estimate }));
      },
      setAssignee(key: string, assignee: BacklogIssue['assignee']) {
        return mutate(key, { assignee }, () => api.editIssue(backlogId, key, { assigneeAccountId: assignee?.accountId ?? null }));
      },
      transition(key: string, transition: Transition) {
        return mutate(key, { status: { ...transition.to } }, () => api.transitionIssue(backlogId, key, transition.id));
      },
      async rank(key: string, move: RankMove) {
        const order = listRef.current.order;
        const index = order.indexOf(key);
        if (index < 0) return;
        const target =
          move === 'up'
            ? { before: order[index - 1], toIndex: index - 1 }
            : move === 'down'
              ? { after: order[index + 1], toIndex: index + 1 }
              : move === 'top'
                ? { before: order[0], toIndex: 0 }
                : { after: order[order.length - 1], toIndex: order.length - 1 };
        const anchor = 'before' in target ? target.before : target.after;
        if (!anchor || anchor === key) return;
        markOwn(key);
        dispatch({ type: 'move', key, toIndex: target.toIndex });
        try {
          const moved = await api.rank(backlogId, 'before' in target ? { keys: [key], before: anchor } : { keys: [key], after: anchor });
          for (const issue of moved) dispatch({ type: 'set', issue });
        } catch (error) {
          dispatch({ type: 'move', key, toIndex: index });
          notify('error', `${key}: ${error instanceof Error ? error.message : String(error)}`);
        }
      },
      async create(input: NewIssue): Promise<BacklogIssue | undefined> {
        try {
          const created = await api.createIssue(backlogId, input);
          markOwn(created.key);
          try {
            dispatch({ type: 'upsert', issue: await api.getIssue(backlogId, created.key), flash: true, position: 'end' });
            notify('success', `Created ${created.key}.`);
          } catch (error) {
            if (!(error instanceof TabApiError && error.code === 'notFound')) throw error;
            notify('info', `Created ${created.key}. It does not match this backlog's query, so it is not listed here.`);
          }
          return created;
        } catch (error) {
          if (error instanceof TabApiError) notify('error', `Could not create the issue: ${error.message}`);
          throw error;
        }
      },
      findAssignable: (issueKey: string, query: string, signal?: AbortSignal) => api.findAssignable(backlogId, issueKey, query, signal),
      getTransitions: (issueKey: string) => api.getTransitions(backlogId, issueKey),
      retry: () => {
        setFatal(undefined);
        setLoad('loading');
        void loadAll('initial');
      },
    }),
    [api, backlogId, mutate, notify, options, loadAll],
  );

  return { list, backlog, options, load, fatal, stream, notices, dismiss, othersChange, actions };
}

export type BacklogActions = ReturnType<typeof useBacklog>['actions'];
