import type { JiraClient } from '../jira/create-jira-client';
import { JiraError, JiraErrorCode } from '../jira/jira-error';
import { jqlString } from '../jira/jql-string';
import { getIssue } from '../jira/operations/issues';
import { searchIssues } from '../jira/operations/search';
import type { BacklogIssue } from './backlog';
import type { StoredBacklog } from './backlog-repository';
import type { SiteFields } from './find-site-fields';
import type { SiteFieldsOf } from './site-fields-cache';
import { splitJqlOrderBy } from './split-jql-order-by';
import { toBacklogIssue } from './to-backlog-issue';

const BASE_FIELDS = ['summary', 'issuetype', 'status', 'priority', 'assignee', 'updated'];

export interface BacklogIssueReader {
  /** One page of a JQL search as the tab's rows. */
  search(jira: JiraClient, jql: string, page: { maxResults: number; nextPageToken?: string }): Promise<{ issues: BacklogIssue[]; nextPageToken?: string }>;
  /** The issue as it is now, whether or not it still matches the backlog (after an edit it may not). */
  fetchIssue(jira: JiraClient, key: string): Promise<BacklogIssue>;
  /** The issue if the backlog's JQL (without its order) matches it for this user, else undefined. */
  matchIssue(jira: JiraClient, backlog: StoredBacklog, key: string): Promise<BacklogIssue | undefined>;
}

/** Reads backlog rows from Jira with the site's estimate and rank fields included. */
export function backlogIssueReader(fieldsOf: SiteFieldsOf): BacklogIssueReader {
  const fieldList = (fields: SiteFields) => [...BASE_FIELDS, ...(fields.estimate ? [fields.estimate.id] : []), ...(fields.rankId ? [fields.rankId] : [])];
  const toIssue = (jira: JiraClient, fields: SiteFields) => (issue: { id?: string; key?: string; fields?: object }) =>
    toBacklogIssue(issue as never, jira.siteUrl, { estimate: fields.estimate?.id, rank: fields.rankId });

  const search: BacklogIssueReader['search'] = async (jira, jql, page) => {
    const fields = await fieldsOf(jira);
    const result = await searchIssues(jira, { jql, maxResults: page.maxResults, fields: fieldList(fields), nextPageToken: page.nextPageToken, method: 'POST' });
    return { issues: result.issues.map(toIssue(jira, fields)), nextPageToken: result.nextPageToken };
  };

  return {
    search,
    async fetchIssue(jira, key) {
      const fields = await fieldsOf(jira);
      return toIssue(jira, fields)(await getIssue(jira, key, { fields: fieldList(fields) }));
    },
    async matchIssue(jira, backlog, key) {
      const { where } = splitJqlOrderBy(backlog.jql);
      const jql = where ? `(${where}) AND key = ${jqlString(key)}` : `key = ${jqlString(key)}`;
      try {
        return (await search(jira, jql, { maxResults: 1 })).issues[0];
      } catch (error) {
        // Jira refuses `key = X` for a key it does not know (or one the caller may not see) with a 400.
        if (error instanceof JiraError && error.code === JiraErrorCode.BadRequest) return undefined;
        throw error;
      }
    },
  };
}
