import { changeStrings } from '../fields/field-codec';
import type { ChangeItem, ChangelogEntry, Issue } from '../site/site-model';
import type { SiteState } from '../site/site-state';

/** The changelog item for one field going from `before` to `after`, named as Jira names it. */
export function changeItem(state: SiteState, fieldId: string, before: unknown, after: unknown): ChangeItem {
  const def = state.field(fieldId)!;
  const from = changeStrings(state, def, before);
  const to = changeStrings(state, def, after);
  return {
    field: fieldId === 'parent' ? 'IssueParentAssociation' : def.custom ? def.name : fieldId,
    fieldtype: def.custom ? 'custom' : 'jira',
    fieldId,
    from: from.raw,
    fromString: from.text,
    to: to.raw,
    toString: to.text,
  };
}

/**
 * Marks an issue changed: a new revision, and a new `updated` unless the change is one Jira does
 * not date (watchers).
 */
export function touchIssue(state: SiteState, issue: Issue, dated = true): void {
  issue.revision = (issue.revision ?? 0) + 1;
  if (dated) issue.updated = state.now();
}

/** Appends a history entry and bumps `updated`; every API change goes through here. */
export function recordChange(state: SiteState, issue: Issue, actorAccountId: string, items: ChangeItem[]): ChangelogEntry {
  const now = state.now();
  const entry: ChangelogEntry = { id: String(++state.site.counters.changelog), authorAccountId: actorAccountId, created: now, items };
  issue.changelog.push(entry);
  touchIssue(state, issue);
  return entry;
}

export function sameValue(a: unknown, b: unknown): boolean {
  const empty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);
  if (empty(a) && empty(b)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}
