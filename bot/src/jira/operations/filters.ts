import type { JiraClient } from '../create-jira-client';

export interface FilterChoice {
  id: string;
  name: string;
}

const FILTER_PAGE = 50;

/** Saved filters the user may see, by name (Jira's substring match; one page: a picker narrows by typing). */
export async function searchFilters(jira: JiraClient, options: { query?: string } = {}): Promise<FilterChoice[]> {
  const query = options.query?.trim();
  const page = await jira.v3.filters.getFiltersPaginated({ orderBy: 'name', maxResults: FILTER_PAGE, ...(query ? { filterName: query } : {}) });
  return (page.values ?? []).filter((f) => f.id !== undefined).map((f) => ({ id: String(f.id), name: f.name }));
}

/** One saved filter, if the user may see it (Jira answers 400 for one they may not). */
export async function getFilter(jira: JiraClient, id: string): Promise<FilterChoice> {
  const filter = await jira.v3.filters.getFilter({ id: Number(id) });
  return { id: String(filter.id ?? id), name: filter.name };
}
