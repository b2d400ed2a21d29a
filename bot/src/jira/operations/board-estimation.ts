import type { JiraClient } from '../create-jira-client';
import { JiraError, JiraErrorCode } from '../jira-error';

/** The field a board estimates with: a number field (story points) or Jira's original time estimate. */
export interface BoardEstimation {
  boardId: number;
  fieldId: string;
  displayName: string;
}

/** Boards asked about per project: a project rarely has more, and each costs a call. */
const MAX_BOARDS = 5;

/**
 * The estimation field of the first board of the project that estimates with a field (Agile
 * REST: boards of the project, then each one's configuration). Undefined when the project has no
 * such board, or the site has no Jira Software (the Agile API answers 404 there).
 */
export async function findBoardEstimation(jira: JiraClient, projectKey: string): Promise<BoardEstimation | undefined> {
  try {
    const boards = await jira.agile.board.getAllBoards<{ values?: Array<{ id?: number }> }>({ projectKeyOrId: projectKey, maxResults: MAX_BOARDS });
    for (const board of boards.values ?? []) {
      if (typeof board.id !== 'number') continue;
      const config = await jira.agile.board.getConfiguration<{ estimation?: { type?: string; field?: { fieldId?: string; displayName?: string } } }>({ boardId: board.id });
      const field = config.estimation?.type === 'field' ? config.estimation.field : undefined;
      if (field?.fieldId) return { boardId: board.id, fieldId: field.fieldId, displayName: field.displayName ?? field.fieldId };
    }
    return undefined;
  } catch (error) {
    if (error instanceof JiraError && (error.code === JiraErrorCode.NotFound || error.code === JiraErrorCode.BadRequest)) return undefined;
    throw error;
  }
}
