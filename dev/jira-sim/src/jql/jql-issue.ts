/**
 * The flat view of an issue that the evaluator reads. The simulator adapts its stored issues
 * to this shape, so the evaluator never depends on the REST representation.
 */
export interface JqlUser {
  accountId: string;
  displayName: string;
  emailAddress?: string;
}

export interface JqlSprint {
  id: number;
  name: string;
  state: 'active' | 'closed' | 'future';
}

export interface JqlIssue {
  id: string;
  key: string;
  projectKey: string;
  projectName: string;
  summary: string;
  descriptionText: string;
  commentTexts: string[];
  statusName: string;
  statusCategoryKey: 'new' | 'indeterminate' | 'done';
  statusCategoryName: 'To Do' | 'In Progress' | 'Done';
  priorityName: string | null;
  issueTypeName: string;
  assignee: JqlUser | null;
  reporter: JqlUser | null;
  labels: string[];
  created: Date | null;
  updated: Date | null;
  resolved: Date | null;
  /** LexoRank-like: ascending string order is board order. */
  rank: string;
  storyPoints: number | null;
  /** The sprints the issue is or was in; Jira's `sprint` field is multi-valued. */
  sprint?: JqlSprint | JqlSprint[] | null;
  /** Account ids, or users when `watcher = "Display Name"` should match too. */
  watchers?: Array<string | JqlUser>;
  /** Ids let `project = 10000`, `status = 3` and the like match; names always do. */
  projectId?: string;
  statusId?: string;
  priorityId?: string | null;
  issueTypeId?: string;
  parentKey?: string | null;
  /** When absent, a resolved issue counts as resolution 'Done' and an unresolved one as empty. */
  resolutionName?: string | null;
  /** A date without time, as midnight UTC. */
  dueDate?: Date | null;
  /** Names; empty when absent. */
  fixVersions?: string[];
  affectedVersions?: string[];
  components?: string[];
  /** Oldest first. Without it, WAS sees only the current value and CHANGED matches nothing. */
  history?: JqlHistoryEntry[];
  /**
   * Custom field values by id (customfield_N): Date or null (date), number or null (number), option
   * values (select, multiselect; cascading as [parent, child]), a JqlUser or null (user), strings (labels).
   */
  custom?: Record<string, Date | number | string[] | JqlUser | null>;
  /** Comment authors and times, for updatedBy(). */
  comments?: Array<{ author: JqlUser | null; at: Date }>;
}

/** One changelog entry, for WAS, CHANGED and updatedBy(); items name the field as the changelog does. */
export interface JqlHistoryEntry {
  at: Date;
  author: JqlUser | null;
  items: Array<{ field: string; from: string | null; fromString: string | null; to: string | null; toString: string | null }>;
}

export interface JqlContext {
  /** Resolves currentUser(); without it currentUser() matches nothing, as for an anonymous caller. */
  currentAccountId?: string;
  /** The instant relative dates and date functions count from. */
  now: Date;
  /**
   * The searching user's IANA time zone: absolute dates and startOfDay() and the like are read
   * on its wall clock, as Jira does. UTC when absent.
   */
  timeZone?: string;
  /** Priority names, highest first; defaults to Jira's Highest, High, Medium, Low, Lowest. */
  priorityOrder?: string[];
}
