/** The shapes of docs/tab-api.md, the contract with bot/src/meetings. */

export interface Backlog {
  id: string;
  name: string;
  jql: string;
  siteUrl: string;
  /** Display name of whoever created it. */
  createdBy: string;
  updatedAt: string;
}

export type StatusCategory = 'new' | 'indeterminate' | 'done';

export interface Priority {
  id: string;
  name: string;
  iconUrl?: string;
}

export interface JiraUser {
  accountId: string;
  displayName: string;
  avatarUrl?: string;
}

export interface BacklogIssue {
  key: string;
  id: string;
  url: string;
  summary: string;
  issueType: { name: string; iconUrl?: string };
  status: { name: string; category: StatusCategory };
  priority: Priority | null;
  assignee: JiraUser | null;
  /** Story points; null when unset or the site has no estimate field. */
  estimate: number | null;
  rank: string | null;
  updated: string;
}

export interface BacklogOptions {
  priorities: Priority[];
  estimateField: { id: string; name: string } | null;
  projects: Array<{ key: string; name: string; issueTypes: Array<{ id: string; name: string }> }>;
}

export interface Transition {
  id: string;
  name: string;
  to: { name: string; category: StatusCategory };
}

export interface IssuePage {
  issues: BacklogIssue[];
  nextPageToken?: string;
}

export interface IssueEdit {
  priorityId?: string;
  estimate?: number | null;
  assigneeAccountId?: string | null;
}

/** Exactly one of before/after. */
export type RankRequest = { keys: string[]; before: string } | { keys: string[]; after: string };

export interface NewIssue {
  projectKey: string;
  issueTypeId: string;
  summary: string;
}

export type ErrorCode =
  | 'unauthenticated'
  | 'notConnected'
  | 'reconnectRequired'
  | 'forbidden'
  | 'notFound'
  | 'badRequest'
  | 'invalidJql'
  | 'otherSite'
  | 'jiraBusy'
  | 'jiraUnavailable'
  | 'tabSignInNotConfigured'
  /** Not from the bot: the network failed or the answer was not the contract's JSON. */
  | 'network';

/** Events of GET /backlogs/:id/events. */
export type BacklogEvent =
  | { type: 'ready' }
  | { type: 'issue-changed'; key: string; by?: string }
  | { type: 'issue-created'; key: string; by?: string }
  | { type: 'ranked'; keys: string[]; by?: string }
  | { type: 'backlog-changed' };
