import type { JiraClient } from '../create-jira-client';

/** Every field of the site, system and custom (`GET /rest/api/3/field`). */
export function listFields(jira: JiraClient) {
  return jira.v3.issueFields.getFields();
}

export interface PriorityChoice {
  id: string;
  name: string;
  iconUrl?: string;
}

/** The site's priorities, in Jira's order. */
export async function listPriorities(jira: JiraClient): Promise<PriorityChoice[]> {
  const page = await jira.v3.issuePriorities.searchPriorities({ maxResults: 100 });
  return (page.values ?? [])
    .filter((p) => p.id)
    .map((p) => ({ id: String(p.id), name: p.name ?? String(p.id), ...(p.iconUrl ? { iconUrl: p.iconUrl } : {}) }));
}
