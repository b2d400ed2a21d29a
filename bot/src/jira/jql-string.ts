/** A JQL string literal: Jira reads backslash escapes inside double quotes. */
export function jqlString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
