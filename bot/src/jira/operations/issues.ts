import type { Version3 } from 'jira.js';
import type { JiraClient } from '../create-jira-client';
import { browseUrl } from '../site-url';

/** Jira's issue JSON as jira.js returns it; views map it (jira/views), features never read it directly. */
export type JiraIssueJson = Version3.Version3Models.Issue;

export interface IssueRef {
  key: string;
  summary: string;
  /** The issue in Jira's UI. */
  url: string;
}

/** One issue with the fields asked for (fewer fields cost fewer of Jira's points). */
export function getIssue(jira: JiraClient, key: string, options: { fields: string[]; expand?: string }): Promise<JiraIssueJson> {
  return jira.v3.issues.getIssue({ issueIdOrKey: key, fields: options.fields, ...(options.expand ? { expand: options.expand } : {}) });
}

/** Key, summary and browse link: enough to name an issue in a confirmation. */
export async function getIssueRef(jira: JiraClient, key: string): Promise<IssueRef> {
  const found = await getIssue(jira, key, { fields: ['summary'] });
  return { key: found.key, summary: String(found.fields?.summary ?? ''), url: browseUrl(jira.siteUrl, found.key) };
}

/** Creates an issue from fields already in Jira's shape (`project`, `issuetype`, `summary`, ...). */
export async function createIssue(jira: JiraClient, fields: Record<string, unknown>): Promise<{ id: string; key: string; url: string }> {
  const created = await jira.v3.issues.createIssue({ fields: fields as never });
  return { id: String(created.id), key: created.key, url: browseUrl(jira.siteUrl, created.key) };
}

/** Sets fields in Jira's shape (`priority: { id }`, a custom field id to a number, ...). */
export async function editIssue(jira: JiraClient, key: string, fields: Record<string, unknown>): Promise<void> {
  await jira.v3.issues.editIssue({ issueIdOrKey: key, fields });
}

/** Assigns (or, with null, unassigns); Jira checks Assign Issues on this endpoint, so a 403 names it. */
export async function assignIssue(jira: JiraClient, key: string, accountId: string | null): Promise<void> {
  await jira.v3.issues.assignIssue({ issueIdOrKey: key, accountId });
}

/**
 * Links the issue to a page outside Jira (the Teams message it came from). The global id makes a
 * retry update the same link instead of adding a second one.
 */
export async function linkRemotePage(jira: JiraClient, key: string, link: { url: string; title: string; application: { type: string; name: string } }): Promise<void> {
  await jira.v3.issueRemoteLinks.createOrUpdateRemoteIssueLink({
    issueIdOrKey: key,
    globalId: `teams-message=${link.url}`,
    application: link.application,
    object: { url: link.url, title: link.title },
  });
}
