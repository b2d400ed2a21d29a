import type { ConnectionServices } from '../../connections/create-connection-services';
import { addTextComment } from '../../jira/operations/comments';
import { getIssueCardView, searchIssueCardViews } from '../../jira/operations/issue-cards';
import { assignIssue } from '../../jira/operations/issues';
import { getFilter } from '../../jira/operations/search';
import { transitionIssue } from '../../jira/operations/transitions';
import { setWatching } from '../../jira/operations/watchers';
import type { IssueService } from './issue-service';

/** The IssueService over the Jira operations, acting as each user through their own connection. */
export function jiraIssueService(connections: Pick<ConnectionServices, 'jiraFor'>): IssueService {
  return {
    async getIssue(user, key) {
      const { connection, jira } = await connections.jiraFor(user);
      return { view: await getIssueCardView(jira, key), viewerAccountId: connection.accountId };
    },

    async search(user, jql, page) {
      const { jira } = await connections.jiraFor(user);
      return searchIssueCardViews(jira, jql, page.maxResults);
    },

    async filter(user, filterId) {
      const { jira } = await connections.jiraFor(user);
      return getFilter(jira, filterId);
    },

    async assignToSelf(user, key) {
      const { connection, jira } = await connections.jiraFor(user);
      await assignIssue(jira, key, connection.accountId);
    },

    async transition(user, key, transitionId) {
      const { jira } = await connections.jiraFor(user);
      await transitionIssue(jira, key, transitionId);
    },

    async comment(user, key, text) {
      const { jira } = await connections.jiraFor(user);
      await addTextComment(jira, key, text);
    },

    async watch(user, key, watching) {
      const { connection, jira } = await connections.jiraFor(user);
      await setWatching(jira, key, connection.accountId, watching);
    },
  };
}
