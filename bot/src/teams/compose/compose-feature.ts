import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { CreateIssueVerb } from '../../cards/create-issue-dialog-card';
import { createIssueStartCard } from '../../cards/create-issue-start-card';
import { connectionOwner } from '../../connections/connection';
import { truncateOnWord, SUMMARY_MAX_LENGTH } from '../../jira/adf/summary-from-message';
import type { Store } from '../../store/store';
import type { Logger } from '../../log/create-logger';
import type { AdaptiveCard } from '../../cards/adaptive-card';
import { commandPattern, commandText } from '../command-text';
import { tenantIdOf } from '../conversation-scope';
import type { TeamsFeature } from '../teams-feature';
import { onFetchAddComment, onSubmitAddComment, type AddCommentSubmit } from './add-comment-handlers';
import { ComposeCommand, composeCommandHelp } from './compose-command';
import { askForProject, onCreateInChosenProject, type QuickCreateData } from './create-in-chosen-project';
import { createDefaultsRepository, type CreateDefaultsRepository } from './create-defaults';
import { createdIssueCard, onFetchCreateIssue, onSubmitCreateIssue, type CreateIssueSubmit } from './create-issue-handlers';
import type { CreatedIssue, IssueWriter } from './issue-writer';
import { userFacingError } from './user-facing-error';

export interface ComposeFeatureDeps {
  /** The user's Jira, as an IssueWriter; throws ConnectionError or JiraError when there is none. */
  writerFor(context: TurnContext): Promise<IssueWriter>;
  store: Store;
  logger: Logger;
  /** The card to post for a new issue; the live issue card, read back as the user, when absent. */
  issueCard?(issue: CreatedIssue, summary: string): Promise<AdaptiveCard>;
}

/**
 * `create SUMMARY`: creates the issue at once in the project and type the user last used in this
 * conversation.
 */
export const onQuickCreate =
  (deps: ComposeFeatureDeps, defaults: CreateDefaultsRepository) =>
  async (context: TurnContext): Promise<void> => {
    const summary = truncateOnWord(
      commandText(context.activity.text)
        .replace(/^create\b\s*/i, '')
        .trim(),
      SUMMARY_MAX_LENGTH,
    );
    if (summary === '') {
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(createIssueStartCard())));
      return;
    }
    const owner = connectionOwner(tenantIdOf(context.activity), context.activity.from);
    const used = await defaults.get(owner, context.activity.conversation.id);
    if (!used.projectKey || !used.issueTypeId) {
      // Ask for the project on the card itself, keeping the summary: a dialog button alone lost it.
      try {
        const card = await askForProject(await deps.writerFor(context), summary, used.recentProjectKeys);
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
      } catch (error) {
        const shown = userFacingError(error);
        if (shown === undefined) throw error;
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(createIssueStartCard(shown))));
      }
      return;
    }
    try {
      const writer = await deps.writerFor(context);
      const created = await writer.create({ project: { key: used.projectKey }, issuetype: { id: used.issueTypeId }, summary });
      deps.logger.info({ issueId: created.id, conversationId: context.activity.conversation.id }, 'issue quick-created from Teams');
      const card = await createdIssueCard(deps, writer, created, summary);
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
    } catch (error) {
      const shown = userFacingError(error);
      if (shown === undefined) throw error;
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(createIssueStartCard(`${shown} You can fill in the other fields in the dialog.`))));
    }
  };

/**
 * Message actions "Create issue" and "Add comment" (from a message or the compose box), the
 * `create` command, and the create dialog opened from that command's card.
 */
export function composeFeature(deps: ComposeFeatureDeps): TeamsFeature {
  const defaults = createDefaultsRepository(deps.store);
  const createDeps = { ...deps, defaults };
  return {
    name: 'compose',
    commands: composeCommandHelp(),
    register(app) {
      app.messageExtensions.fetchTask(ComposeCommand.CreateIssue, (context) => onFetchCreateIssue(createDeps)(context));
      app.messageExtensions.submitAction<CreateIssueSubmit>(ComposeCommand.CreateIssue, (context, _state, data) => onSubmitCreateIssue(createDeps)(context, data));
      app.messageExtensions.fetchTask(ComposeCommand.AddComment, (context) => onFetchAddComment(deps)(context));
      app.messageExtensions.submitAction<AddCommentSubmit>(ComposeCommand.AddComment, (context, _state, data) => onSubmitAddComment(deps)(context, data));
      // The same dialog, opened from the `create` command's card.
      app.taskModules.fetch(CreateIssueVerb.Open, (context) => onFetchCreateIssue(createDeps)(context));
      app.taskModules.submit<CreateIssueSubmit>(
        [CreateIssueVerb.Refresh, CreateIssueVerb.Submit, CreateIssueVerb.SearchProjects, CreateIssueVerb.SearchPeople],
        async (context, _state, data) => {
          const result = await onSubmitCreateIssue(createDeps)(context, data);
          // A task module cannot insert a compose-box preview; anything but a dialog or a message closes it.
          return result && typeof result === 'object' && 'card' in result ? result : typeof result === 'string' ? result : undefined;
        },
      );
      app.message(commandPattern('create'), (context) => onQuickCreate(deps, defaults)(context));
      app.adaptiveCards.actionExecute<QuickCreateData>(CreateIssueVerb.Quick, (context, _state, data) => onCreateInChosenProject(createDeps)(context, data));
    },
  };
}
