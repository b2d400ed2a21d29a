import type { JiraClient } from '../jira/create-jira-client';
import { siteBase } from '../jira/site-url';
import type { Backlog } from './backlog';
import { BACKLOG_GONE, guardTab, jiraOfUser, openBacklog, requireMember, type BacklogParts } from './backlog-access';
import { publicBacklog } from './backlog-repository';
import { resolveBacklogSource, type BacklogPick } from './resolve-backlog-source';
import { orderBacklogJql } from './order-backlog-jql';
import { TabError } from './tab-error';
import type { TabUser } from './verify-tab-token';

/** A backlog's name and either its typed JQL or what was picked instead (resolveBacklogSource). */
export type BacklogInput = { name: string } & ({ jql: string; source?: undefined } | { source: Exclude<BacklogPick, { kind: 'jql' }>; jql?: undefined });

/** Creating, reading and changing a backlog's name and query; the JQL is checked by running it once. */
export function backlogDefinitions(parts: BacklogParts) {
  const { repository, hub, now, reader } = parts;
  const validateJql = (jira: JiraClient, jql: string) => guardTab(() => reader.search(jira, orderBacklogJql(jql), { maxResults: 1 }), { jql: true });
  /** The query and source of the input, checked by Jira as the user. */
  const queryOf = async (jira: JiraClient, input: BacklogInput) => {
    const resolved = await guardTab(() => resolveBacklogSource(jira, input.source ?? { kind: 'jql', jql: input.jql }));
    await validateJql(jira, resolved.jql);
    return resolved;
  };

  return {
    /** `conversationId`: the meeting chat, group chat or team the tab is in; the creator must be a member. */
    async createBacklog(user: TabUser, input: BacklogInput & { conversationId?: string }): Promise<Backlog> {
      if (input.conversationId) await requireMember(parts, user, input.conversationId);
      const { connection, jira } = await jiraOfUser(parts, user);
      const { jql, source } = await queryOf(jira, input);
      const backlog = await repository.create(
        {
          tenantId: user.owner.tenantId,
          name: input.name,
          jql,
          source,
          siteUrl: siteBase(connection.siteUrl),
          createdBy: user.name,
          createdByUserId: user.owner.userId,
          ...(input.conversationId ? { conversationId: input.conversationId } : {}),
        },
        now(),
      );
      return publicBacklog(backlog);
    },

    async getBacklog(user: TabUser, backlogId: string): Promise<Backlog> {
      return publicBacklog((await openBacklog(parts, user, backlogId)).backlog);
    },

    async updateBacklog(user: TabUser, backlogId: string, input: BacklogInput): Promise<Backlog> {
      const { jira } = await openBacklog(parts, user, backlogId);
      const { jql, source } = await queryOf(jira, input);
      const updated = await repository.update(user.owner.tenantId, backlogId, { name: input.name, jql, source }, now());
      if (!updated) throw new TabError('notFound', BACKLOG_GONE);
      hub.publish(backlogId, { event: 'backlog-changed', data: {} });
      return publicBacklog(updated);
    },
  };
}
