/** `abc-12` -> { projectKey: 'ABC', number: 12 }; keys compare by project, then numerically. */
export function parseIssueKey(key: string): { projectKey: string; number: number } | undefined {
  const match = /^([A-Za-z][A-Za-z0-9_]*)-(\d+)$/.exec(key.trim());
  return match ? { projectKey: match[1].toUpperCase(), number: Number(match[2]) } : undefined;
}
