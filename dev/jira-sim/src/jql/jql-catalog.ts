import type { JqlSprint, JqlUser } from './jql-issue';

/** What exists on the site, so validateJql can reject values Jira would reject. */
export interface JqlCatalog {
  projects: Array<{ key: string; name: string }>;
  statuses: string[];
  /** Highest first, the order `priority > Low` compares in. */
  priorities: string[];
  issueTypes: string[];
  users: JqlUser[];
  /** Defaults to Jira's three categories (keys, names and ids). */
  statusCategories?: Array<{ key: string; name: string; id: number }>;
  /** When given, sprint values are checked too. */
  sprints?: Array<Pick<JqlSprint, 'id' | 'name'>>;
}
