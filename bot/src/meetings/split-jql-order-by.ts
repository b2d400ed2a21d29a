/**
 * Splits a JQL query into its condition and its ORDER BY clause, reading past string literals so
 * `summary ~ "order by"` is not taken for one. Jira allows ORDER BY only at the end, so everything
 * from the first ORDER BY outside quotes is the clause.
 */
export function splitJqlOrderBy(jql: string): { where: string; orderBy?: string } {
  let quote: string | undefined;
  for (let i = 0; i < jql.length; i++) {
    const c = jql[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      continue;
    }
    if ((c === 'o' || c === 'O') && (i === 0 || /[\s)]/.test(jql[i - 1]))) {
      const match = /^order\s+by(?=\s|$)/i.exec(jql.slice(i));
      if (match) return { where: jql.slice(0, i).trim(), orderBy: jql.slice(i).trim() };
    }
  }
  return { where: jql.trim() };
}
