import type { Backlog, BacklogInput } from '../api/types';

export type SourceKind = 'project' | 'board' | 'sprint' | 'filter' | 'jql';

/** The configuration page's choice as it is being made: every kind's selection is kept while switching. */
export interface SourceDraft {
  kind: SourceKind;
  projectKey: string;
  boardId: string;
  sprintId: string;
  filterId: string;
  jql: string;
}

export const EMPTY_DRAFT: SourceDraft = { kind: 'project', projectKey: '', boardId: '', sprintId: '', filterId: '', jql: '' };

/** What Save sends for the draft; undefined while the chosen kind has nothing chosen. */
export function toBacklogInput(name: string, draft: SourceDraft): BacklogInput | undefined {
  const trimmed = name.trim();
  if (!trimmed) return undefined;
  switch (draft.kind) {
    case 'jql':
      return draft.jql.trim() ? { name: trimmed, jql: draft.jql.trim() } : undefined;
    case 'project':
      return draft.projectKey ? { name: trimmed, source: { kind: 'project', projectKey: draft.projectKey } } : undefined;
    case 'board':
      return draft.boardId ? { name: trimmed, source: { kind: 'board', boardId: Number(draft.boardId) } } : undefined;
    case 'sprint':
      return draft.sprintId ? { name: trimmed, source: { kind: 'sprint', sprintId: Number(draft.sprintId) } } : undefined;
    case 'filter':
      return draft.filterId ? { name: trimmed, source: { kind: 'filter', filterId: draft.filterId } } : undefined;
  }
}

/** A saved backlog as a draft, for reconfiguring its tab. */
export function draftOfBacklog(backlog: Backlog): SourceDraft {
  const source = backlog.source;
  const draft = { ...EMPTY_DRAFT, kind: source.kind, jql: backlog.jql };
  switch (source.kind) {
    case 'project':
      return { ...draft, projectKey: source.projectKey };
    case 'board':
      return { ...draft, boardId: String(source.boardId) };
    case 'sprint':
      return { ...draft, boardId: String(source.boardId), sprintId: String(source.sprintId) };
    case 'filter':
      return { ...draft, filterId: source.filterId };
    case 'jql':
      return draft;
  }
}
