import type { JqlIssue } from './jql-issue';

/** The issue's resolution name; an adapter that omits it gets 'Done' for resolved issues. */
export function resolutionOf(issue: JqlIssue): string | null {
  if (issue.resolutionName !== undefined) return issue.resolutionName;
  return issue.resolved ? 'Done' : null;
}
