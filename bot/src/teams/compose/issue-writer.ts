import type { AdfDoc } from '../../jira/adf/adf-node';
import type { CreateMetaField } from '../../jira/fields/create-meta-field';
import type { IssueTypeChoice, ProjectChoice } from '../../cards/create-issue-dialog-card';
import type { UserChoice } from '../../cards/create-issue-field-input';
import type { IssueChoice } from '../../cards/add-comment-dialog-card';
import type { IssueCardView } from '../../cards/issue-card';

export interface CreatedIssue {
  id: string;
  key: string;
  /** Browse URL of the issue on its site. */
  url: string;
}

export interface RemoteLinkInput {
  url: string;
  title: string;
}

/**
 * What creating issues and comments from Teams needs from Jira, acting as the signed-in user.
 * Every method throws the client layer's JiraError on failure (permission, validation, expired
 * connection); the handlers turn those into messages in the dialog.
 */
export interface IssueWriter {
  /**
   * Projects the user can create issues in (`GET /rest/api/3/project/search?action=create`), only
   * those whose key or name contains `query` when one is given.
   */
  projects(query?: string): Promise<ProjectChoice[]>;
  /** `GET /rest/api/3/issue/createmeta/{projectKey}/issuetypes`. */
  issueTypes(projectKey: string): Promise<IssueTypeChoice[]>;
  /** All pages of `GET /rest/api/3/issue/createmeta/{projectKey}/issuetypes/{issueTypeId}` (`fields`). */
  createMeta(projectKey: string, issueTypeId: string): Promise<CreateMetaField[]>;
  /** `GET /rest/api/3/user/assignable/search?project={projectKey}&query={query}`. */
  assignableUsers(projectKey: string, query?: string): Promise<UserChoice[]>;
  /** `POST /rest/api/3/issue` with `{ fields }`. */
  create(fields: Record<string, unknown>): Promise<CreatedIssue>;
  /** `POST /rest/api/3/issue/{issueKey}/comment` with an ADF body; resolves the comment's URL. */
  addComment(issueKey: string, body: AdfDoc): Promise<{ id: string; url: string }>;
  /** `POST /rest/api/3/issue/{issueKey}/remotelink` with `{ object: { url, title } }`. */
  addRemoteLink(issueKey: string, link: RemoteLinkInput): Promise<void>;
  /**
   * Issues to comment on: without a query the user's recent ones (for example
   * `issuekey in issueHistory() ORDER BY lastViewed DESC`); with one, the issue of that key or
   * issues whose text matches.
   */
  findIssues(query?: string): Promise<IssueChoice[]>;
  /** Summary and URL of one issue, for the comment confirmation. */
  issue(issueKey: string): Promise<IssueChoice & { url: string }>;
  /** The issue as the live issue card shows it to this user, to post once it is created. */
  issueView(issueKey: string): Promise<{ view: IssueCardView; viewerAccountId?: string }>;
}
