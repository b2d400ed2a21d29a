import type { TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/adaptive-card';
import { createIssueStartCard, QUICK_CREATE_PROJECT } from '../../cards/create-issue-start-card';
import type { IssueTypeChoice } from '../../cards/create-issue-dialog-card';
import { connectionOwner } from '../../connections/connection';
import { truncateOnWord, SUMMARY_MAX_LENGTH } from '../../jira/adf/summary-from-message';
import { tenantIdOf } from '../conversation-scope';
import type { CreateIssueDeps } from './create-issue-handlers';
import { createdIssueCard } from './create-issue-handlers';
import type { IssueWriter } from './issue-writer';
import { userFacingError } from './user-facing-error';

export interface QuickCreateData {
  summary?: unknown;
  [QUICK_CREATE_PROJECT]?: unknown;
}

const NO_PROJECT_YET =
  'I don’t know which project to use here yet. Choose one, or open the dialog for more fields; after that, create plus a summary uses the same project and type.';

/** The start card that asks for the project, with the projects the user can create in (recent first). */
export async function askForProject(writer: IssueWriter, summary: string, recentProjectKeys: readonly string[], problem = NO_PROJECT_YET): Promise<AdaptiveCard> {
  const projects = await writer.projects();
  const rank = (key: string) => {
    const at = recentProjectKeys.indexOf(key);
    return at < 0 ? recentProjectKeys.length : at;
  };
  const ordered = [...projects].sort((a, b) => rank(a.key) - rank(b.key));
  return createIssueStartCard(problem, { summary, projects: ordered });
}

/** Jira's everyday type when the project has it, else its first type that needs no parent. */
function everydayType(types: readonly IssueTypeChoice[]): IssueTypeChoice | undefined {
  const standard = types.filter((t) => !t.subtask);
  return standard.find((t) => t.name.toLowerCase() === 'task') ?? standard[0];
}

/**
 * The start card's Create (`Action.Execute`): creates the issue in the chosen project, remembers
 * project and type for the next `create SUMMARY` here, and answers with the new issue's card in
 * place of the question. A refusal (a required field, a permission) asks again with Jira's reason.
 */
export const onCreateInChosenProject =
  (deps: CreateIssueDeps) =>
  async (context: TurnContext, data: QuickCreateData): Promise<AdaptiveCard | string> => {
    const summary = truncateOnWord(typeof data.summary === 'string' ? data.summary.trim() : '', SUMMARY_MAX_LENGTH);
    const projectKey = typeof data[QUICK_CREATE_PROJECT] === 'string' ? data[QUICK_CREATE_PROJECT].trim() : '';
    if (!summary) return createIssueStartCard('Type **create** followed by a summary again.');
    const owner = connectionOwner(tenantIdOf(context.activity), context.activity.from);
    const conversationId = context.activity.conversation.id;
    let writer: IssueWriter;
    try {
      writer = await deps.writerFor(context);
    } catch (error) {
      const shown = userFacingError(error);
      if (shown === undefined) throw error;
      return shown;
    }
    try {
      if (!projectKey) return await askForProject(writer, summary, [], 'Choose a project.');
      const type = everydayType(await writer.issueTypes(projectKey));
      if (!type) return await askForProject(writer, summary, [], `You cannot create issues in ${projectKey}. Choose another project.`);
      const created = await writer.create({ project: { key: projectKey }, issuetype: { id: type.id }, summary });
      await deps.defaults.remember(owner, conversationId, { projectKey, issueTypeId: type.id });
      deps.logger.info({ issueId: created.id, conversationId }, 'issue quick-created from Teams in a chosen project');
      return await createdIssueCard(deps, writer, created, summary);
    } catch (error) {
      const shown = userFacingError(error);
      if (shown === undefined) throw error;
      return askForProject(writer, summary, [projectKey], `${shown} Open the dialog for the other fields.`).catch(() => createIssueStartCard(shown, undefined));
    }
  };
