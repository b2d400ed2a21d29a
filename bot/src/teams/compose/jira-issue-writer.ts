import type { TurnContext } from 'botbuilder';
import type { ConnectionServices } from '../../connections/create-connection-services';
import { connectionOwner } from '../../connections/connection';
import type { JiraClient } from '../../jira/create-jira-client';
import { isJiraError, JiraErrorCode } from '../../jira/jira-error';
import { jqlString } from '../../jira/jql-string';
import { addComment } from '../../jira/operations/comments';
import { getIssueCardView } from '../../jira/operations/issue-cards';
import { createIssue, getIssueRef, linkRemotePage } from '../../jira/operations/issues';
import { listCreateFields, listCreateIssueTypes, searchCreatableProjects } from '../../jira/operations/projects';
import { searchIssues } from '../../jira/operations/search';
import { findAssignableUsers } from '../../jira/operations/users';
import { tenantIdOf } from '../conversation-scope';
import type { IssueWriter } from './issue-writer';

const ISSUE_KEY = /^[A-Z][A-Z0-9_]+-[1-9]\d*$/;
const ISSUES_SHOWN = 20;

/**
 * The IssueWriter over the Jira operations, acting as the user whose connection made `jira`;
 * their account id, when given, hides "Assign to me" on the card of an issue already theirs.
 */
export function jiraIssueWriter(jira: JiraClient, viewerAccountId?: string): IssueWriter {
  const issue = (issueKey: string) => getIssueRef(jira, issueKey);
  return {
    projects: (query) => searchCreatableProjects(jira, { query }),
    issueTypes: (projectKey) => listCreateIssueTypes(jira, projectKey),
    createMeta: (projectKey, issueTypeId) => listCreateFields(jira, projectKey, issueTypeId),

    async assignableUsers(projectKey, query) {
      const users = await findAssignableUsers(jira, { project: projectKey }, { query, maxResults: 100 });
      return users.map((u) => ({ accountId: u.accountId, displayName: u.displayName }));
    },

    create: (fields) => createIssue(jira, fields),
    addComment: (issueKey, body) => addComment(jira, issueKey, body),

    addRemoteLink: (issueKey, link) => linkRemotePage(jira, issueKey, { ...link, application: { type: 'com.microsoft.teams', name: 'Microsoft Teams' } }),

    async findIssues(query) {
      const text = query?.trim() ?? '';
      if (ISSUE_KEY.test(text.toUpperCase())) {
        try {
          const found = await issue(text.toUpperCase());
          return [{ key: found.key, summary: found.summary }];
        } catch (error) {
          if (isJiraError(error) && error.code === JiraErrorCode.NotFound) return [];
          throw error;
        }
      }
      const jql = text ? `text ~ ${jqlString(text)} ORDER BY updated DESC` : 'assignee = currentUser() OR reporter = currentUser() ORDER BY updated DESC';
      const result = await searchIssues(jira, { jql, maxResults: ISSUES_SHOWN, fields: ['summary'] });
      return result.issues.map((i) => ({ key: i.key ?? '', summary: String(i.fields?.summary ?? '') })).filter((i) => i.key !== '');
    },

    issue,

    async issueView(issueKey) {
      return { view: await getIssueCardView(jira, issueKey), ...(viewerAccountId ? { viewerAccountId } : {}) };
    },
  };
}

/** `writerFor` for composeFeature: the IssueWriter of the user who sent the activity. */
export function issueWriterFor(connections: Pick<ConnectionServices, 'jiraFor'>) {
  return async (context: TurnContext): Promise<IssueWriter> => {
    const owner = connectionOwner(tenantIdOf(context.activity), context.activity.from);
    const { connection, jira } = await connections.jiraFor(owner);
    return jiraIssueWriter(jira, connection.accountId);
  };
}
