/**
 * Jira accepts only a subset of JQL in a dynamic webhook's `jqlFilter` (see the spec's WebhookDetails):
 * fields issueKey, project, issuetype, status, assignee, reporter, issue.property and cf[id];
 * operators =, !=, IN and NOT IN. Returns one error per offending clause, in Jira's wording
 * ("The clause watchCount is unsupported"), or none.
 */
export function unsupportedJqlClauses(jql: string): string[] {
  const withoutStrings = jql.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const clause = /([A-Za-z_][\w.]*(?:\[[^\]]*\])?(?:\.[\w.]+)?)\s*(!=|!~|>=|<=|=|~|>|<|\bnot\s+in\b|\bin\b|\bis\s+not\b|\bis\b|\bwas\b|\bchanged\b)/gi;
  const errors: string[] = [];
  for (const match of withoutStrings.matchAll(clause)) {
    const field = match[1];
    const operator = match[2].replace(/\s+/g, ' ').toUpperCase();
    if (!SUPPORTED_FIELD.test(field)) errors.push(`The clause ${field} is unsupported`);
    else if (!SUPPORTED_OPERATORS.has(operator)) errors.push(`The operator ${operator} is unsupported`);
  }
  if (errors.length === 0 && !/\S/.test(withoutStrings)) errors.push('The JQL filter must not be empty');
  return errors;
}

const SUPPORTED_FIELD = /^(issuekey|key|project|issuetype|type|status|assignee|reporter|issue\.property(\[[^\]]*\])?(\.[\w.]+)?|cf\[\d+\])$/i;
const SUPPORTED_OPERATORS = new Set(['=', '!=', 'IN', 'NOT IN']);
