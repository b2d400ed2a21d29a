import type { JiraClient } from '../create-jira-client';

export interface RankEntry {
  issueKey?: string;
  status?: number;
  errors?: string[];
}

/**
 * Ranks issues before or after another (Agile REST). Jira answers 207 with one entry per issue:
 * each succeeded or failed on its own, so the entries come back for the caller to judge.
 */
export async function rankIssues(jira: JiraClient, keys: string[], place: { before?: string; after?: string }): Promise<RankEntry[]> {
  const answer = await jira.agile.issue.rankIssues<{ entries?: RankEntry[] } | undefined>({
    issues: keys,
    ...(place.before ? { rankBeforeIssue: place.before } : { rankAfterIssue: place.after }),
  });
  return answer?.entries ?? [];
}
