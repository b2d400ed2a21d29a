import type { Backlog } from '../api/types';

// `project = PHX`, `project = "PHX"`, `project in (PHX, KAN)`: the first key named. Not `!=` or `not in`.
const PROJECT_CLAUSE = /\bproject\s*(?:=|in\s*\()\s*["']?([A-Za-z][A-Za-z0-9_]*)["']?/i;

/**
 * The project a backlog is about, for New issue's default: the project picked for it, else the
 * first project its JQL names. Undefined when the query names none (a filter, `assignee = ...`).
 */
export function backlogProjectKey(backlog: Pick<Backlog, 'jql' | 'source'> | undefined): string | undefined {
  if (!backlog) return undefined;
  if ('projectKey' in backlog.source && backlog.source.projectKey) return backlog.source.projectKey.toUpperCase();
  return PROJECT_CLAUSE.exec(backlog.jql)?.[1]?.toUpperCase();
}
