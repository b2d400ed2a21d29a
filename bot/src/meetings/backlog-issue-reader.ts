import type { JiraClient } from '../jira/create-jira-client';
import { JiraError, JiraErrorCode } from '../jira/jira-error';
import { jqlString } from '../jira/jql-string';
import { getIssue } from '../jira/operations/issues';
import { searchIssues } from '../jira/operations/search';
import type { BacklogIssue } from './backlog';
import type { StoredBacklog } from './backlog-repository';
import type { SiteFieldsOf } from './site-fields-cache';
import { splitJqlOrderBy } from './split-jql-order-by';
import { toBacklogIssue } from './to-backlog-issue';
import { ORIGINAL_ESTIMATE, estimateFieldIds, projectOfKey, type EstimateField, type EstimateFieldOf } from './estimation/estimate-field-cache';
import { jqlProjectKey } from './jql-project-key';

const BASE_FIELDS = ['summary', 'issuetype', 'status', 'priority', 'assignee', 'updated'];

export interface BacklogIssueReader {
  /** One page of a JQL search as the tab's rows. */
  search(jira: JiraClient, jql: string, page: { maxResults: number; nextPageToken?: string }): Promise<{ issues: BacklogIssue[]; nextPageToken?: string }>;
  /** The issue as it is now, whether or not it still matches the backlog (after an edit it may not). */
  fetchIssue(jira: JiraClient, key: string): Promise<BacklogIssue>;
  /** The issue if the backlog's JQL (without its order) matches it for this user, else undefined. */
  matchIssue(jira: JiraClient, backlog: StoredBacklog, key: string): Promise<BacklogIssue | undefined>;
  /** The field the issue's estimate is read from, and so the one edits and accepted rounds write. */
  estimateField(jira: JiraClient, key: string): Promise<EstimateField | null>;
  /** The same, asked of Jira again (a write found the board estimating with another field). */
  refreshEstimateField(jira: JiraClient, key: string): Promise<EstimateField | null>;
}

type JiraIssue = { id?: string; key?: string; fields?: Record<string, unknown> };

/**
 * Reads backlog rows from Jira with each issue's estimate (its project's field, estimateField)
 * and the site's rank field included.
 */
export function backlogIssueReader(fieldsOf: SiteFieldsOf, estimateOf: EstimateFieldOf): BacklogIssueReader {
  const toIssue = (jira: JiraClient, rankId: string | null, estimates: Map<string, EstimateField | null>) => (issue: JiraIssue) =>
    toBacklogIssue(issue, jira.siteUrl, { estimate: estimates.get(projectOfKey(String(issue.key)))?.id, rank: rankId });

  /**
   * A project's field, or the site's story point field when its boards cannot be asked: a list
   * still shows, and an edit writes the field the row shows. Reads and writes take it here alone.
   */
  const fieldFor = (jira: JiraClient, project: string) => estimateOf(jira, project).catch(async () => (await fieldsOf(jira)).estimate);

  const search: BacklogIssueReader['search'] = async (jira, jql, page) => {
    // The projects of the rows are known only from the answer: the query's own project is looked up
    // alongside the search, and every field a project might estimate with is asked for at once.
    const guessed = jqlProjectKey(jql);
    if (guessed) void estimateOf(jira, guessed).catch(() => undefined);
    const fields = await fieldsOf(jira);
    const candidates = new Set([...fields.storyPointIds, ORIGINAL_ESTIMATE, ...estimateOf.known(jira)]);
    const wanted = [...BASE_FIELDS, ...[...candidates].flatMap(estimateFieldIds), ...(fields.rankId ? [fields.rankId] : [])];
    const result = await searchIssues(jira, { jql, maxResults: page.maxResults, fields: wanted, nextPageToken: page.nextPageToken, method: 'POST' });
    const projects = [...new Set(result.issues.map((issue) => projectOfKey(String(issue.key))))];
    const estimates = new Map(await Promise.all(projects.map(async (project) => [project, await fieldFor(jira, project)] as const)));
    const issues = result.issues as JiraIssue[];
    await readMissing(jira, issues, estimates, candidates);
    return { issues: issues.map(toIssue(jira, fields.rankId, estimates)), nextPageToken: result.nextPageToken };
  };

  return {
    search,
    async fetchIssue(jira, key) {
      const [fields, field] = await Promise.all([fieldsOf(jira), fieldFor(jira, projectOfKey(key))]);
      const wanted = [...BASE_FIELDS, ...(field ? estimateFieldIds(field.id) : []), ...(fields.rankId ? [fields.rankId] : [])];
      return toIssue(jira, fields.rankId, new Map([[projectOfKey(key), field]]))(await getIssue(jira, key, { fields: wanted }));
    },
    async matchIssue(jira, backlog, key) {
      const { where } = splitJqlOrderBy(backlog.jql);
      const jql = where ? `(${where}) AND key = ${jqlString(key)}` : `key = ${jqlString(key)}`;
      try {
        return (await search(jira, jql, { maxResults: 1 })).issues[0];
      } catch (error) {
        // Jira refuses `key = X` for a key it does not know (or one the caller may not see) with a 400.
        if (error instanceof JiraError && error.code === JiraErrorCode.BadRequest) return undefined;
        throw error;
      }
    },
    estimateField: (jira, key) => fieldFor(jira, projectOfKey(key)),
    refreshEstimateField: (jira, key) => estimateOf.refresh(jira, projectOfKey(key)),
  };
}

/**
 * A board estimating with a field the search did not ask for (neither a story point field nor one
 * seen before on the site): those issues' values are read in one more search, once per new field.
 */
async function readMissing(jira: JiraClient, issues: JiraIssue[], estimates: Map<string, EstimateField | null>, asked: Set<string>): Promise<void> {
  const missing = new Set([...estimates.values()].filter((field): field is EstimateField => !!field && !asked.has(field.id)).map((field) => field.id));
  if (missing.size === 0) return;
  const keys = issues.filter((issue) => missing.has(estimates.get(projectOfKey(String(issue.key)))?.id ?? '')).map((issue) => String(issue.key));
  const extra = await searchIssues(jira, {
    jql: `key in (${keys.map(jqlString).join(', ')})`,
    maxResults: keys.length,
    fields: [...missing].flatMap(estimateFieldIds),
    method: 'POST',
  });
  const byKey = new Map(extra.issues.map((issue) => [issue.key, issue.fields ?? {}]));
  for (const issue of issues) issue.fields = { ...issue.fields, ...byKey.get(String(issue.key)) };
}
