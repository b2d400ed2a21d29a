import { splitJqlOrderBy } from './split-jql-order-by';

/** A backlog lists in the JQL's own order, or in Jira's rank order (the board's) when it sets none. */
export function orderBacklogJql(jql: string): string {
  const { where, orderBy } = splitJqlOrderBy(jql);
  return orderBy ? `${where} ${orderBy}`.trim() : `${where} ORDER BY Rank ASC`.trim();
}
