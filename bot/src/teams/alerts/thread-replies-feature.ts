import type { TurnContext } from 'botbuilder';
import type { AlertThreads } from '../../alerts/alert-threads';
import type { Logger } from '../../log/create-logger';
import { commandText } from '../command-text';
import { describeFailure } from '../../connections/describe-failure';
import type { TeamsFeature } from '../teams-feature';

/**
 * Adds a comment to a Jira issue as the Teams user who wrote it, through that user's own Jira
 * connection; rejects with ConnectionError (not connected) or JiraError. The lead wires it to
 * the connection services and the Jira client (`POST /rest/api/3/issue/{key}/comment`, ADF).
 */
export interface ThreadCommentWriter {
  /** Resolves the new comment's id. */
  addComment(context: TurnContext, site: string, issueKey: string, text: string): Promise<string>;
}

const MAX_COMMENT = 4000;

/**
 * Two-way threads, Teams -> Jira: a reply (mentioning the bot) in the thread of an alert card
 * whose subscription has two-way threads on becomes a Jira comment by the replying user.
 * Register it after the command features, so `help` in a thread stays a command.
 */
export function threadRepliesFeature(deps: { threads: AlertThreads; comments: ThreadCommentWriter; logger: Logger }): TeamsFeature {
  const rootOf = (context: TurnContext) => {
    const [conversationId, suffix] = (context.activity.conversation?.id ?? '').split(';messageid=');
    return suffix ? { conversationId, rootId: suffix } : undefined;
  };
  const threadOf = async (context: TurnContext) => {
    const root = rootOf(context);
    if (!root || context.activity.conversation?.conversationType !== 'channel') return undefined;
    const thread = await deps.threads.byRoot(root.conversationId, root.rootId);
    return thread?.threaded && thread.issueKey && thread.site ? { ...thread, conversationId: root.conversationId } : undefined;
  };

  return {
    name: 'alert-threads',
    register(app) {
      app.message(
        async (context) => context.activity.type === 'message' && commandText(context.activity.text) !== '' && (await threadOf(context)) !== undefined,
        async (context) => {
          const thread = await threadOf(context);
          if (!thread?.issueKey || !thread.site) return;
          const text = commandText(context.activity.text).slice(0, MAX_COMMENT);
          try {
            const commentId = await deps.comments.addComment(context, thread.site, thread.issueKey, text);
            await deps.threads.rememberOwnComment(thread.conversationId, commentId);
            deps.logger.info({ conversationId: thread.conversationId, issueId: thread.issueId, commentId }, 'thread reply added as a Jira comment');
            await context.sendActivity(`Added to ${thread.issueKey} as your comment.`);
          } catch (error) {
            const shown = describeFailure(error, 'dialog')?.message;
            if (shown === undefined) throw error;
            await context.sendActivity(`I could not add this to ${thread.issueKey}: ${shown}`);
          }
        },
      );
    },
  };
}
