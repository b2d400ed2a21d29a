import { rankIssues, type RankEntry } from '../jira/operations/agile';
import { assignIssue, createIssue, editIssue } from '../jira/operations/issues';
import { transitionIssue } from '../jira/operations/transitions';
import { jqlString } from '../jira/jql-string';
import type { BacklogIssue } from './backlog';
import { announceIssue } from './announce-issue';
import { writeEstimate } from './estimation/write-estimate';
import { guardTab, openBacklog, type BacklogParts } from './backlog-access';
import type { StoredBacklog } from './backlog-repository';
import { TabError } from './tab-error';
import type { TabUser } from './verify-tab-token';

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

/** Changes to issues made from the tab, each told to the meeting's other panels. */
export function backlogEdits(parts: BacklogParts) {
  const { hub, reader } = parts;
  const changed = (backlog: StoredBacklog, user: TabUser, issue: BacklogIssue) => {
    // The editor's Jira just returned the issue: they may see it.
    hub.noteShown(backlog.id, backlog.siteUrl, [issue.key], user);
    hub.issueChanged(backlog.siteUrl, issue.key, { by: user.name, alsoTo: backlog.id, updated: issue.updated });
  };

  return {
    async editIssue(user: TabUser, backlogId: string, key: string, edit: IssueEdit): Promise<BacklogIssue> {
      const { backlog, jira } = await openBacklog(parts, user, backlogId);
      const issue = await guardTab(async () => {
        if (edit.priorityId !== undefined) await editIssue(jira, key, { priority: { id: edit.priorityId } });
        // The field the row shows and rounds write (its board's), which may be time tracking: not one edit with the priority.
        if (edit.estimate !== undefined) await writeEstimate(jira, key, edit.estimate, reader);
        // Assigning has its own permission (Assign Issues) and endpoint, so a 403 names the right one.
        if (edit.assigneeAccountId !== undefined) await assignIssue(jira, key, edit.assigneeAccountId);
        return reader.fetchIssue(jira, key);
      });
      changed(backlog, user, issue);
      return issue;
    },

    async transitionIssue(user: TabUser, backlogId: string, key: string, transitionId: string): Promise<BacklogIssue> {
      const { backlog, jira } = await openBacklog(parts, user, backlogId);
      const issue = await guardTab(async () => {
        await transitionIssue(jira, key, transitionId);
        return reader.fetchIssue(jira, key);
      });
      changed(backlog, user, issue);
      return issue;
    },

    async rankIssues(user: TabUser, backlogId: string, request: RankRequest): Promise<BacklogIssue[]> {
      const { backlog, jira } = await openBacklog(parts, user, backlogId);
      const issues = await guardTab(async () => {
        const entries = await rankIssues(jira, request.keys, request);
        // 207: each issue succeeded or failed on its own; one refusal fails the request, naming it.
        const failed = entries.find((e) => (e.status ?? 200) >= 300);
        if (failed) throw rankFailure(failed);
        const keys = request.keys.map(jqlString).join(', ');
        return (await reader.search(jira, `key in (${keys}) ORDER BY Rank ASC`, { maxResults: request.keys.length })).issues;
      });
      hub.noteShown(
        backlogId,
        backlog.siteUrl,
        issues.map((i) => i.key),
        user,
      );
      // Jira's webhooks about the rank change (changelog field "Rank") only repeat this event.
      const changed = { siteUrl: backlog.siteUrl, issues: issues.map(({ key, updated }) => ({ key, updated })) };
      hub.publish(backlogId, { event: 'ranked', data: { keys: issues.map((i) => i.key), by: user.name } }, { changed });
      return issues;
    },

    async createIssue(user: TabUser, backlogId: string, input: NewIssue): Promise<BacklogIssue> {
      const { backlog, jira } = await openBacklog(parts, user, backlogId);
      const issue = await guardTab(async () => {
        const created = await createIssue(jira, { project: { key: input.projectKey }, issuetype: { id: input.issueTypeId }, summary: input.summary });
        return reader.fetchIssue(jira, created.key);
      });
      // Noted as shown, so Jira's own announcement of this creation does not ask Jira again.
      hub.noteShown(backlogId, backlog.siteUrl, [issue.key], user);
      // Jira's webhook about the creation only repeats this event and the announcements below.
      const changed = { siteUrl: backlog.siteUrl, issues: [{ key: issue.key, updated: issue.updated }] };
      hub.publish(backlogId, { event: 'issue-created', data: { key: issue.key, by: user.name } }, { to: [user], changed });
      // The other panels' users, each as themselves, in the background.
      const viewers = hub.openBacklogs(backlog.siteUrl).find((open) => open.backlogId === backlogId)?.users ?? [];
      void announceIssue(parts, backlog, issue.key, viewers, user.name);
      return issue;
    },
  };
}

function rankFailure(entry: RankEntry): TabError {
  const text = (entry.errors ?? []).join(' ');
  if (entry.status === 403) {
    return new TabError('forbidden', `You need the "Schedule Issues" permission to rank ${entry.issueKey ?? 'this issue'}. Ask a Jira admin to grant it.`);
  }
  if (entry.status === 404) return new TabError('notFound', `Jira could not find ${entry.issueKey ?? 'an issue'}, or you do not have access to it.`);
  return new TabError('badRequest', `Jira did not rank ${entry.issueKey ?? 'an issue'}${text ? `: ${text}` : '.'}`);
}
