import { FieldId } from './field-ids';
import { storyPointEstimateField, timeTrackingFields } from './site-catalog';
import type { Board, BoardEstimation, FieldDef } from './site-model';
import type { SiteState } from './site-state';

/** Jira keeps a time estimate here; boards estimating in time name it, and edits set it through `timetracking`. */
const ORIGINAL_ESTIMATE = 'timeoriginalestimate';

interface EstimationChoice {
  /** A field id or name: 'Story Points', 'Story point estimate', 'Original estimate' (time). */
  field?: unknown;
  /** Instead of a field: 'issueCount' or 'none'. */
  type?: unknown;
}

function addToSite(state: SiteState, defs: FieldDef[]): void {
  for (const def of defs) if (!state.field(def.id)) state.site.fields.push(def);
}

/** Puts a field on every create and edit screen of the board's project, as a board admin would to estimate with it. */
function addToScreens(state: SiteState, board: Board, fieldId: string): void {
  const project = state.project(board.projectId)!;
  for (const screen of Object.values(project.screens)) {
    if (!screen.some((f) => f.fieldId === fieldId)) screen.push({ fieldId, required: false });
  }
}

/** The field a choice names; the two estimate fields a demo site lacks are added to it, and to the project's screens, on first use. */
function estimateField(state: SiteState, board: Board, named: string): FieldDef {
  const lower = named.trim().toLowerCase();
  if (lower === ORIGINAL_ESTIMATE || lower === 'original estimate' || lower === 'timetracking') {
    addToSite(state, timeTrackingFields());
    addToScreens(state, board, 'timetracking');
    return state.field(ORIGINAL_ESTIMATE)!;
  }
  if (lower === FieldId.StoryPointEstimate || lower === 'story point estimate') {
    addToSite(state, [storyPointEstimateField()]);
    addToScreens(state, board, FieldId.StoryPointEstimate);
    return state.field(FieldId.StoryPointEstimate)!;
  }
  const def = state.field(named) ?? state.site.fields.find((f) => f.name.toLowerCase() === lower);
  if (!def) throw new Error(`No field '${named}' on this site.`);
  if (def.schema.type !== 'number') throw new Error(`Boards estimate with a number field or the original estimate, not '${def.name}'.`);
  // A field the site already has keeps its screens, as choosing a board's estimation in Jira does not change them.
  return def;
}

/**
 * Sets what a scrum board estimates with, as its admin does on the board's Estimation settings
 * (Jira's REST API reads that setting but cannot change it, so the simulator's controls do).
 */
export function configureBoardEstimation(state: SiteState, boardId: number, choice: EstimationChoice): BoardEstimation {
  const board = state.site.boards.find((b) => b.id === boardId);
  if (!board) throw new Error(`No board ${boardId}.`);
  if (board.type !== 'scrum') throw new Error('Only scrum boards have an estimation setting.');
  if ((choice.field === undefined) === (choice.type === undefined)) throw new Error("Give either `field` (a field id or name) or `type` ('issueCount' or 'none').");
  let estimation: BoardEstimation;
  if (choice.type !== undefined) {
    if (choice.type !== 'issueCount' && choice.type !== 'none') throw new Error("`type` is 'issueCount' or 'none'.");
    estimation = { type: choice.type };
  } else {
    if (typeof choice.field !== 'string') throw new Error('`field` is a field id or name.');
    estimation = { type: 'field', fieldId: estimateField(state, board, choice.field).id };
  }
  board.estimation = estimation;
  return estimation;
}

/** The board configuration's `estimation`, scrum boards only (Agile spec, GET /board/{id}/configuration). */
export function renderBoardEstimation(state: SiteState, board: Board): Record<string, unknown> | undefined {
  if (board.type !== 'scrum') return undefined;
  const estimation = board.estimation ?? { type: 'field', fieldId: FieldId.StoryPoints };
  if (estimation.type !== 'field') return { type: estimation.type };
  return { type: 'field', field: { fieldId: estimation.fieldId, displayName: state.field(estimation.fieldId)?.name ?? estimation.fieldId } };
}
