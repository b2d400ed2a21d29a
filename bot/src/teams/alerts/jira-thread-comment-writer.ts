import type { TurnContext } from 'botbuilder';
import { connectionOwner } from '../../connections/connection';
import type { ConnectionServices } from '../../connections/create-connection-services';
import { JiraError, JiraErrorCode } from '../../jira/jira-error';
import { addTextComment } from '../../jira/operations/comments';
import { sameSite } from '../../jira/site-url';
import type { ThreadCommentWriter } from './thread-replies-feature';
import { tenantIdOf } from '../conversation-scope';

/** A thread reply becomes a Jira comment by the person who wrote it, through their own connection (interactive). */
export function jiraThreadCommentWriter(connections: Pick<ConnectionServices, 'jiraFor'>): ThreadCommentWriter {
  return {
    async addComment(context: TurnContext, site, issueKey, text) {
      const { connection, jira } = await connections.jiraFor(connectionOwner(tenantIdOf(context.activity), context.activity.from));
      if (!sameSite(connection.siteUrl, site)) {
        throw new JiraError(JiraErrorCode.Rejected, { detail: `your Jira connection is to another site than ${site}.` });
      }
      return (await addTextComment(jira, issueKey, text)).id;
    },
  };
}
