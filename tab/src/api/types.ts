/** The shapes of docs/tab-api.md, the contract with bot/src/meetings. */

// The shapes the bot answers with come from the bot's own declaration of the contract, so the tab
// stops type-checking when the two drift apart. Types only: nothing of the bot reaches the bundle.
import type { AssignableUser, Backlog, BacklogIssue, BacklogOptions, BacklogTransition, SprintSummary } from '../../../bot/src/meetings/backlog';
import type { EstimationSettings } from '../../../bot/src/meetings/estimation/estimation-settings';
import type { RoundView } from '../../../bot/src/meetings/estimation/to-round-view';

export type { Backlog, BacklogIssue, BacklogOptions, EstimationSettings, RoundView };
export type { SprintSummary };
export type Priority = NonNullable<BacklogIssue['priority']>;
export type JiraUser = AssignableUser;
export type Transition = BacklogTransition;

export interface IssuePage {
  issues: BacklogIssue[];
  nextPageToken?: string;
  /** The backlog itself, with the first page of `GET /pages` (docs/tab-api.md). */
  backlog?: Backlog;
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
  | { type: 'backlog-changed' }
  /** The estimation round changed; the event carries no votes, the panel asks for its own view. */
  | { type: 'estimation'; key: string; phase: string; by?: string };

/** What the configuration page saves: a typed query, or a pick (docs/tab-api.md "Backlog sources"). */
export type BacklogInput =
  | { name: string; jql: string }
  | {
      name: string;
      source: { kind: 'project'; projectKey: string } | { kind: 'board'; boardId: number } | { kind: 'sprint'; sprintId: number } | { kind: 'filter'; filterId: string };
    };

/** The configuration page's pickers (GET /pickers/...). */
export interface ProjectPick {
  key: string;
  name: string;
}
export interface BoardPick {
  id: number;
  name: string;
  type: string;
  projectKey?: string;
}
export interface FilterPick {
  id: string;
  name: string;
}
