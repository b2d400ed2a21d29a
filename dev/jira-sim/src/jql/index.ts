/**
 * The simulator's JQL engine: parse, validate against the site, match issues, sort them.
 *
 *   const query = parseJql(jql);               // JqlError on bad syntax or an unknown field
 *   validateJql(query, catalog);               // JqlError on unknown values, bad operators
 *   const hits = issues.filter((i) => matchesJql(query, i, ctx)).sort(compareByOrderBy(query.orderBy, ctx));
 *
 * JqlError carries Jira's { errorMessages, errors } for a 400 answer. Dates are UTC; an empty
 * ORDER BY sorts by created DESC, then key DESC (DEFAULT_JQL_ORDER_BY).
 */
export { compareByOrderBy, DEFAULT_JQL_ORDER_BY } from './compare-by-order-by';
export type { JqlCatalog } from './jql-catalog';
export { JqlError } from './jql-error';
export { JqlUnsupportedError } from './jql-unsupported-error';
export type { JqlContext, JqlIssue, JqlUser } from './jql-issue';
export type { JqlClause, JqlQuery } from './jql-query';
export { matchesJql } from './matches-jql';
export { parseJql } from './parse-jql';
export { toJqlStructure } from './to-jql-structure';
export { validateJql } from './validate-jql';
export { validateWebhookJql } from './validate-webhook-jql';
