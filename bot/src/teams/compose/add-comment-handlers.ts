import type { TaskModuleTaskInfo, TurnContext } from 'botbuilder';
import { addCommentDialogCard, AddCommentInput, AddCommentVerb, type IssueChoice } from '../../cards/add-comment-dialog-card';
import { addCommentConfirmationCard } from '../../cards/add-comment-confirmation-card';
import { messageToAdf } from '../../jira/adf/message-to-adf';
import { textToAdf } from '../../jira/adf/text-to-adf';
import type { Logger } from '../../log/create-logger';
import { taskInfo } from './create-issue-handlers';
import type { IssueWriter } from './issue-writer';
import { messagePrefill, prefillDigest } from './message-prefill';
import { teamsMessageOf } from './teams-message-of';
import { userFacingError } from './user-facing-error';

const TITLE = 'Add a comment in Jira';
const ISSUE_KEY = /^[A-Z][A-Z0-9_]+-[1-9]\d*$/;

export interface AddCommentDeps {
  writerFor(context: TurnContext): Promise<IssueWriter>;
  logger: Logger;
}

export interface AddCommentSubmit extends Record<string, unknown> {
  verb?: string;
  source?: { authorName?: string; conversationName?: string; link?: string; prefillDigest?: string };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** Opens the add-comment dialog with the user's recent issues and the message as the comment. */
export const onFetchAddComment =
  (deps: AddCommentDeps) =>
  async (context: TurnContext): Promise<TaskModuleTaskInfo | string> => {
    const message = teamsMessageOf(context.activity);
    const comment = messagePrefill(message);
    try {
      const writer = await deps.writerFor(context);
      const issues = await writer.findIssues();
      const submitData = message
        ? { source: { authorName: message.authorName, conversationName: message.conversationName, link: message.link, prefillDigest: prefillDigest(comment) } }
        : {};
      return taskInfo(addCommentDialogCard({ issues, values: { [AddCommentInput.Comment]: comment }, submitData }), TITLE);
    } catch (error) {
      const shown = userFacingError(error);
      if (shown === undefined) throw error;
      return shown;
    }
  };

/**
 * Find looks issues up by key or text and shows them to pick from; Add comment posts the comment
 * as ADF with a "From Teams" attribution and shows a confirmation. Problems come back in the
 * dialog with what the user typed kept.
 */
export const onSubmitAddComment =
  (deps: AddCommentDeps) =>
  async (context: TurnContext, data: AddCommentSubmit): Promise<TaskModuleTaskInfo | string> => {
    const { verb, source, ...values } = data;
    const submitData = source ? { source } : {};
    let writer: IssueWriter;
    try {
      writer = await deps.writerFor(context);
    } catch (error) {
      const shown = userFacingError(error);
      if (shown === undefined) throw error;
      return shown;
    }
    const query = text(values[AddCommentInput.Query]);
    let issues: IssueChoice[] = [];
    const dialog = (state: { errors?: Record<string, string>; formError?: string; listNote?: string }) =>
      taskInfo(addCommentDialogCard({ issues, values, submitData, ...state }), TITLE);

    try {
      if (verb === AddCommentVerb.Search) {
        issues = await writer.findIssues(query || undefined);
        if (issues.length === 0) return dialog({ errors: { [AddCommentInput.Query]: query ? 'No issue you can see matches that.' : 'You have no recent issues.' } });
        values[AddCommentInput.Issue] = issues[0].key;
        return dialog({ listNote: query ? `Issues matching "${query}"` : 'Your recent issues' });
      }

      const picked = text(values[AddCommentInput.Issue]) || (ISSUE_KEY.test(query.toUpperCase()) ? query.toUpperCase() : '');
      const comment = typeof values[AddCommentInput.Comment] === 'string' ? (values[AddCommentInput.Comment] as string) : '';
      const errors: Record<string, string> = {};
      if (!picked) errors[AddCommentInput.Issue] = 'Choose an issue, or type its key and press Find.';
      if (comment.trim() === '') errors[AddCommentInput.Comment] = 'Write the comment to add.';
      if (Object.keys(errors).length > 0) {
        issues = await writer.findIssues(query || undefined);
        return dialog({ errors });
      }

      const message = teamsMessageOf(context.activity);
      const body =
        message && prefillDigest(comment) === source?.prefillDigest
          ? messageToAdf(message)
          : source
            ? messageToAdf({ ...source, content: comment, contentType: 'text' })
            : textToAdf(comment);
      const added = await writer.addComment(picked, body);
      const issue = await writer.issue(picked);
      deps.logger.info({ commentId: added.id, conversationId: context.activity.conversation.id }, 'comment added from Teams');
      return taskInfo(addCommentConfirmationCard({ issueKey: issue.key, issueSummary: issue.summary, url: added.url || issue.url }), TITLE);
    } catch (error) {
      const shown = userFacingError(error);
      if (shown === undefined) throw error;
      if (issues.length === 0) issues = await writer.findIssues().catch(() => []);
      return dialog({ formError: shown });
    }
  };
