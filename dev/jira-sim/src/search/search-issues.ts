import { compareByOrderBy, DEFAULT_JQL_ORDER_BY, JqlError, JqlUnsupportedError, matchesJql, parseJql, validateJql, type JqlQuery } from '../jql';
import { JiraError } from '../http/jira-error';
import type { JqlIssue } from '../jql';
import type { Issue } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import { expandSavedFilters } from './expand-saved-filters';
import { jqlCatalog, jqlContext, jqlCustomFields, toJqlIssue } from './to-jql-issue';

/**
 * Parses and validates JQL against the site; invalid JQL is Jira's 400 with the evaluator's messages.
 * Valid JQL the simulator cannot evaluate is 501, never a false "invalid JQL" (`allowUnsupported`
 * returns it parsed instead, for checks that only ask whether JQL is valid).
 */
export function parseSiteJql(state: SiteState, jql: string, allowUnsupported = false): JqlQuery {
  let query: JqlQuery | undefined;
  try {
    const expanded = expandSavedFilters(jql, (ref) => state.site.filters.find((f) => String(f.id) === ref || f.name.toLowerCase() === ref.toLowerCase())?.jql);
    query = parseJql(expanded, { customFields: jqlCustomFields(state) });
    validateJql(query, jqlCatalog(state));
    return query;
  } catch (err) {
    if (err instanceof JqlError) throw new JiraError(400, err.errorMessages, err.errors);
    if (err instanceof JqlUnsupportedError) {
      if (allowUnsupported && query) return query;
      throw new JiraError(501, err.errorMessages);
    }
    throw err;
  }
}

/**
 * Every issue the caller may browse that matches, in the query's order (Jira's default when none).
 * `indexView` gives the view search matches for an issue (the lagging index; null = not indexed yet).
 */
export function searchIssues(state: SiteState, accountId: string, jql: string, indexView: (issue: Issue) => JqlIssue | null = (issue) => toJqlIssue(state, issue)): Issue[] {
  const query = parseSiteJql(state, jql);
  const ctx = jqlContext(state, accountId);
  const browsable = new Set(state.browsableProjects(accountId).map((p) => p.id));
  const hits = state.site.issues
    .filter((issue) => browsable.has(issue.projectId))
    .map((issue) => ({ issue, view: indexView(issue) }))
    .filter((hit): hit is { issue: Issue; view: JqlIssue } => hit.view !== null && matchesJql(query, hit.view, ctx));
  const compare = compareByOrderBy(query.orderBy.length ? query.orderBy : DEFAULT_JQL_ORDER_BY, ctx);
  hits.sort((a, b) => compare(a.view, b.view));
  return hits.map((h) => h.issue);
}
