import type { ConnectionServices } from '../connections/create-connection-services';
import type { IssueVisibility } from '../alerts/issue-visibility';
import { getIssue } from '../jira/operations/issues';
import { sameSite } from '../jira/site-url';

/**
 * Asks Jira for the issue as the recipient (their own connection, background priority): Jira
 * answers 404 to anyone without Browse Projects there or outside the issue's security level, so
 * a found issue is exactly one they may see. No connection, a connection to another site, or any
 * failure is a no.
 */
export function jiraIssueVisibility(connections: Pick<ConnectionServices, 'jiraFor'>): IssueVisibility {
  return {
    async canSee(site, owner, issueKey) {
      try {
        const { connection, jira } = await connections.jiraFor(owner, { priority: 'background' });
        if (!sameSite(connection.siteUrl, site)) return false;
        const issue = await getIssue(jira, issueKey, { fields: ['summary'] });
        return typeof issue.key === 'string' && issue.key.length > 0;
      } catch {
        return false;
      }
    },
  };
}
