import type { Connection } from '../connections/connection';
import type { ConnectionServices } from '../connections/create-connection-services';
import type { JiraClient } from '../jira/create-jira-client';
import { JiraError, JiraErrorCode } from '../jira/jira-error';
import type { AssignableUser, Backlog, BacklogIssue, BacklogOptions, BacklogTransition } from './backlog';
import { publicBacklog, type BacklogRepository, type StoredBacklog } from './backlog-repository';
import { findSiteFields, type SiteFields } from './find-site-fields';
import { siteKey, type MeetingHub } from './meeting-hub';
import { orderBacklogJql } from './order-backlog-jql';
import { splitJqlOrderBy } from './split-jql-order-by';
import { TabError, toTabError } from './tab-error';
import { toBacklogIssue } from './to-backlog-issue';
import type { TabUser } from './verify-tab-token';

export interface BacklogServiceDeps {
  repository: BacklogRepository;
  connections: Pick<ConnectionServices, 'jiraFor'>;
  hub: MeetingHub;
  now?: () => Date;
  /** How long a site's field list (estimate and rank field ids) is reused. */
  fieldsTtlMs?: number;
}

export interface IssueEdit {
  priorityId?: string;
  estimate?: number | null;
  assigneeAccountId?: string | null;
}

export interface RankRequest {
  keys: string[];
  before?: string;
  after?: string;
}

export interface NewIssue {
  projectKey: string;
  issueTypeId: string;
  summary: string;
}

export type BacklogService = ReturnType<typeof backlogService>;

const BASE_FIELDS = ['summary', 'issuetype', 'status', 'priority', 'assignee', 'updated'];
const FIELDS_TTL_MS = 10 * 60_000;
const PROJECT_PAGES = 5;

/** A JQL string literal: Jira reads backslash escapes inside double quotes. */
const jqlString = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The grooming tab's work: backlogs in the Store, issues from Jira as the signed-in attendee
 * (their own connection, so their own permissions), every change told to the meeting hub.
 * Every failure leaves as a TabError (docs/tab-api.md's codes) or as an unknown error.
 */
export function backlogService(deps: BacklogServiceDeps) {
  const { repository, connections, hub } = deps;
  const now = deps.now ?? (() => new Date());
  const fieldsTtlMs = deps.fieldsTtlMs ?? FIELDS_TTL_MS;
  const siteFields = new Map<string, { at: number; fields: Promise<SiteFields> }>();

  const guard = async <T>(work: () => Promise<T>, context: { jql?: boolean } = {}): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw toTabError(error, context) ?? error;
    }
  };

  const jiraOf = (user: TabUser) => guard(() => connections.jiraFor(user.owner));

  /** The backlog, in the caller's tenant, on the site the caller is connected to. */
  const open = async (user: TabUser, backlogId: string): Promise<{ backlog: StoredBacklog; jira: JiraClient; connection: Connection }> => {
    const backlog = await repository.get(user.owner.tenantId, backlogId);
    if (!backlog) throw new TabError('notFound', 'This backlog no longer exists. Set up the tab again to pick a new query.');
    const { connection, jira } = await jiraOf(user);
    if (siteKey(connection.siteUrl) !== siteKey(backlog.siteUrl)) {
      throw new TabError(
        'otherSite',
        `This backlog is on the Jira site ${hostOf(backlog.siteUrl)}, but your Jira account is connected to ${hostOf(connection.siteUrl)}. ` +
          'To use it, open the Jira app\'s personal chat in Teams, send "disconnect", then "connect" to that site.',
      );
    }
    return { backlog, jira, connection };
  };

  const fieldsOf = (jira: JiraClient): Promise<SiteFields> => {
    const key = siteKey(jira.siteUrl);
    const cached = siteFields.get(key);
    if (cached && Date.now() - cached.at < fieldsTtlMs) return cached.fields;
    const fields = jira.v3.issueFields.getFields().then((all) => findSiteFields(all));
    siteFields.set(key, { at: Date.now(), fields });
    fields.catch(() => siteFields.delete(key));
    return fields;
  };

  const fieldList = (fields: SiteFields) => [...BASE_FIELDS, ...(fields.estimate ? [fields.estimate.id] : []), ...(fields.rankId ? [fields.rankId] : [])];
  const toIssue = (jira: JiraClient, fields: SiteFields) => (issue: { id?: string; key?: string; fields?: object }) =>
    toBacklogIssue(issue as never, jira.siteUrl, { estimate: fields.estimate?.id, rank: fields.rankId });

  const search = async (jira: JiraClient, jql: string, page: { maxResults: number; nextPageToken?: string }) => {
    const fields = await fieldsOf(jira);
    const result = await jira.v3.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({
      jql,
      maxResults: page.maxResults,
      fields: fieldList(fields),
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    });
    return {
      issues: (result.issues ?? []).map(toIssue(jira, fields)),
      // Jira's answer has `isLast` too (jira.js does not type it); a token on the last page leads nowhere.
      nextPageToken: (result as { isLast?: boolean }).isLast === true ? undefined : result.nextPageToken || undefined,
    };
  };

  /** The issue as it is now, whether or not it still matches the backlog (after an edit it may not). */
  const fetchIssue = async (jira: JiraClient, key: string): Promise<BacklogIssue> => {
    const fields = await fieldsOf(jira);
    const issue = await jira.v3.issues.getIssue({ issueIdOrKey: key, fields: fieldList(fields) });
    return toIssue(jira, fields)(issue);
  };

  /** The issue if the backlog's JQL (without its order) matches it for this user, else undefined. */
  const matchIssue = async (jira: JiraClient, backlog: StoredBacklog, key: string): Promise<BacklogIssue | undefined> => {
    const { where } = splitJqlOrderBy(backlog.jql);
    const jql = where ? `(${where}) AND key = ${jqlString(key)}` : `key = ${jqlString(key)}`;
    try {
      return (await search(jira, jql, { maxResults: 1 })).issues[0];
    } catch (error) {
      // Jira refuses `key = X` for a key it does not know (or one the caller may not see) with a 400.
      if (error instanceof JiraError && error.code === JiraErrorCode.BadRequest) return undefined;
      throw error;
    }
  };

  const validateJql = (jira: JiraClient, jql: string) =>
    guard(() => search(jira, orderBacklogJql(jql), { maxResults: 1 }), { jql: true });

  const changed = (backlog: StoredBacklog, user: TabUser, key: string) =>
    hub.issueChanged(backlog.siteUrl, key, { by: user.name, alsoTo: backlog.id });

  return {
    async createBacklog(user: TabUser, input: { name: string; jql: string }): Promise<Backlog> {
      const { connection, jira } = await jiraOf(user);
      await validateJql(jira, input.jql);
      const backlog = await repository.create(
        {
          tenantId: user.owner.tenantId,
          name: input.name,
          jql: input.jql,
          siteUrl: connection.siteUrl.replace(/\/+$/, ''),
          createdBy: user.name,
          createdByUserId: user.owner.userId,
        },
        now(),
      );
      return publicBacklog(backlog);
    },

    async getBacklog(user: TabUser, backlogId: string): Promise<Backlog> {
      return publicBacklog((await open(user, backlogId)).backlog);
    },

    async updateBacklog(user: TabUser, backlogId: string, input: { name: string; jql: string }): Promise<Backlog> {
      const { jira } = await open(user, backlogId);
      await validateJql(jira, input.jql);
      const updated = await repository.update(user.owner.tenantId, backlogId, input, now());
      if (!updated) throw new TabError('notFound', 'This backlog no longer exists. Set up the tab again to pick a new query.');
      hub.publish(backlogId, { event: 'backlog-changed', data: {} });
      return publicBacklog(updated);
    },

    async listIssues(user: TabUser, backlogId: string, page: { pageSize: number; pageToken?: string }) {
      const { backlog, jira } = await open(user, backlogId);
      const result = await guard(() => search(jira, orderBacklogJql(backlog.jql), { maxResults: page.pageSize, nextPageToken: page.pageToken }), { jql: true });
      hub.noteShown(backlogId, backlog.siteUrl, result.issues.map((i) => i.key));
      return result.nextPageToken ? result : { issues: result.issues };
    },

    /** One issue of the backlog: 404 when it no longer matches the JQL or the caller may not see it. */
    async getIssue(user: TabUser, backlogId: string, key: string): Promise<BacklogIssue> {
      const { backlog, jira } = await open(user, backlogId);
      let found: BacklogIssue | undefined;
      try {
        found = await matchIssue(jira, backlog, key);
      } catch (error) {
        throw toTabError(error, { jql: true }) ?? error;
      }
      if (!found) throw new TabError('notFound', `${key} is not in this backlog, or you do not have access to it.`);
      hub.noteShown(backlogId, backlog.siteUrl, [found.key]);
      return found;
    },

    /**
     * An issue was created in Jira (alert intake): open backlogs on that site that it matches get
     * `issue-created`. Each is asked once, as one of its panels' users, in the background; a
     * backlog that already showed the key (the tab created it) is not asked.
     */
    async announceCreated(siteUrl: string, key: string): Promise<void> {
      for (const open of hub.openBacklogs(siteUrl, key)) {
        if (open.showed) continue;
        try {
          const backlog = await repository.get(open.user.owner.tenantId, open.backlogId);
          if (!backlog) continue;
          const { connection, jira } = await connections.jiraFor(open.user.owner, { priority: 'background' });
          if (siteKey(connection.siteUrl) !== siteKey(backlog.siteUrl)) continue;
          const found = await matchIssue(jira, backlog, key);
          if (!found) continue;
          hub.noteShown(backlog.id, backlog.siteUrl, [found.key]);
          hub.publish(backlog.id, { event: 'issue-created', data: { key: found.key } });
        } catch {
          // That panel's user lost their connection or access; the panels still reload on their next event.
        }
      }
    },

    async options(user: TabUser, backlogId: string): Promise<BacklogOptions> {
      const { jira, connection } = await open(user, backlogId);
      return guard(async () => {
        const [fields, priorities, projects] = await Promise.all([
          fieldsOf(jira),
          jira.v3.issuePriorities.searchPriorities({ maxResults: 100 }),
          creatableProjects(jira),
        ]);
        return {
          me: { accountId: connection.accountId, displayName: connection.displayName },
          priorities: (priorities.values ?? [])
            .filter((p) => p.id)
            .map((p) => ({ id: String(p.id), name: p.name ?? String(p.id), ...(p.iconUrl ? { iconUrl: p.iconUrl } : {}) })),
          estimateField: fields.estimate,
          projects,
        };
      });
    },

    async transitions(user: TabUser, backlogId: string, key: string): Promise<BacklogTransition[]> {
      const { jira } = await open(user, backlogId);
      return guard(async () => {
        const result = await jira.v3.issues.getTransitions({ issueIdOrKey: key });
        return (result.transitions ?? [])
          .filter((t) => t.id)
          .map((t) => {
            const category = t.to?.statusCategory?.key;
            return {
              id: String(t.id),
              name: t.name ?? String(t.id),
              to: { name: t.to?.name ?? '', category: category === 'indeterminate' || category === 'done' ? category : 'new' },
            };
          });
      });
    },

    async assignable(user: TabUser, backlogId: string, input: { issueKey: string; query?: string }): Promise<AssignableUser[]> {
      const { jira } = await open(user, backlogId);
      return guard(async () => {
        const users = await jira.v3.userSearch.findAssignableUsers({ issueKey: input.issueKey, maxResults: 50, ...(input.query ? { query: input.query } : {}) });
        return users
          .filter((u) => u.accountId && u.active !== false)
          .map((u) => {
            const avatarUrl = u.avatarUrls?.['48x48'] ?? u.avatarUrls?.['32x32'];
            return { accountId: u.accountId, displayName: u.displayName ?? u.accountId, ...(avatarUrl ? { avatarUrl } : {}) };
          });
      });
    },

    async editIssue(user: TabUser, backlogId: string, key: string, edit: IssueEdit): Promise<BacklogIssue> {
      const { backlog, jira } = await open(user, backlogId);
      const issue = await guard(async () => {
        const fields: Record<string, unknown> = {};
        if (edit.priorityId !== undefined) fields.priority = { id: edit.priorityId };
        if (edit.estimate !== undefined) {
          const estimate = (await fieldsOf(jira)).estimate;
          if (!estimate) throw new TabError('badRequest', 'This Jira site has no story point field ("Story point estimate" or "Story Points"), so there is no estimate to set.');
          fields[estimate.id] = edit.estimate;
        }
        if (Object.keys(fields).length > 0) await jira.v3.issues.editIssue({ issueIdOrKey: key, fields });
        // Assigning has its own permission (Assign Issues) and endpoint, so a 403 names the right one.
        if (edit.assigneeAccountId !== undefined) await jira.v3.issues.assignIssue({ issueIdOrKey: key, accountId: edit.assigneeAccountId });
        return fetchIssue(jira, key);
      });
      changed(backlog, user, issue.key);
      return issue;
    },

    async transitionIssue(user: TabUser, backlogId: string, key: string, transitionId: string): Promise<BacklogIssue> {
      const { backlog, jira } = await open(user, backlogId);
      const issue = await guard(async () => {
        await jira.v3.issues.doTransition({ issueIdOrKey: key, transition: { id: transitionId } });
        return fetchIssue(jira, key);
      });
      changed(backlog, user, issue.key);
      return issue;
    },

    async rankIssues(user: TabUser, backlogId: string, request: RankRequest): Promise<BacklogIssue[]> {
      const { backlog, jira } = await open(user, backlogId);
      const issues = await guard(async () => {
        const answer = await jira.agile.issue.rankIssues<{ entries?: Array<{ issueKey?: string; status?: number; errors?: string[] }> } | undefined>({
          issues: request.keys,
          ...(request.before ? { rankBeforeIssue: request.before } : { rankAfterIssue: request.after }),
        });
        // 207: each issue succeeded or failed on its own; one refusal fails the request, naming it.
        const failed = (answer?.entries ?? []).find((e) => (e.status ?? 200) >= 300);
        if (failed) throw rankFailure(failed);
        const keys = request.keys.map(jqlString).join(', ');
        return (await search(jira, `key in (${keys}) ORDER BY Rank ASC`, { maxResults: request.keys.length })).issues;
      });
      hub.publish(backlogId, { event: 'ranked', data: { keys: issues.map((i) => i.key), by: user.name } });
      hub.noteShown(backlogId, backlog.siteUrl, issues.map((i) => i.key));
      return issues;
    },

    async createIssue(user: TabUser, backlogId: string, input: NewIssue): Promise<BacklogIssue> {
      const { backlog, jira } = await open(user, backlogId);
      const issue = await guard(async () => {
        const created = await jira.v3.issues.createIssue({
          fields: { project: { key: input.projectKey }, issuetype: { id: input.issueTypeId }, summary: input.summary } as never,
        });
        return fetchIssue(jira, created.key);
      });
      // Noted as shown, so Jira's own announcement of this creation does not ask Jira again.
      hub.noteShown(backlogId, backlog.siteUrl, [issue.key]);
      hub.publish(backlogId, { event: 'issue-created', data: { key: issue.key, by: user.name } });
      return issue;
    },
  };
}

async function creatableProjects(jira: JiraClient): Promise<BacklogOptions['projects']> {
  const projects: BacklogOptions['projects'] = [];
  for (let page = 0; page < PROJECT_PAGES; page++) {
    const result = await jira.v3.projects.searchProjects({ action: 'create', expand: 'issueTypes', orderBy: 'name', startAt: page * 100, maxResults: 100 });
    for (const p of result.values ?? []) {
      if (!p.key) continue;
      const issueTypes = (p.issueTypes ?? []).filter((t) => t.id && !t.subtask).map((t) => ({ id: String(t.id), name: t.name ?? String(t.id) }));
      projects.push({ key: p.key, name: p.name ?? p.key, issueTypes });
    }
    if (result.isLast !== false) break;
  }
  return projects;
}

function rankFailure(entry: { issueKey?: string; status?: number; errors?: string[] }): TabError {
  const text = (entry.errors ?? []).join(' ');
  if (entry.status === 403) {
    return new TabError('forbidden', `You need the "Schedule Issues" permission to rank ${entry.issueKey ?? 'this issue'}. Ask a Jira admin to grant it.`);
  }
  if (entry.status === 404) return new TabError('notFound', `Jira could not find ${entry.issueKey ?? 'an issue'}, or you do not have access to it.`);
  return new TabError('badRequest', `Jira did not rank ${entry.issueKey ?? 'an issue'}${text ? `: ${text}` : '.'}`);
}

function hostOf(siteUrl: string): string {
  try {
    return new URL(siteUrl).host;
  } catch {
    return siteUrl;
  }
}
