/**
 * An issue's estimate in the field a board estimates with, as the Agile API reads and writes it
 * (`GET`/`PUT /rest/agile/1.0/issue/{issueIdOrKey}/estimation?boardId=`): the write ignores the
 * issue's screens, unlike an issue edit, and time is given as a duration ("1w", "2d", "3h", "20m",
 * or a number of minutes) and answered in seconds.
 */
import { parseDuration, timeTrackingValues, type TimeTracking } from '../fields/time-tracking';
import { JiraError } from '../http/jira-error';
import { FieldId } from '../site/field-ids';
import type { Board, Issue } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import { applyValues } from './edit-issue';
import type { IssueChange } from './issue-change';
import { recordChange } from './record-change';

const ORIGINAL_ESTIMATE = 'timeoriginalestimate';

export interface Estimation {
  fieldId: string;
  value: number | null;
}

/** The field the board estimates with; Jira answers 400 for a board that estimates with none. */
export function estimationFieldOf(board: Board | undefined): string {
  if (!board) throw JiraError.badRequest({}, ['The boardId parameter is required.']);
  if (board.type !== 'scrum' || (board.estimation && board.estimation.type !== 'field')) {
    throw JiraError.badRequest({}, [`Board ${board.id} does not estimate with a field.`]);
  }
  return board.estimation?.type === 'field' ? board.estimation.fieldId : FieldId.StoryPoints;
}

export function readEstimate(issue: Issue, fieldId: string): Estimation {
  const value = fieldId === ORIGINAL_ESTIMATE ? (issue.values.timetracking as TimeTracking | undefined)?.originalSeconds : issue.values[fieldId];
  return { fieldId, value: typeof value === 'number' ? value : null };
}

/** Writes `value` (a string, as the spec's bean has it) into the board's field; null when nothing changed. */
export function estimateIssue(state: SiteState, actorAccountId: string, issue: Issue, fieldId: string, value: unknown): IssueChange | null {
  if (!state.can(actorAccountId, state.projectOf(issue), 'EDIT_ISSUES')) {
    throw new JiraError(403, ['You do not have permission to edit issues in this project.']);
  }
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') throw JiraError.badRequest({}, ['The estimation value is required.']);
  let values: Record<string, unknown>;
  if (fieldId === ORIGINAL_ESTIMATE) {
    const seconds = parseDuration(text);
    if (seconds === null) throw JiraError.badRequest({}, [`The estimation '${text}' is not a valid duration.`]);
    values = timeTrackingValues(issue.values.timetracking as TimeTracking | undefined, { originalSeconds: seconds });
  } else {
    const number = text.trim() === '' ? null : Number(text);
    if (number !== null && !Number.isFinite(number)) throw JiraError.badRequest({}, [`The estimation '${text}' is not a number.`]);
    values = { [fieldId]: number };
  }
  const items = applyValues(state, issue, values);
  if (!items.length) return null;
  const changelog = recordChange(state, issue, actorAccountId, items);
  return { event: 'jira:issue_updated', eventTypeName: 'issue_updated', issue, actorAccountId, changelog };
}
