import { JqlError } from './jql-error';
import type { JqlClause, JqlFieldId, JqlOperator, JqlQuery } from './jql-query';

// From the jqlFilter description of WebhookDetails in Jira's platform OpenAPI spec.
// issue.property and the epic-label cf[id] are supported by Jira but not by this simulator.
const FIELDS: ReadonlySet<JqlFieldId> = new Set(['key', 'project', 'issuetype', 'status', 'assignee', 'reporter']);
const OPERATORS: ReadonlySet<JqlOperator> = new Set(['=', '!=', 'in', 'not in']);

/**
 * Checks a dynamic webhook's jqlFilter against the subset Jira accepts there: fields issueKey,
 * project, issuetype, status, assignee, reporter; operators =, !=, IN, NOT IN. Throws a
 * JqlError whose messages go into the registration result's `errors`, as in Jira's example
 * ("The clause watchCount is unsupported"). ORDER BY is ignored: it cannot change which issues match.
 */
export function validateWebhookJql(query: JqlQuery): void {
  const problems: string[] = [];
  const visit = (clause: JqlClause): void => {
    if (clause.kind === 'and' || clause.kind === 'or') clause.clauses.forEach(visit);
    else if (clause.kind === 'not') visit(clause.clause);
    else if (!FIELDS.has(clause.field)) problems.push(`The clause ${clause.fieldName} is unsupported`);
    else if (!OPERATORS.has(clause.operator)) problems.push(`The operator ${clause.operator.toUpperCase()} is unsupported`);
  };
  if (query.where) visit(query.where);
  if (problems.length > 0) throw new JqlError([...new Set(problems)]);
}
