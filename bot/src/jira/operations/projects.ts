import type { IssueTypeChoice, ProjectChoice } from '../../cards/create-issue-dialog-card';
import type { CreateMetaField } from '../fields/create-meta-field';
import type { JiraClient } from '../create-jira-client';

const PROJECT_PAGE = 100;
const META_PAGE = 200;

/** Projects the client's user may create issues in, by name, filtered by `query` when given. */
export async function searchCreatableProjects(jira: JiraClient, options: { query?: string; maxPages?: number } = {}): Promise<ProjectChoice[]> {
  return (await creatableProjectPages(jira, options, false)).map(({ key, name }) => ({ key, name }));
}

/** The same, each with its (non-subtask) issue types, for forms that create in one step. */
export async function searchCreatableProjectsWithTypes(
  jira: JiraClient,
  options: { maxPages: number },
): Promise<Array<ProjectChoice & { issueTypes: Array<{ id: string; name: string }> }>> {
  return creatableProjectPages(jira, options, true);
}

async function creatableProjectPages(jira: JiraClient, options: { query?: string; maxPages?: number }, withTypes: boolean) {
  const query = options.query?.trim();
  const projects: Array<ProjectChoice & { issueTypes: Array<{ id: string; name: string }> }> = [];
  for (let page = 0; page < (options.maxPages ?? 1); page++) {
    const result = await jira.v3.projects.searchProjects({
      action: 'create',
      orderBy: 'name',
      maxResults: PROJECT_PAGE,
      ...(page > 0 ? { startAt: page * PROJECT_PAGE } : {}),
      ...(withTypes ? { expand: 'issueTypes' } : {}),
      ...(query ? { query } : {}),
    });
    for (const p of result.values ?? []) {
      if (!p.key) continue;
      const issueTypes = (p.issueTypes ?? []).filter((t) => t.id && !t.subtask).map((t) => ({ id: String(t.id), name: t.name ?? String(t.id) }));
      projects.push({ key: p.key, name: p.name ?? p.key, issueTypes });
    }
    if (result.isLast !== false) break;
  }
  return projects;
}

/** The issue types a project offers for creation (createmeta). */
export async function listCreateIssueTypes(jira: JiraClient, projectKey: string): Promise<IssueTypeChoice[]> {
  const page = await jira.v3.issues.getCreateIssueMetaIssueTypes({ projectIdOrKey: projectKey, maxResults: META_PAGE });
  const types = (page as { issueTypes?: unknown[]; createMetaIssueType?: unknown[] }).issueTypes ?? page.createMetaIssueType ?? [];
  return (types as Array<{ id?: string; name?: string; subtask?: boolean }>)
    .filter((t) => t.id)
    .map((t) => ({ id: String(t.id), name: t.name ?? String(t.id), subtask: t.subtask ?? false }));
}

/** The fields of the create screen for a project and issue type, every page up to `maxPages`. */
export async function listCreateFields(jira: JiraClient, projectKey: string, issueTypeId: string, maxPages = 5): Promise<CreateMetaField[]> {
  const fields: CreateMetaField[] = [];
  for (let page = 0; page < maxPages; page++) {
    const result = await jira.v3.issues.getCreateIssueMetaIssueTypeId({ projectIdOrKey: projectKey, issueTypeId, startAt: page * META_PAGE, maxResults: META_PAGE });
    const batch = ((result as { fields?: unknown[] }).fields ?? result.results ?? []) as CreateMetaField[];
    fields.push(...batch);
    if (batch.length < META_PAGE || fields.length >= (result.total ?? 0)) break;
  }
  return fields;
}

/** Projects the user may browse, by name (one page: a picker narrows by typing). */
export async function searchBrowsableProjects(jira: JiraClient, options: { query?: string } = {}): Promise<ProjectChoice[]> {
  const query = options.query?.trim();
  const result = await jira.v3.projects.searchProjects({ orderBy: 'name', maxResults: PROJECT_PAGE, ...(query ? { query } : {}) });
  return (result.values ?? []).filter((p) => p.key).map((p) => ({ key: p.key, name: p.name ?? p.key }));
}

/** The statuses of a project's workflows, each once, in the order Jira lists them. */
export async function listProjectStatuses(jira: JiraClient, projectKey: string): Promise<Array<{ id: string; name: string }>> {
  const types = await jira.v3.projects.getAllStatuses({ projectIdOrKey: projectKey });
  const seen = new Map<string, { id: string; name: string }>();
  for (const type of types)
    for (const status of type.statuses ?? []) if (status.id && status.name && !seen.has(status.id)) seen.set(status.id, { id: status.id, name: status.name });
  return [...seen.values()];
}

/** One project the user may browse, by key or id (404 otherwise). */
export async function getProjectChoice(jira: JiraClient, projectKey: string): Promise<ProjectChoice> {
  const project = await jira.v3.projects.getProject({ projectIdOrKey: projectKey });
  return { key: project.key, name: project.name };
}

/**
 * Ids of the issue types a board's backlog does not list as rows: sub-tasks (shown under their
 * parent) and types above the standard level (epics, in the board's epic panel).
 */
export async function listNonBacklogIssueTypeIds(jira: JiraClient): Promise<string[]> {
  const types = await jira.v3.issueTypes.getIssueAllTypes();
  return types.filter((t) => t.id && (t.subtask || (t.hierarchyLevel ?? 0) > 0)).map((t) => String(t.id));
}
