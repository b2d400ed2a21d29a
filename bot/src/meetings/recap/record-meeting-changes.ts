import type { BacklogIssue } from '../backlog';
import type { BacklogRepository } from '../backlog-repository';
import type { BacklogService } from '../backlog-service';
import type { TabUser } from '../verify-tab-token';
import type { MeetingChange, MeetingChangeLog } from './meeting-change-log';

type Change = Omit<MeetingChange, 'at'>;

/**
 * The backlog service, with each change made through it written to its conversation's change
 * log for the meeting recap. A backlog bound to no conversation has no meeting to recap. A failed
 * write costs the recap a line, never the edit.
 */
export function recordMeetingChanges(service: BacklogService, deps: { repository: BacklogRepository; log: MeetingChangeLog }): BacklogService {
  const note = async (user: TabUser, backlogId: string, changes: Change[]) => {
    try {
      const conversationId = (await deps.repository.get(user.owner.tenantId, backlogId))?.conversationId;
      if (conversationId) for (const change of changes) await deps.log.record(conversationId, change);
    } catch {
      // The recap misses this change; the edit itself is done.
    }
  };
  const about = (issue: BacklogIssue, user: TabUser) => ({ key: issue.key, summary: issue.summary, url: issue.url, by: user.name });

  return {
    ...service,
    async editIssue(user, backlogId, key, edit) {
      const issue = await service.editIssue(user, backlogId, key, edit);
      const changes: Change[] = [];
      if (typeof edit.estimate === 'number') changes.push({ kind: 'estimated', ...about(issue, user), detail: String(edit.estimate) });
      if (edit.assigneeAccountId !== undefined) changes.push({ kind: 'assigned', ...about(issue, user), detail: issue.assignee?.displayName ?? 'Unassigned' });
      await note(user, backlogId, changes);
      return issue;
    },
    async transitionIssue(user, backlogId, key, transitionId) {
      const issue = await service.transitionIssue(user, backlogId, key, transitionId);
      await note(user, backlogId, [{ kind: 'transitioned', ...about(issue, user), detail: issue.status.name }]);
      return issue;
    },
    async rankIssues(user, backlogId, request) {
      const issues = await service.rankIssues(user, backlogId, request);
      await note(
        user,
        backlogId,
        issues.map((issue) => ({ kind: 'ranked', ...about(issue, user) })),
      );
      return issues;
    },
    async createIssue(user, backlogId, input) {
      const issue = await service.createIssue(user, backlogId, input);
      await note(user, backlogId, [{ kind: 'created', ...about(issue, user) }]);
      return issue;
    },
  };
}
