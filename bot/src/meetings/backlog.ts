/**
 * The grooming tab's shapes, exactly as docs/tab-api.md states them: the tab reads these and
 * nothing else, so a change here is a change of that contract.
 */
export interface Backlog {
  id: string;
  name: string;
  /** The query the backlog runs: typed, or made from `source` when the backlog was picked. */
  jql: string;
  /** What was picked in the configuration page; `jql` for a typed query (and backlogs saved before pickers). */
  source: BacklogSource;
  siteUrl: string;
  /** The creator's display name. */
  createdBy: string;
  updatedAt: string;
}

/** A backlog picked without typing JQL (docs/tab-api.md, "Backlog sources"); names as Jira had them when saved. */
export type BacklogSource =
  | { kind: 'jql' }
  | { kind: 'project'; projectKey: string; name: string }
  | { kind: 'board'; boardId: number; name: string; projectKey?: string }
  | { kind: 'sprint'; sprintId: number; boardId: number; name: string; projectKey?: string }
  | { kind: 'filter'; filterId: string; name: string };

/** A sprint as the tab shows it: the header of a sprint backlog, and where issues can be moved. */
export interface SprintSummary {
  id: number;
  name: string;
  state: 'active' | 'future' | 'closed';
  goal?: string;
  /** ISO times, when Jira has them (a future sprint may have none). */
  startDate?: string;
  endDate?: string;
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
  /** In the issue's estimate field (its board's, docs/tab-api.md); null when unset or there is no such field. */
  estimate: number | null;
  /** 'hours' when that field is the original time estimate (given in hours); left out for points. */
  estimateUnit?: 'hours';
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
  | { event: 'backlog-changed'; data: Record<string, never> }
  /** The backlog's estimation round changed: panels ask for their own view of it; never carries a vote. */
  | { event: 'estimation'; data: { key: string; phase: string; by?: string } };
