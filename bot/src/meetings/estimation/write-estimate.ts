import type { JiraClient } from '../../jira/create-jira-client';
import { JiraError, JiraErrorCode } from '../../jira/jira-error';
import { editIssue } from '../../jira/operations/issues';
import type { BacklogIssueReader } from '../backlog-issue-reader';
import { TabError } from '../tab-error';
import { ORIGINAL_ESTIMATE } from './estimate-field-cache';

const NOWHERE = 'This Jira site has no estimate field on a board or a story point field, so there is nowhere to write the estimate.';

/**
 * Writes an estimate where the reader reads it (its estimateField: the issue's board's field, else
 * the site's story point field), time as hours. Returns the name of the field written.
 *
 * With a board, through Agile's estimation route: Jira writes the board's field whether or not it
 * is on the issue's edit screen (a company-managed project's bugs often lack Story Points there,
 * and an issue edit is refused), and names the field it wrote, which tells a board changed since
 * its field was looked up. Null (clearing) goes through an issue edit: the route documents no
 * empty value, and Jira takes no empty duration.
 */
export async function writeEstimate(
  jira: JiraClient,
  key: string,
  value: number | null,
  fields: Pick<BacklogIssueReader, 'estimateField' | 'refreshEstimateField'>,
): Promise<string> {
  const field = await fields.estimateField(jira, key);
  if (!field) throw new TabError('badRequest', NOWHERE);
  const time = field.id === ORIGINAL_ESTIMATE;
  if (value === null) {
    if (time) throw new TabError('badRequest', `${key}'s board estimates in time: clear its original estimate in Jira.`);
    await editIssue(jira, key, { [field.id]: null });
    return field.name;
  }
  if (field.boardId === undefined) {
    await editIssue(jira, key, { [field.id]: value });
    return field.name;
  }
  let written: string | undefined;
  let refused: JiraError | undefined;
  try {
    written = await estimateForBoard(jira, key, value, field.boardId, time);
    if (!written || written === field.id) return field.name;
  } catch (error) {
    if (!(error instanceof JiraError && error.code === JiraErrorCode.BadRequest)) throw error;
    refused = error;
  }
  // The board estimates with another field since it was looked up: Jira wrote that one (a bare
  // number is minutes to a time field) or refused the value ("90m" is no number). Asked again, the
  // field is named and read from now on, and the value written again when its unit changed.
  const now = await fields.refreshEstimateField(jira, key);
  if (refused !== undefined && (now?.id === field.id || now?.boardId === undefined)) throw refused;
  if (!now || now.boardId === undefined) return now?.name ?? field.name;
  if (refused !== undefined || (now.id === ORIGINAL_ESTIMATE) !== time) await estimateForBoard(jira, key, value, now.boardId, now.id === ORIGINAL_ESTIMATE);
  return now.name;
}

/** Agile's estimation route; the spec's bean is a string: a number, or a duration ("90m") for time. Returns the field Jira wrote. */
async function estimateForBoard(jira: JiraClient, key: string, value: number, boardId: number, time: boolean): Promise<string | undefined> {
  const text = time ? `${Math.round(value * 60)}m` : String(value);
  return (await jira.agile.issue.estimateIssueForBoard<{ fieldId?: string }>({ issueIdOrKey: key, boardId, value: text })).fieldId;
}
