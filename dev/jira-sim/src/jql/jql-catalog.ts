import type { JqlSprint, JqlUser } from './jql-issue';

/** A site value known by name, optionally also by id (`status = 3`). */
export type JqlNamedValue = string | { id: string; name: string };

/** What exists on the site, so validateJql can reject values Jira would reject. */
export interface JqlCatalog {
  projects: Array<{ key: string; name: string; id?: string }>;
  statuses: JqlNamedValue[];
  /** Highest first, the order `priority > Low` compares in. */
  priorities: JqlNamedValue[];
  issueTypes: JqlNamedValue[];
  users: JqlUser[];
  /** Defaults to Jira's three categories (keys, names and ids). */
  statusCategories?: Array<{ key: string; name: string; id: number }>;
  /** When given, sprint values are checked too. */
  sprints?: Array<Pick<JqlSprint, 'id' | 'name'>>;
  /** When given, resolution values are checked too; 'Unresolved' is always valid. */
  resolutions?: string[];
  /** Version and component names; none when absent (the simulator models neither). */
  versions?: string[];
  components?: string[];
}
