/** Jira's timestamp format, e.g. "2021-01-17T12:34:00.000+0000" (always UTC here). */
export function jiraDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** Parses what Jira accepts for datetime fields: ISO 8601 with an offset like +0000 or +00:00, or Z. */
export function parseJiraDateTime(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) return null;
  const normalized = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalized);
  return Number.isNaN(ms) ? null : ms;
}

export function isJiraDate(text: unknown): text is string {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(text);
}
