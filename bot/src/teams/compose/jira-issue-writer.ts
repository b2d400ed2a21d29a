import type { TurnContext } from 'botbuilder';
import type { ConnectionServices } from '../../connections/create-connection-services';
import { connectionOwner } from '../../connections/connection';
import { toIssueCardView } from '../../cards/issue-card-view';
import type { JiraClient } from '../../jira/create-jira-client';
import { isJiraError, JiraErrorCode } from '../../jira/jira-error';
import type { CreateMetaField } from '../../jira/fields/create-meta-field';
import { tenantIdOf } from '../conversation-scope';
import { ISSUE_CARD_FIELDS } from '../unfurl/jira-issue-service';
import type { IssueWriter } from './issue-writer';

const ISSUE_KEY = /^[A-Z][A-Z0-9_]+-[1-9]\d*$/;
const PAGE = 200;
const MAX_PAGES = 5;
const ISSUES_SHOWN = 20;

/** A JQL string literal: Jira reads backslash escapes inside double quotes. */
function jqlString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The IssueWriter over jira.js, acting as the user whose connection made `jira`; their account
 * id, when given, hides "Assign to me" on the card of an issue already theirs.
 */
export function jiraIssueWriter(jira: JiraClient, viewerAccountId?: string): IssueWriter {
  const browse = (key: string) => `${jira.siteUrl.replace(/\/$/, '')}/browse/${encodeURIComponent(key)}`;
  const issue = async (issueKey: string) => {
    const found = await jira.v3.issues.getIssue({ issueIdOrKey: issueKey, fields: ['summary'] });
    return { key: found.key, summary: String(found.fields?.summary ?? ''), url: browse(found.key) };
  };
  return {
    async projects(query) {
      const text = query?.trim();
      const page = await jira.v3.projects.searchProjects({ action: 'create', maxResults: 100, orderBy: 'name', ...(text ? { query: text } : {}) });
      return (page.values ?? []).map((p) => ({ key: p.key ?? '', name: p.name ?? p.key ?? '' })).filter((p) => p.key !== '');
    },

    async issueTypes(projectKey) {
      const page = await jira.v3.issues.getCreateIssueMetaIssueTypes({ projectIdOrKey: projectKey, maxResults: PAGE });
      const types = (page as { issueTypes?: unknown[]; createMetaIssueType?: unknown[] }).issueTypes ?? page.createMetaIssueType ?? [];
      return (types as Array<{ id?: string; name?: string; subtask?: boolean }>)
        .filter((t) => t.id)
        .map((t) => ({ id: String(t.id), name: t.name ?? String(t.id), subtask: t.subtask ?? false }));
    },

    async createMeta(projectKey, issueTypeId) {
      const fields: CreateMetaField[] = [];
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = await jira.v3.issues.getCreateIssueMetaIssueTypeId({
          projectIdOrKey: projectKey,
          issueTypeId,
          startAt: page * PAGE,
          maxResults: PAGE,
        });
        const batch = ((result as { fields?: unknown[] }).fields ?? result.results ?? []) as CreateMetaField[];
        fields.push(...batch);
        if (batch.length < PAGE || fields.length >= (result.total ?? 0)) break;
      }
      return fields;
    },

    async assignableUsers(projectKey, query) {
      const text = query?.trim();
      const users = await jira.v3.userSearch.findAssignableUsers({ project: projectKey, maxResults: 100, ...(text ? { query: text } : {}) });
      return users
        .filter((u) => u.accountId && u.active !== false)
        .map((u) => ({ accountId: u.accountId as string, displayName: u.displayName ?? (u.accountId as string) }));
    },

    async create(fields) {
      const created = await jira.v3.issues.createIssue({ fields: fields as never });
      return { id: String(created.id), key: created.key, url: browse(created.key) };
    },

    async addComment(issueKey, body) {
      const comment = await jira.v3.issueComments.addComment({ issueIdOrKey: issueKey, comment: body as never });
      const id = String(comment.id ?? '');
      return { id, url: id ? `${browse(issueKey)}?focusedCommentId=${encodeURIComponent(id)}` : browse(issueKey) };
    },

    async addRemoteLink(issueKey, link) {
      // A global id makes a retry update the same link instead of adding a second one.
      await jira.v3.issueRemoteLinks.createOrUpdateRemoteIssueLink({
        issueIdOrKey: issueKey,
        globalId: `teams-message=${link.url}`,
        application: { type: 'com.microsoft.teams', name: 'Microsoft Teams' },
        object: { url: link.url, title: link.title },
      });
    },

    async findIssues(query) {
      const text = query?.trim() ?? '';
      if (ISSUE_KEY.test(text.toUpperCase())) {
        try {
          const found = await issue(text.toUpperCase());
          return [{ key: found.key, summary: found.summary }];
        } catch (error) {
          if (isJiraError(error) && error.code === JiraErrorCode.NotFound) return [];
          throw error;
        }
      }
      const jql = text
        ? `text ~ ${jqlString(text)} ORDER BY updated DESC`
        : 'assignee = currentUser() OR reporter = currentUser() ORDER BY updated DESC';
      const result = await jira.v3.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql, maxResults: ISSUES_SHOWN, fields: ['summary'] });
      return (result.issues ?? []).map((i) => ({ key: i.key ?? '', summary: String(i.fields?.summary ?? '') })).filter((i) => i.key !== '');
    },

    issue,

    async issueView(issueKey) {
      const found = await jira.v3.issues.getIssue({ issueIdOrKey: issueKey, fields: ISSUE_CARD_FIELDS, expand: 'transitions' });
      return { view: toIssueCardView(found, jira.siteUrl), ...(viewerAccountId ? { viewerAccountId } : {}) };
    },
  };
}

/** `writerFor` for composeFeature: the IssueWriter of the user who sent the activity. */
export function issueWriterFor(connections: Pick<ConnectionServices, 'jiraFor'>) {
  return async (context: TurnContext): Promise<IssueWriter> => {
    const owner = connectionOwner(tenantIdOf(context.activity), context.activity.from);
    const { connection, jira } = await connections.jiraFor(owner);
    return jiraIssueWriter(jira, connection.accountId);
  };
}
