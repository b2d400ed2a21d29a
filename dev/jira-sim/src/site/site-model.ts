/**
 * The simulator's in-memory model of one Jira Cloud site. Values are stored in a compact internal
 * form (ids, account ids, plain strings) and rendered to Jira's JSON shapes only at the edge, so a
 * change is made in one place and every route, search and webhook sees the same truth.
 */
import type { AdfDoc } from './adf';

export type PermissionKey =
  | 'BROWSE_PROJECTS'
  | 'CREATE_ISSUES'
  | 'EDIT_ISSUES'
  | 'TRANSITION_ISSUES'
  | 'ADD_COMMENTS'
  | 'EDIT_ALL_COMMENTS'
  | 'EDIT_OWN_COMMENTS'
  | 'ASSIGN_ISSUES'
  | 'ASSIGNABLE_USER'
  | 'DELETE_ISSUES'
  | 'MANAGE_WATCHERS'
  | 'LINK_ISSUES'
  | 'SCHEDULE_ISSUES'
  | 'ADMINISTER_PROJECTS'
  | 'ADMINISTER';

export interface SimUser {
  accountId: string;
  displayName: string;
  email: string;
  apiToken: string;
  active: boolean;
  timeZone: string;
  locale: string;
  /** Site-wide ADMINISTER (Jira administrators). */
  siteAdmin: boolean;
  /** Profile visibility of the email (Atlassian account setting); only honoured with realism.privacy. */
  emailVisible?: boolean;
  /** Shown instead of displayName when the full name is hidden; only honoured with realism.privacy. */
  publicName?: string;
  /**
   * The name is kept from apps altogether: others get `displayName: null` (profile visibility; the
   * spec's UserPickerUser.displayName "may be returned as null"). Only honoured with realism.privacy.
   */
  nameWithheld?: boolean;
}

export interface IssueType {
  id: string;
  name: string;
  description: string;
  subtask: boolean;
  hierarchyLevel: number;
  iconUrl: string;
}

export interface Priority {
  id: string;
  name: string;
  description: string;
  statusColor: string;
  iconUrl: string;
}

export interface StatusCategory {
  id: number;
  key: 'undefined' | 'new' | 'indeterminate' | 'done';
  name: string;
  colorName: string;
}

export interface Status {
  id: string;
  name: string;
  description: string;
  categoryId: number;
}

export interface Resolution {
  id: string;
  name: string;
  description: string;
}

export interface Transition {
  id: string;
  name: string;
  toStatusId: string;
  /** Status ids the transition starts from; empty means global (from any status). */
  fromStatusIds: string[];
}

export interface Workflow {
  id: string;
  name: string;
  initialStatusId: string;
  statusIds: string[];
  transitions: Transition[];
}

export type FieldKind =
  | 'string'
  | 'adf'
  | 'number'
  | 'date'
  | 'datetime'
  | 'select'
  | 'multiselect'
  | 'cascading'
  | 'user'
  | 'labels'
  | 'priority'
  | 'issuetype'
  | 'project'
  | 'status'
  | 'resolution'
  | 'parent'
  | 'sprint'
  | 'rank'
  | 'timetracking'
  | 'readonly';

export interface FieldOption {
  id: string;
  value: string;
  children?: FieldOption[];
}

export interface FieldDef {
  id: string;
  name: string;
  custom: boolean;
  kind: FieldKind;
  /** Jira's `schema` object, as /field and createmeta report it. */
  schema: { type: string; items?: string; system?: string; custom?: string; customId?: number };
  orderable: boolean;
  navigable: boolean;
  searchable: boolean;
  clauseNames: string[];
  options?: FieldOption[];
}

/** Which fields an issue type's create/edit screen shows in a project, and which are required. */
export interface ScreenField {
  fieldId: string;
  required: boolean;
}

export interface Project {
  id: string;
  key: string;
  name: string;
  description: string;
  projectTypeKey: 'software' | 'service_desk' | 'business';
  leadAccountId: string;
  issueTypeIds: string[];
  workflowId: string;
  /** Screen per issue type id. */
  screens: Record<string, ScreenField[]>;
  /** accountId -> granted project permissions. */
  permissions: Record<string, PermissionKey[]>;
  nextIssueNumber: number;
}

export interface ChangeItem {
  field: string;
  fieldtype: 'jira' | 'custom';
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface ChangelogEntry {
  id: string;
  authorAccountId: string;
  created: number;
  items: ChangeItem[];
}

export interface Comment {
  id: string;
  authorAccountId: string;
  updateAuthorAccountId: string;
  body: AdfDoc;
  created: number;
  updated: number;
}

export interface RemoteLink {
  id: number;
  globalId?: string;
  application?: { type?: string; name?: string };
  relationship?: string;
  object: { url: string; title: string; summary?: string; icon?: { url16x16?: string; title?: string } };
}

export interface Issue {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  statusId: string;
  created: number;
  updated: number;
  statusCategoryChanged: number;
  resolutionDate: number | null;
  creatorAccountId: string;
  /** Internal values of editable fields keyed by field id (summary, priority, customfield_...). */
  values: Record<string, unknown>;
  comments: Comment[];
  changelog: ChangelogEntry[];
  watchers: string[];
  remoteLinks: RemoteLink[];
  rank: string;
  /** Bumped on every change, so derived views (the JQL view) know when to rebuild. */
  revision?: number;
}

export interface Sprint {
  id: number;
  boardId: number;
  name: string;
  state: 'future' | 'active' | 'closed';
  goal: string;
  startDate?: number;
  endDate?: number;
  completeDate?: number;
}

/** What a scrum board estimates with (its configuration's `estimation`): a field's value, the issue count, or nothing. */
export type BoardEstimation = { type: 'field'; fieldId: string } | { type: 'issueCount' } | { type: 'none' };

export interface Board {
  id: number;
  name: string;
  type: 'scrum' | 'kanban';
  projectId: string;
  filterId: number;
  columns: Array<{ name: string; statusIds: string[] }>;
  /** Scrum boards only; unset means the site's Story Points field. */
  estimation?: BoardEstimation;
}

/** A saved JQL filter; boards are backed by one. */
export interface Filter {
  id: number;
  name: string;
  description: string;
  jql: string;
  ownerAccountId: string;
  /** Who else sees it: everyone on the site, or those who can browse one project. */
  sharedWith: { type: 'global' } | { type: 'project'; projectId: string } | { type: 'private' };
}

export interface Site {
  cloudId: string;
  name: string;
  /** Base URL used in `self` links; the sim's public URL. */
  url: string;
  users: SimUser[];
  issueTypes: IssueType[];
  priorities: Priority[];
  statusCategories: StatusCategory[];
  statuses: Status[];
  resolutions: Resolution[];
  workflows: Workflow[];
  fields: FieldDef[];
  projects: Project[];
  issues: Issue[];
  boards: Board[];
  sprints: Sprint[];
  filters: Filter[];
  counters: { issue: number; comment: number; changelog: number; remoteLink: number; sprint: number };
}
