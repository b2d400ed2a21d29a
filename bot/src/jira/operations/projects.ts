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
