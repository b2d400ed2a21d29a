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

/**
 * The site's priorities, in Jira's order. `GET /rest/api/3/priority` needs only read:jira-work;
 * `/priority/search` needs manage:jira-configuration, a scope the app does not (and should not)
 * request, so OAuth connections could not load the list.
 */
export async function listPriorities(jira: JiraClient): Promise<PriorityChoice[]> {
  const priorities = await jira.v3.issuePriorities.getPriorities();
  return (priorities ?? []).filter((p) => p.id).map((p) => ({ id: String(p.id), name: p.name ?? String(p.id), ...(p.iconUrl ? { iconUrl: p.iconUrl } : {}) }));
}
