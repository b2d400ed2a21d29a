import type { JqlContext, JqlIssue, JqlSprint } from './jql-issue';
import { jqlPriorityRank } from './jql-priority-rank';
import type { JqlFieldId, JqlOrderBy } from './jql-query';
import { parseIssueKey } from './parse-issue-key';
import { resolutionOf } from './resolution-of';

/** What search/jql sorts by when the query has no ORDER BY: newest first, then key descending. */
export const DEFAULT_JQL_ORDER_BY: readonly JqlOrderBy[] = [
  { field: 'created', direction: 'DESC' },
  { field: 'key', direction: 'DESC' },
];

type SortValue = string | number | null;

const CATEGORY_ORDER: Record<JqlIssue['statusCategoryKey'], number> = { new: 0, indeterminate: 1, done: 2 };

/**
 * A comparator for Array.prototype.sort. An empty ORDER BY means DEFAULT_JQL_ORDER_BY. Empty
 * values sort as the greatest (last ascending, first descending), as Jira does. Issues still
 * tied after the given fields fall back to key descending, so a page boundary never depends
 * on the input order.
 */
export function compareByOrderBy(orderBy: readonly JqlOrderBy[], ctx: JqlContext): (a: JqlIssue, b: JqlIssue) => number {
  const fields = orderBy.length === 0 ? DEFAULT_JQL_ORDER_BY : orderBy;
  const withTieBreak = fields.some((f) => f.field === 'key') ? fields : [...fields, { field: 'key', direction: 'DESC' } as const];
  return (a, b) => {
    for (const entry of withTieBreak) {
      const { field, direction } = entry;
      const order = field === 'custom' ? compareValues(customSortValue(entry, a), customSortValue(entry, b)) : compareValues(sortValue(field, a, ctx), sortValue(field, b, ctx));
      if (order !== 0) return direction === 'DESC' ? -order : order;
    }
    return 0;
  };
}

function compareValues(a: SortValue | SortValue[], b: SortValue | SortValue[]): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const order = compareValues(a[i] ?? null, b[i] ?? null);
      if (order !== 0) return order;
    }
    return 0;
  }
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function sortValue(field: JqlFieldId, issue: JqlIssue, ctx: JqlContext): SortValue | SortValue[] {
  switch (field) {
    case 'project':
      return issue.projectKey.toLowerCase();
    case 'key': {
      const parsed = parseIssueKey(issue.key);
      return parsed ? [parsed.projectKey, parsed.number] : [issue.key.toUpperCase(), null];
    }
    case 'status':
      return issue.statusName.toLowerCase();
    case 'statusCategory':
      return CATEGORY_ORDER[issue.statusCategoryKey];
    case 'priority':
      return issue.priorityName === null ? null : (jqlPriorityRank(issue.priorityName, ctx.priorityOrder) ?? null);
    case 'assignee':
    case 'reporter':
      return issue[field]?.displayName.toLowerCase() ?? null;
    case 'issuetype':
      return issue.issueTypeName.toLowerCase();
    case 'summary':
      return issue.summary.toLowerCase();
    case 'created':
    case 'updated':
    case 'resolved':
      return issue[field]?.getTime() ?? null;
    case 'duedate':
      return issue.dueDate?.getTime() ?? null;
    case 'resolution':
      return resolutionOf(issue)?.toLowerCase() ?? null;
    case 'rank':
      return issue.rank;
    case 'storyPoints':
      return issue.storyPoints;
    case 'sprint':
      return latestSprintId(issue);
    default:
      return null;
  }
}

/** Dates and numbers by value; options, labels and users by their (first) text. */
function customSortValue(entry: JqlOrderBy, issue: JqlIssue): SortValue {
  const value = entry.custom ? issue.custom?.[entry.custom.id] : undefined;
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return value.length ? value.join(' ').toLowerCase() : null;
  return value.displayName.toLowerCase();
}

function latestSprintId(issue: JqlIssue): number | null {
  const sprints: JqlSprint[] = !issue.sprint ? [] : Array.isArray(issue.sprint) ? issue.sprint : [issue.sprint];
  return sprints.length === 0 ? null : Math.max(...sprints.map((s) => s.id));
}
