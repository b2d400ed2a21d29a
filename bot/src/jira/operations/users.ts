import type { JiraClient } from '../create-jira-client';
import { UNNAMED_PERSON } from '../views/unnamed-person';

export interface JiraUserChoice {
  accountId: string;
  displayName: string;
  avatarUrl?: string;
}

/**
 * Active users who may be assigned issues of a project (creating) or one issue (editing). A user whose
 * name Jira withholds is listed by UNNAMED_PERSON, never by account id (personal data that means nothing).
 */
export async function findAssignableUsers(
  jira: JiraClient,
  where: { project: string } | { issueKey: string },
  options: { query?: string; maxResults: number },
): Promise<JiraUserChoice[]> {
  const query = options.query?.trim();
  const users = await jira.v3.userSearch.findAssignableUsers({ ...where, maxResults: options.maxResults, ...(query ? { query } : {}) });
  return users
    .filter((u) => u.accountId && u.active !== false)
    .map((u) => {
      const avatarUrl = u.avatarUrls?.['48x48'] ?? u.avatarUrls?.['32x32'];
      return { accountId: u.accountId, displayName: u.displayName || UNNAMED_PERSON, ...(avatarUrl ? { avatarUrl } : {}) };
    });
}
