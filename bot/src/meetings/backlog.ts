/**
 * The grooming tab's shapes, exactly as docs/tab-api.md states them: the tab reads these and
 * nothing else, so a change here is a change of that contract.
 */
export interface Backlog {
  id: string;
  name: string;
  jql: string;
  siteUrl: string;
  /** The creator's display name. */
  createdBy: string;
  updatedAt: string;
}

export type StatusCategory = 'new' | 'indeterminate' | 'done';

export interface BacklogIssue {
  key: string;
  id: string;
  url: string;
  summary: string;
  issueType: { name: string; iconUrl?: string };
  status: { name: string; category: StatusCategory };
  priority: { id: string; name: string; iconUrl?: string } | null;
  assignee: { accountId: string; displayName: string; avatarUrl?: string } | null;
  /** Story points (the site's estimate field); null when unset or the site has no such field. */
  estimate: number | null;
  rank: string | null;
  /** ISO time. */
  updated: string;
}

export interface BacklogOptions {
  /** The caller's own Jira account, for "Assign to me". */
  me: { accountId: string; displayName: string };
  priorities: Array<{ id: string; name: string; iconUrl?: string }>;
  estimateField: { id: string; name: string } | null;
  /** Projects where the user may create issues, with the issue types they may create there (no sub-tasks). */
  projects: Array<{ key: string; name: string; issueTypes: Array<{ id: string; name: string }> }>;
}

export interface BacklogTransition {
  id: string;
  name: string;
  to: { name: string; category: StatusCategory };
}

export interface AssignableUser {
  accountId: string;
  displayName: string;
  avatarUrl?: string;
}

/** What a panel is told on its event stream (docs/tab-api.md, "Events on the stream"). */
export type MeetingEvent =
  | { event: 'ready'; data: Record<string, never> }
  | { event: 'issue-changed'; data: { key: string; by?: string } }
  | { event: 'issue-created'; data: { key: string; by?: string } }
  | { event: 'ranked'; data: { keys: string[]; by?: string } }
  | { event: 'backlog-changed'; data: Record<string, never> };
