import { searchCreatableProjectsWithTypes } from '../jira/operations/projects';
import { listPriorities } from '../jira/operations/fields';
import { listTransitions } from '../jira/operations/transitions';
import { findAssignableUsers } from '../jira/operations/users';
import type { AssignableUser, BacklogOptions, BacklogTransition } from './backlog';
import { guardTab, openBacklog, type BacklogParts } from './backlog-access';
import type { TabUser } from './verify-tab-token';

const PROJECT_PAGES = 5;

/** What the tab's pickers offer: priorities, estimate field, projects, transitions, assignees. */
export function backlogChoices(parts: BacklogParts) {
  return {
    async options(user: TabUser, backlogId: string): Promise<BacklogOptions> {
      const { jira, connection } = await openBacklog(parts, user, backlogId);
      return guardTab(async () => {
        const [fields, priorities, projects] = await Promise.all([parts.fieldsOf(jira), listPriorities(jira), searchCreatableProjectsWithTypes(jira, { maxPages: PROJECT_PAGES })]);
        return { me: { accountId: connection.accountId, displayName: connection.displayName }, priorities, estimateField: fields.estimate, projects };
      });
    },

    async transitions(user: TabUser, backlogId: string, key: string): Promise<BacklogTransition[]> {
      const { jira } = await openBacklog(parts, user, backlogId);
      return guardTab(() => listTransitions(jira, key));
    },

    async assignable(user: TabUser, backlogId: string, input: { issueKey: string; query?: string }): Promise<AssignableUser[]> {
      const { jira } = await openBacklog(parts, user, backlogId);
      return guardTab(() => findAssignableUsers(jira, { issueKey: input.issueKey }, { query: input.query, maxResults: 50 }));
    },
  };
}
