import type { BacklogIssue } from '../api/types';

/**
 * What someone else's edit changed, for the polite live region: "priority to High and estimate to 5".
 * Undefined when nothing shown in the row changed (the echo of an edit already announced).
 */
export function describeChange(before: BacklogIssue, after: BacklogIssue): string | undefined {
  const parts: string[] = [];
  if (before.status.name !== after.status.name) parts.push(`status to ${after.status.name}`);
  if (before.priority?.id !== after.priority?.id) parts.push(`priority to ${after.priority?.name ?? 'none'}`);
  if (before.estimate !== after.estimate) parts.push(`estimate to ${after.estimate ?? 'none'}`);
  if (before.assignee?.accountId !== after.assignee?.accountId) parts.push(`assignee to ${after.assignee?.displayName ?? 'Unassigned'}`);
  // The new summary is on the screen; read aloud it would be long.
  if (before.summary !== after.summary) parts.push('the summary');
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** The sentence for an edit by someone else: "Bob Builder changed KAN-4 priority to High." */
export function announceChange(by: string | undefined, key: string, what: string): string {
  return by ? `${by} changed ${key} ${what}.` : `${key} changed in Jira: ${what}.`;
}
