import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { TaskModuleTaskInfo, MessagingExtensionResult } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/adaptive-card';
import { CreateIssueInput, CreateIssueVerb } from '../../cards/create-issue-dialog-card';
import { createIssueConfirmationCard } from '../../cards/create-issue-confirmation-card';
import { issueCard } from '../../cards/issue-card';
import { connectionOwner } from '../../connections/connection';
import { messageToAdf, type TeamsMessage } from '../../jira/adf/message-to-adf';
import { summaryFromMessage } from '../../jira/adf/summary-from-message';
import { textToAdf } from '../../jira/adf/text-to-adf';
import { mapFormValues } from '../../jira/fields/map-form-values';
import type { Logger } from '../../log/create-logger';
import { tenantIdOf } from '../conversation-scope';
import type { CreateDefaultsRepository } from './create-defaults';
import type { CreatedIssue, IssueWriter } from './issue-writer';
import { loadCreateIssueDialog, shownFor } from './load-create-issue-dialog';
import { messagePrefill, prefillDigest } from './message-prefill';
import { teamsMessageOf } from './teams-message-of';
import { userFacingError } from './user-facing-error';

export interface CreateIssueDeps {
  writerFor(context: TurnContext): Promise<IssueWriter>;
  defaults: CreateDefaultsRepository;
  logger: Logger;
  /** The card to post for a new issue; the live issue card, read back as the user, when absent. */
  issueCard?(issue: CreatedIssue, summary: string): Promise<AdaptiveCard>;
}

/** What every dialog action carries back, so the submit knows the message it came from. */
export interface CreateIssueSubmit extends Record<string, unknown> {
  verb?: string;
  /** Who wrote the message and where, with a digest of the description prefill (not the text: it would double the card). */
  source?: Omit<TeamsMessage, 'content'> & { prefillDigest?: string };
  shownFor?: string;
}

export function taskInfo(card: AdaptiveCard, title: string): TaskModuleTaskInfo {
  return { title, width: 'medium', height: 'large', card: CardFactory.adaptiveCard(card) };
}

function ownerOf(context: TurnContext) {
  return connectionOwner(tenantIdOf(context.activity), context.activity.from);
}

const TITLE = 'Create a Jira issue';

/**
 * Opens the create dialog (message action, compose box or the `create` command's button),
 * prefilled from the message when there is one.
 */
export const onFetchCreateIssue =
  (deps: CreateIssueDeps) =>
  async (context: TurnContext): Promise<TaskModuleTaskInfo | string> => {
    const message = teamsMessageOf(context.activity);
    // From the `create SUMMARY` card, the summary typed there rides in the button's data.
    const carried = (context.activity.value as { data?: { summary?: unknown } } | undefined)?.data?.summary;
    const typed = typeof carried === 'string' ? carried : '';
    const prefill = { summary: message ? summaryFromMessage(message.content, message.contentType) : typed, description: messagePrefill(message) };
    try {
      const writer = await deps.writerFor(context);
      const defaults = await deps.defaults.get(ownerOf(context), context.activity.conversation.id);
      const { card } = await loadCreateIssueDialog(writer, defaults, {
        values: { [CreateIssueInput.Summary]: prefill.summary, [CreateIssueInput.Description]: prefill.description },
        submitData: message
          ? { source: { authorName: message.authorName, conversationName: message.conversationName, link: message.link, prefillDigest: prefillDigest(prefill.description) } }
          : {},
      });
      return taskInfo(card, TITLE);
    } catch (error) {
      const text = userFacingError(error);
      if (text === undefined) throw error;
      return text;
    }
  };

/**
 * The card that announces a new issue: the injected one, else the live issue card as the user
 * sees it, else (when Jira cannot show the issue right after creating it) a short confirmation.
 */
export async function createdIssueCard(
  deps: Pick<CreateIssueDeps, 'issueCard' | 'logger'>,
  writer: IssueWriter,
  created: CreatedIssue,
  summary: string,
  warning?: string,
): Promise<AdaptiveCard> {
  if (deps.issueCard) return deps.issueCard(created, summary);
  try {
    const { view, viewerAccountId } = await writer.issueView(created.key);
    return issueCard(view, { viewerAccountId, ...(warning ? { notice: { text: warning, tone: 'attention' as const } } : {}) });
  } catch (error) {
    if (userFacingError(error) === undefined) throw error;
    deps.logger.warn({ issueId: created.id, code: (error as { code?: string }).code }, 'new issue could not be read back for its card');
    return createIssueConfirmationCard({ issueKey: created.key, summary, url: created.url, warning });
  }
}

/** The description to send: the message as rich ADF unless the user rewrote it in the dialog. */
function descriptionOf(data: CreateIssueSubmit, message: TeamsMessage | undefined) {
  const typed = typeof data.description === 'string' ? data.description : '';
  const source = data.source;
  if (message && prefillDigest(typed) === source?.prefillDigest) return messageToAdf(message);
  if (source?.link) return messageToAdf({ ...source, content: typed, contentType: 'text' });
  return typed.trim() === '' ? undefined : textToAdf(typed);
}

/**
 * Handles the dialog's actions. Refresh re-renders it for the chosen project and type; Submit
 * validates every field, shows errors in the dialog with the user's values kept, creates the
 * issue as the user, links it back to the Teams message, and shows the new issue.
 */
export const onSubmitCreateIssue =
  (deps: CreateIssueDeps) =>
  async (context: TurnContext, data: CreateIssueSubmit): Promise<TaskModuleTaskInfo | MessagingExtensionResult | string | undefined> => {
    const { verb, source, shownFor: shown, ...values } = data;
    const submitData = source ? { source } : {};
    const owner = ownerOf(context);
    const conversationId = context.activity.conversation.id;
    let writer: IssueWriter;
    try {
      writer = await deps.writerFor(context);
    } catch (error) {
      const text = userFacingError(error);
      if (text === undefined) throw error;
      return text;
    }
    const defaults = await deps.defaults.get(owner, conversationId);
    const rerender = async (state: { errors?: Record<string, string>; formError?: string }) => {
      const { card } = await loadCreateIssueDialog(writer, defaults, { values, submitData, verb, ...state });
      return taskInfo(card, TITLE);
    };

    try {
      if (verb !== CreateIssueVerb.Submit) return await rerender({});
      const loaded = await loadCreateIssueDialog(writer, defaults, { values, submitData, verb });
      if (loaded.loadError) return taskInfo(loaded.card, TITLE);
      if (!loaded.projectKey || !loaded.issueTypeId) {
        return await rerender({ formError: 'Choose a project and one of its issue types.' });
      }
      const shownProject = typeof shown === 'string' ? shown.split('|')[0] : undefined;
      if (loaded.issueTypeMissing && shownProject === loaded.projectKey) {
        return await rerender({
          formError: `The project ${loaded.projectKey} has no issue type with id ${String(values[CreateIssueInput.IssueType])}. Choose one of its issue types, then press Create.`,
          errors: { [CreateIssueInput.IssueType]: `Not an issue type of ${loaded.projectKey}.` },
        });
      }
      if (shown !== shownFor(loaded.projectKey, loaded.issueTypeId)) {
        return await rerender({ formError: 'The fields below are now those of the project and type you chose. Check them, then press Create.' });
      }
      const { fields, errors } = mapFormValues(loaded.fields, values, { timeZone: context.activity.localTimezone });
      if (Object.keys(errors).length > 0) return await rerender({ errors });

      const message = teamsMessageOf(context.activity);
      const description = CreateIssueInput.Description in fields ? descriptionOf(data, message) : undefined;
      const created = await writer.create({
        ...fields,
        project: { key: loaded.projectKey },
        issuetype: { id: loaded.issueTypeId },
        ...(description ? { description } : {}),
      });
      await deps.defaults.remember(owner, conversationId, { projectKey: loaded.projectKey, issueTypeId: loaded.issueTypeId });
      deps.logger.info({ issueId: created.id, conversationId }, 'issue created from Teams');

      let warning: string | undefined;
      const link = message?.link ?? source?.link;
      if (link) {
        try {
          const who = message?.authorName ?? source?.authorName;
          await writer.addRemoteLink(created.key, { url: link, title: who ? `Teams message from ${who}` : 'Teams message' });
        } catch (error) {
          if (userFacingError(error) === undefined) throw error;
          deps.logger.warn({ issueId: created.id, code: (error as { code?: string }).code }, 'remote link to the Teams message failed');
          warning = 'The issue was created, but the link back to this Teams message could not be added.';
        }
      }
      const summary = String(fields[CreateIssueInput.Summary] ?? '');
      const card = await createdIssueCard(deps, writer, created, summary, warning);
      if ((context.activity.value as { commandContext?: string } | undefined)?.commandContext === 'compose') {
        return { type: 'result', attachmentLayout: 'list', attachments: [CardFactory.adaptiveCard(card)] };
      }
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
      return warning ?? undefined;
    } catch (error) {
      const text = userFacingError(error);
      if (text === undefined) throw error;
      try {
        return await rerender({ formError: text });
      } catch (again) {
        // The dialog itself needs Jira (an expired connection, Jira down): say so instead of the dialog.
        if (userFacingError(again) === undefined) throw again;
        return text;
      }
    }
  };
