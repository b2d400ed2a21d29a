import type { ConnectionOwner } from '../../connections/connection';
import type { IssueCardView } from '../../cards/issue-card';

/** One issue as the acting user sees it, and who they are in Jira. */
export interface IssueForUser {
  view: IssueCardView;
  /** The user's own Jira account id (hides "Assign to me" on their own issues). */
  viewerAccountId: string;
}

export interface IssueSearchPage {
  issues: IssueCardView[];
  /** Jira's search/jql gives no total; present only when known. */
  total?: number;
  /** More results exist beyond this page. */
  hasMore: boolean;
}

/**
 * What the unfurl, search and card-action handlers need from Jira, acting as one user with
 * that user's own connection. Failures are thrown as ConnectionError (not connected) or
 * JiraError (coded: not found, forbidden with the permission, bad JQL with Jira's text, ...).
 */
export interface IssueService {
  /** The issue with the transitions Jira offers this user and whether they watch it. */
  getIssue(user: ConnectionOwner, key: string): Promise<IssueForUser>;
  /** The first `maxResults` issues a JQL query finds, newest first if the JQL does not order. */
  search(user: ConnectionOwner, jql: string, page: { maxResults: number }): Promise<IssueSearchPage>;
  /** A saved filter's name and JQL. */
  filter(user: ConnectionOwner, filterId: string): Promise<{ name: string; jql: string }>;
  /** Assigns the issue to the user. */
  assignToSelf(user: ConnectionOwner, key: string): Promise<void>;
  transition(user: ConnectionOwner, key: string, transitionId: string): Promise<void>;
  /** Adds a plain-text comment as the user. */
  comment(user: ConnectionOwner, key: string, text: string): Promise<void>;
  /** Starts or stops the user watching the issue. */
  watch(user: ConnectionOwner, key: string, watching: boolean): Promise<void>;
}
