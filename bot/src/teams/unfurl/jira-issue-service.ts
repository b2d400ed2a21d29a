import type { ConnectionServices } from '../../connections/create-connection-services';
import { toIssueCardView } from '../../cards/issue-card-view';
import type { IssueService } from './issue-service';

/** Fields the cards show; asking for fewer makes each call cheaper in Jira's points. */
export const ISSUE_CARD_FIELDS = ['summary', 'issuetype', 'status', 'priority', 'assignee', 'reporter', 'updated', 'labels', 'description', 'watches'];

/** The IssueService over jira.js, acting as each user through their own connection. */
export function jiraIssueService(connections: Pick<ConnectionServices, 'jiraFor'>): IssueService {
  return {
    async getIssue(user, key) {
      const { connection, jira } = await connections.jiraFor(user);
      const issue = await jira.v3.issues.getIssue({ issueIdOrKey: key, fields: ISSUE_CARD_FIELDS, expand: 'transitions' });
      return { view: toIssueCardView(issue, jira.siteUrl), viewerAccountId: connection.accountId };
    },

    async search(user, jql, page) {
      const { jira } = await connections.jiraFor(user);
      const result = await jira.v3.issueSearch.searchForIssuesUsingJqlEnhancedSearch({
        jql,
        maxResults: page.maxResults,
        fields: ISSUE_CARD_FIELDS.filter((f) => f !== 'description'),
      });
      return {
        issues: (result.issues ?? []).map((issue) => toIssueCardView(issue, jira.siteUrl)),
        hasMore: Boolean(result.nextPageToken),
      };
    },

    async filter(user, filterId) {
      const { jira } = await connections.jiraFor(user);
      const filter = await jira.v3.filters.getFilter({ id: Number(filterId) });
      return { name: filter.name ?? `Filter ${filterId}`, jql: filter.jql ?? '' };
    },

    async assignToSelf(user, key) {
      const { connection, jira } = await connections.jiraFor(user);
      await jira.v3.issues.assignIssue({ issueIdOrKey: key, accountId: connection.accountId });
    },

    async transition(user, key, transitionId) {
      const { jira } = await connections.jiraFor(user);
      await jira.v3.issues.doTransition({ issueIdOrKey: key, transition: { id: transitionId } });
    },

    async comment(user, key, text) {
      const { jira } = await connections.jiraFor(user);
      await jira.v3.issueComments.addComment({ issueIdOrKey: key, comment: plainTextDocument(text) });
    },

    async watch(user, key, watching) {
      const { connection, jira } = await connections.jiraFor(user);
      if (watching) await jira.v3.issueWatchers.addWatcher({ issueIdOrKey: key, accountId: connection.accountId });
      else await jira.v3.issueWatchers.removeWatcher({ issueIdOrKey: key, accountId: connection.accountId });
    },
  };
}

/** Plain text as ADF: one paragraph per line, so what was typed is what Jira shows. */
function plainTextDocument(text: string) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return {
    type: 'doc' as const,
    version: 1 as const,
    content: lines.map((line) => ({
      type: 'paragraph' as const,
      content: line ? [{ type: 'text' as const, text: line }] : [],
    })),
  };
}
