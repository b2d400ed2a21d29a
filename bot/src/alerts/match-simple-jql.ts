import type { IssueSnapshot } from './issue-event';
import type { SimpleClause } from './parse-simple-jql';

/** Evaluates parsed simple JQL against an issue as the event saw it; Jira's semantics for `!=` exclude EMPTY. */
export function matchSimpleJql(clauses: readonly SimpleClause[], issue: IssueSnapshot): boolean {
  return clauses.every((clause) => {
    const actual = valuesOf(clause.field, issue);
    const hit = clause.values.some((wanted) => (wanted === null ? actual.length === 0 : actual.includes(wanted)));
    if (!clause.negated) return hit;
    // In JQL, `status != X` and `NOT IN` never match an empty field unless EMPTY is named.
    if (actual.length === 0) return false;
    return !hit;
  });
}

function valuesOf(field: SimpleClause['field'], issue: IssueSnapshot): string[] {
  const lower = (values: Array<string | undefined>) => values.filter((v): v is string => Boolean(v)).map((v) => v.toLowerCase());
  switch (field) {
    case 'project':
      return lower([issue.projectKey]);
    case 'status':
      return lower([issue.status?.name]);
    case 'priority':
      return lower([issue.priority]);
    case 'issuetype':
      return lower([issue.issueType]);
    case 'labels':
      return lower(issue.labels);
    case 'assignee':
      // Jira Cloud JQL names people by account id.
      return lower([issue.assignee?.accountId]);
    default: {
      const never: never = field;
      throw new Error(`Unknown JQL field ${String(never)}`);
    }
  }
}
