import type { JiraClient } from '../../jira/create-jira-client';
import { findBoardEstimation } from '../../jira/operations/board-estimation';
import { editIssue } from '../../jira/operations/issues';
import type { SiteFields } from '../find-site-fields';
import { TabError } from '../tab-error';

/** Jira's id of the original time estimate, which is written through `timetracking`. */
const ORIGINAL_ESTIMATE = 'timeoriginalestimate';

/**
 * Writes an accepted value where the issue's board keeps estimates: its estimation field (Story
 * Points, Story point estimate, any number field), or the original time estimate, the value then
 * read as hours. Without a board (no Jira Software, or none for the project) the site's story
 * point field. Returns the name of the field written.
 */
export async function writeEstimate(jira: JiraClient, key: string, value: number, siteFields: () => Promise<SiteFields>): Promise<string> {
  const board = await findBoardEstimation(jira, key.slice(0, key.lastIndexOf('-')));
  if (board?.fieldId === ORIGINAL_ESTIMATE) {
    await editIssue(jira, key, { timetracking: { originalEstimate: `${Math.round(value * 60)}m` } });
    return board.displayName;
  }
  if (board) {
    await editIssue(jira, key, { [board.fieldId]: value });
    return board.displayName;
  }
  const estimate = (await siteFields()).estimate;
  if (!estimate) throw new TabError('badRequest', 'This Jira site has no estimate field on a board or a story point field, so there is nowhere to write the estimate.');
  await editIssue(jira, key, { [estimate.id]: value });
  return estimate.name;
}
