export const DEFAULT_PRIORITY_ORDER: readonly string[] = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];

/** Larger is more urgent, so `priority > Low` and `ORDER BY priority DESC` read as in Jira. */
export function jqlPriorityRank(name: string, order: readonly string[] = DEFAULT_PRIORITY_ORDER): number | undefined {
  const index = order.findIndex((p) => p.toLowerCase() === name.toLowerCase());
  return index < 0 ? undefined : order.length - index;
}
