import type { ConnectionServices } from '../connections/create-connection-services';
import type { IssueVisibility } from '../alerts/issue-visibility';
import { JiraError, JiraErrorCode } from '../jira/jira-error';
import { getIssue } from '../jira/operations/issues';
import { sameSite } from '../jira/site-url';

/**
 * Asks Jira for the issue as the recipient (their own connection, background priority): Jira
 * answers 404 to anyone without Browse Projects there or outside the issue's security level, so
 * a found issue is exactly one they may see. No connection, a connection to another site, or any
 * other failure is a no; only Jira not answering (5xx, network, rate limit after the retries)
 * rejects, so the notification can wait for an answer instead of being dropped.
 */
export function jiraIssueVisibility(connections: Pick<ConnectionServices, 'jiraFor'>): IssueVisibility {
  return {
    async canSee(site, owner, issueKey) {
      try {
        const { connection, jira } = await connections.jiraFor(owner, { priority: 'background' });
        if (!sameSite(connection.siteUrl, site)) return false;
        const issue = await getIssue(jira, issueKey, { fields: ['summary'] });
        return typeof issue.key === 'string' && issue.key.length > 0;
      } catch (error) {
        if (error instanceof JiraError && (error.code === JiraErrorCode.Unavailable || error.code === JiraErrorCode.RateLimited)) throw error;
        return false;
      }
    },
  };
}
