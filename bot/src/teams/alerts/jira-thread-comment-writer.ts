import type { TurnContext } from 'botbuilder';
import { connectionOwner } from '../../connections/connection';
import type { ConnectionServices } from '../../connections/create-connection-services';
import { JiraError, JiraErrorCode } from '../../jira/jira-error';
import type { ThreadCommentWriter } from './thread-replies-feature';
import { tenantIdOf } from '../conversation-scope';

const sameSite = (a: string, b: string) => a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();

/** Plain text as ADF, one paragraph per line. */
const plainTextDocument = (text: string) => ({
  type: 'doc' as const,
  version: 1 as const,
  content: text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => ({ type: 'paragraph' as const, content: line ? [{ type: 'text' as const, text: line }] : [] })),
});

/** A thread reply becomes a Jira comment by the person who wrote it, through their own connection (interactive). */
export function jiraThreadCommentWriter(connections: Pick<ConnectionServices, 'jiraFor'>): ThreadCommentWriter {
  return {
    async addComment(context: TurnContext, site, issueKey, text) {
      const { connection, jira } = await connections.jiraFor(connectionOwner(tenantIdOf(context.activity), context.activity.from));
      if (!sameSite(connection.siteUrl, site)) {
        throw new JiraError(JiraErrorCode.Rejected, { detail: `your Jira connection is to another site than ${site}.` });
      }
      const comment = await jira.v3.issueComments.addComment({ issueIdOrKey: issueKey, comment: plainTextDocument(text) });
      return String(comment.id ?? '');
    },
  };
}
