import type { BacklogIssue } from '../api/types';

/** The list as the panel shows it: rows by key, the order, and which rows flash as changed. */
export interface BacklogList {
  byKey: ReadonlyMap<string, BacklogIssue>;
  order: readonly string[];
  /** Key -> a counter bumped on every highlighted change, so the same row can flash again. */
  flashes: ReadonlyMap<string, number>;
}

export const emptyList: BacklogList = { byKey: new Map(), order: [], flashes: new Map() };

export type ListAction =
  | { type: 'replace'; issues: BacklogIssue[] }
  | { type: 'append'; issues: BacklogIssue[] }
  | { type: 'upsert'; issue: BacklogIssue; flash: boolean; position?: 'end' }
  /** An optimistic edit or its undo: taken as is, whatever its `updated`. */
  | { type: 'set'; issue: BacklogIssue }
  /** Takes the issue and moves it to where its rank puts it (the list is in rank order, see isRankOrdered). */
  | { type: 'place'; issue: BacklogIssue; flash: boolean }
  | { type: 'remove'; key: string }
  | { type: 'move'; key: string; toIndex: number }
  | { type: 'unflash'; key: string; flash: number };

/** A newer copy of an issue wins; an older one (a refetch racing an edit) is dropped. */
function newer(current: BacklogIssue | undefined, next: BacklogIssue): boolean {
  return !current || Date.parse(next.updated) >= Date.parse(current.updated) || Number.isNaN(Date.parse(current.updated));
}

export function listReducer(state: BacklogList, action: ListAction): BacklogList {
  switch (action.type) {
    case 'replace': {
      const byKey = new Map(action.issues.map((issue) => [issue.key, issue]));
      return { byKey, order: action.issues.map((issue) => issue.key), flashes: state.flashes };
    }
    case 'append': {
      const byKey = new Map(state.byKey);
      const order = [...state.order];
      for (const issue of action.issues) {
        if (!byKey.has(issue.key)) order.push(issue.key);
        byKey.set(issue.key, issue);
      }
      return { ...state, byKey, order };
    }
    case 'upsert': {
      const present = state.byKey.has(action.issue.key);
      if (!present && action.position !== 'end') return state;
      if (!newer(state.byKey.get(action.issue.key), action.issue)) return state;
      const byKey = new Map(state.byKey).set(action.issue.key, action.issue);
      const order = present ? state.order : [...state.order, action.issue.key];
      const flashes = action.flash ? new Map(state.flashes).set(action.issue.key, (state.flashes.get(action.issue.key) ?? 0) + 1) : state.flashes;
      return { byKey, order, flashes };
    }
    case 'set': {
      if (!state.byKey.has(action.issue.key)) return state;
      return { ...state, byKey: new Map(state.byKey).set(action.issue.key, action.issue) };
    }
    case 'place': {
      const { issue } = action;
      if (!issue.rank || !newer(state.byKey.get(issue.key), issue)) return state;
      const byKey = new Map(state.byKey).set(issue.key, issue);
      const others = state.order.filter((key) => key !== issue.key);
      let index = others.findIndex((key) => (byKey.get(key)!.rank ?? '') > issue.rank!);
      if (index < 0) index = others.length;
      others.splice(index, 0, issue.key);
      const flashes = action.flash ? new Map(state.flashes).set(issue.key, (state.flashes.get(issue.key) ?? 0) + 1) : state.flashes;
      return { byKey, order: others, flashes };
    }
    case 'remove': {
      if (!state.byKey.has(action.key)) return state;
      const byKey = new Map(state.byKey);
      byKey.delete(action.key);
      return { ...state, byKey, order: state.order.filter((key) => key !== action.key) };
    }
    case 'move': {
      const from = state.order.indexOf(action.key);
      if (from < 0) return state;
      const order = state.order.filter((key) => key !== action.key);
      order.splice(Math.max(0, Math.min(action.toIndex, order.length)), 0, action.key);
      return { ...state, order };
    }
    case 'unflash': {
      if (state.flashes.get(action.key) !== action.flash) return state;
      const flashes = new Map(state.flashes);
      flashes.delete(action.key);
      return { ...state, flashes };
    }
  }
}

/**
 * Whether the list is in Jira rank order (every issue ranked, ranks ascending): then a moved or new
 * issue can be put in place from its own rank, without reloading the list. A backlog ordered by
 * anything else fails this, and is reloaded instead.
 */
export function isRankOrdered(state: BacklogList): boolean {
  let previous = '';
  for (const key of state.order) {
    const rank = state.byKey.get(key)?.rank;
    if (!rank || rank < previous) return false;
    previous = rank;
  }
  return true;
}
