/**
 * The live site and its lookups. Routes read and change the site only through this object and
 * the issue operations, so indexes stay in step with the data.
 */
import { DEFAULT_REALISM, type Realism } from '../realism/realism';
import type { FieldDef, Issue, IssueType, PermissionKey, Priority, Project, Site, SimUser, Status, StatusCategory, Workflow } from './site-model';

export class SiteState {
  site: Site;
  readonly now: () => number;
  /** Which real-Jira behaviours are on (see src/realism/); survives reset(), like the OAuth apps. */
  realism: Realism = DEFAULT_REALISM;
  private issuesByKey = new Map<string, Issue>();
  private issuesById = new Map<string, Issue>();

  constructor(site: Site, now: () => number) {
    this.site = site;
    this.now = now;
    this.reindex();
  }

  replace(site: Site): void {
    this.site = site;
    this.reindex();
  }

  private reindex(): void {
    this.issuesByKey.clear();
    this.issuesById.clear();
    for (const issue of this.site.issues) this.index(issue);
  }

  index(issue: Issue): void {
    this.issuesByKey.set(issue.key, issue);
    this.issuesById.set(issue.id, issue);
  }

  unindex(issue: Issue): void {
    this.issuesByKey.delete(issue.key);
    this.issuesById.delete(issue.id);
  }

  issue(idOrKey: string): Issue | undefined {
    return this.issuesById.get(idOrKey) ?? this.issuesByKey.get(idOrKey.toUpperCase());
  }

  user(accountId: string | null | undefined): SimUser | undefined {
    return accountId ? this.site.users.find((u) => u.accountId === accountId) : undefined;
  }

  userByEmail(email: string): SimUser | undefined {
    const wanted = email.toLowerCase();
    return this.site.users.find((u) => u.email.toLowerCase() === wanted);
  }

  project(idOrKey: string): Project | undefined {
    const upper = idOrKey.toUpperCase();
    return this.site.projects.find((p) => p.id === idOrKey || p.key === upper);
  }

  projectOf(issue: Issue): Project {
    return this.site.projects.find((p) => p.id === issue.projectId)!;
  }

  issueType(id: string): IssueType | undefined {
    return this.site.issueTypes.find((t) => t.id === id);
  }

  priority(id: string | null | undefined): Priority | undefined {
    return id ? this.site.priorities.find((p) => p.id === id) : undefined;
  }

  status(id: string): Status {
    return this.site.statuses.find((s) => s.id === id)!;
  }

  statusCategory(id: number): StatusCategory {
    return this.site.statusCategories.find((c) => c.id === id)!;
  }

  workflowOf(project: Project): Workflow {
    return this.site.workflows.find((w) => w.id === project.workflowId)!;
  }

  field(id: string): FieldDef | undefined {
    return this.site.fields.find((f) => f.id === id);
  }

  /** Project permission, or the global ADMINISTER when `project` is null. */
  can(accountId: string, project: Project | null, permission: PermissionKey): boolean {
    const user = this.user(accountId);
    if (!user || !user.active) return false;
    if (permission === 'ADMINISTER') return user.siteAdmin;
    if (!project) return false;
    return (project.permissions[accountId] ?? []).includes(permission);
  }

  canBrowse(accountId: string, issue: Issue): boolean {
    return this.can(accountId, this.projectOf(issue), 'BROWSE_PROJECTS');
  }

  browsableProjects(accountId: string): Project[] {
    return this.site.projects.filter((p) => this.can(accountId, p, 'BROWSE_PROJECTS'));
  }
}
