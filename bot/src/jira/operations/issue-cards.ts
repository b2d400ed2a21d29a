import type { IssueCardView } from '../../cards/issue-card';
import type { JiraClient } from '../create-jira-client';
import { toIssueCardView } from '../views/issue-card-view';
import { getIssue } from './issues';
import { searchIssues } from './search';

/** Fields the cards show; asking for fewer makes each call cheaper in Jira's points. */
const ISSUE_CARD_FIELDS = ['summary', 'issuetype', 'status', 'priority', 'assignee', 'reporter', 'updated', 'labels', 'description', 'watches'];

/** The issue card's view of one issue, with the transitions the user may make. */
export async function getIssueCardView(jira: JiraClient, key: string): Promise<IssueCardView> {
  const issue = await getIssue(jira, key, { fields: ISSUE_CARD_FIELDS, expand: 'transitions' });
  return toIssueCardView(issue, jira.siteUrl);
}

/** The first page of a JQL search as card views (without descriptions: list rows do not show them). */
export async function searchIssueCardViews(jira: JiraClient, jql: string, maxResults: number): Promise<{ issues: IssueCardView[]; hasMore: boolean }> {
  const page = await searchIssues(jira, { jql, maxResults, fields: ISSUE_CARD_FIELDS.filter((f) => f !== 'description') });
  return { issues: page.issues.map((issue) => toIssueCardView(issue, jira.siteUrl)), hasMore: Boolean(page.nextPageToken) };
}
