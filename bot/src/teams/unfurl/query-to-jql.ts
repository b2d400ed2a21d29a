/** Issue keys as people type them into the search box. */
const ISSUE_KEY = /^[A-Za-z][A-Za-z0-9_]*-[1-9][0-9]*$/;

/**
 * What the compose-box search runs: `jql: ...` as typed, an issue key as that issue, other
 * text as a text search, and nothing as the user's own issues, most recently updated first
 * (issueHistory() would be closer to "recent", but not every Jira answers it).
 */
export function queryToJql(text: string | undefined): string {
  const query = (text ?? '').trim();
  if (!query) return 'assignee = currentUser() OR reporter = currentUser() OR watcher = currentUser() ORDER BY updated DESC';
  const prefixed = /^jql:\s*([\s\S]*)$/i.exec(query);
  if (prefixed) return prefixed[1].trim();
  if (ISSUE_KEY.test(query)) return `key = ${query.toUpperCase()}`;
  // JQL string literal: backslash and quote escaped; reserved characters are searched as text.
  const literal = query.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return `text ~ "${literal}" ORDER BY updated DESC`;
}
