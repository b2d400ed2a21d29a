import type { JiraClient } from '../create-jira-client';

/** Starts or stops the account watching the issue. */
export async function setWatching(jira: JiraClient, key: string, accountId: string, watching: boolean): Promise<void> {
  if (watching) await jira.v3.issueWatchers.addWatcher({ issueIdOrKey: key, accountId });
  else await jira.v3.issueWatchers.removeWatcher({ issueIdOrKey: key, accountId });
}

/** Account ids of the issue's watchers that the client's user may see. */
export async function listWatchers(jira: JiraClient, key: string): Promise<string[]> {
  const result = await jira.v3.issueWatchers.getIssueWatchers({ issueIdOrKey: key });
  return (result.watchers ?? []).map((w) => w.accountId ?? '').filter(Boolean);
}
