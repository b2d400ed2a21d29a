import type { JiraClient } from '../../jira/create-jira-client';
import { findBoardEstimation } from '../../jira/operations/board-estimation';
import { siteKey } from '../../jira/site-url';
import type { SiteFieldsOf } from '../site-fields-cache';

/** Where a project's estimates live: a number field, or Jira's original time estimate (ORIGINAL_ESTIMATE). */
export interface EstimateField {
  id: string;
  name: string;
  /** The board whose setting names the field (absent: the site's story point field), for Agile's estimation route. */
  boardId?: number;
}

interface Entry {
  at: number;
  field: Promise<EstimateField | null>;
  /** The field once known; the last one known while it is asked again. */
  resolved?: EstimateField | null;
}

/** Jira's original time estimate, in seconds when read; written through `timetracking`, shown in hours. */
export const ORIGINAL_ESTIMATE = 'timeoriginalestimate';

export interface EstimateFieldOf {
  /** The field the project's board estimates with, else the site's story point field; null when neither exists. */
  (jira: JiraClient, projectKey: string): Promise<EstimateField | null>;
  /** Field ids already known for the site's projects, so a search can ask for them before it knows its rows' projects. */
  known(jira: JiraClient): string[];
  /** Asks the project's boards again, as when a write found the board estimating with another field. */
  refresh(jira: JiraClient, projectKey: string): Promise<EstimateField | null>;
}

/**
 * One estimate field per project, used to read, edit and accept estimates alike, so a value the
 * tab writes is the one it shows. Chosen as writeEstimate has since rounds existed: the first of
 * the project's boards that estimates with a field (a board's setting in Jira), else the site's
 * story point field for projects without a board or sites without Jira Software. Kept per site
 * and project for `ttlMs` (two Agile calls on a miss; a board's setting changes rarely); a failed
 * first lookup is forgotten at once. A write that finds the board changed asks again (refresh).
 */
export function estimateFieldCache(fieldsOf: SiteFieldsOf, ttlMs: number): EstimateFieldOf {
  const cache = new Map<string, Entry>();
  const lookup = async (jira: JiraClient, projectKey: string): Promise<EstimateField | null> => {
    const board = await findBoardEstimation(jira, projectKey);
    if (board) return { id: board.fieldId, name: board.displayName, boardId: board.boardId };
    return (await fieldsOf(jira)).estimate;
  };
  const cacheKey = (jira: JiraClient, projectKey: string) => `${siteKey(jira.siteUrl)} ${projectKey.toUpperCase()}`;
  const of = ((jira, projectKey) => {
    const key = cacheKey(jira, projectKey);
    const cached = cache.get(key);
    if (!cached || Date.now() - cached.at >= ttlMs) {
      // An expired field still answers while it is asked again, so a backlog's first page waits on
      // the boards only the first time its project is seen.
      const entry: Entry = { at: Date.now(), field: lookup(jira, projectKey), resolved: cached?.resolved };
      cache.set(key, entry);
      entry.field.then(
        (field) => (entry.resolved = field),
        () => {
          if (cache.get(key) !== entry) return;
          if (entry.resolved === undefined) cache.delete(key);
          else entry.at = 0;
        },
      );
      return entry.resolved === undefined ? entry.field : Promise.resolve(entry.resolved);
    }
    return cached.resolved === undefined ? cached.field : Promise.resolve(cached.resolved);
  }) as EstimateFieldOf;
  of.known = (jira) => {
    const prefix = `${siteKey(jira.siteUrl)} `;
    const ids = new Set<string>();
    for (const [key, entry] of cache) if (key.startsWith(prefix) && entry.resolved) ids.add(entry.resolved.id);
    return [...ids];
  };
  of.refresh = (jira, projectKey) => {
    cache.delete(cacheKey(jira, projectKey));
    return of(jira, projectKey);
  };
  return of;
}

/**
 * The fields to ask Jira for to read an estimate. A time estimate's seconds are both the
 * `timeoriginalestimate` field and `timetracking.originalEstimateSeconds`; the Jira simulator
 * answers only the second, so both are asked for and the first present is read.
 */
export function estimateFieldIds(id: string): string[] {
  return id === ORIGINAL_ESTIMATE ? [ORIGINAL_ESTIMATE, TIME_TRACKING] : [id];
}

export const TIME_TRACKING = 'timetracking';

/** The project part of an issue key (`PHX` of `PHX-11`). */
export function projectOfKey(key: string): string {
  return key.slice(0, key.lastIndexOf('-'));
}
