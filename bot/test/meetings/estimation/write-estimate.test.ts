import assert from 'node:assert/strict';
import type { JiraClient } from '../../../src/jira/create-jira-client';
import { JiraError, JiraErrorCode } from '../../../src/jira/jira-error';
import { backlogIssueReader } from '../../../src/meetings/backlog-issue-reader';
import { estimateFieldCache } from '../../../src/meetings/estimation/estimate-field-cache';
import { writeEstimate as writeInto } from '../../../src/meetings/estimation/write-estimate';
import type { SiteFields } from '../../../src/meetings/find-site-fields';

/**
 * Where an accepted value goes, call by call: a board estimating in original time, a board
 * without an estimation field, a site without Jira Software (which the Jira simulator does not
 * model), a board changed since it was looked up. estimate-fields-with-jira-sim.test.ts and
 * board-estimate-field.test.ts cover the fields against the simulator's boards. The client records
 * the calls writeEstimate makes, and answers as Jira's Agile API documents (the estimation route
 * names the board's field it wrote).
 */
type FakeBoard = { id: number; estimation?: { type: string; field?: { fieldId: string; displayName: string } } };

function recordingJira(boards: FakeBoard[] | 'no-agile') {
  const edits: Array<{ key: string; fields: Record<string, unknown> }> = [];
  const estimates: Array<{ key: string; boardId: number; value: string }> = [];
  const asked: string[] = [];
  const jira = {
    siteUrl: 'https://acme.atlassian.net',
    agile: {
      board: {
        getAllBoards: async (parameters: { projectKeyOrId: string }) => {
          asked.push(parameters.projectKeyOrId);
          if (boards === 'no-agile') throw new JiraError(JiraErrorCode.NotFound, { status: 404 });
          return { values: boards.map((b) => ({ id: b.id })) };
        },
        getConfiguration: async ({ boardId }: { boardId: number }) => {
          const board = (boards as FakeBoard[]).find((b) => b.id === boardId)!;
          return board.estimation === undefined ? {} : { estimation: board.estimation };
        },
      },
      issue: {
        estimateIssueForBoard: async ({ issueIdOrKey, boardId, value }: { issueIdOrKey: string; boardId: number; value: string }) => {
          estimates.push({ key: issueIdOrKey, boardId, value });
          return { fieldId: (boards as FakeBoard[]).find((b) => b.id === boardId)!.estimation!.field!.fieldId, value };
        },
      },
    },
    v3: { issues: { editIssue: async ({ issueIdOrKey, fields }: { issueIdOrKey: string; fields: Record<string, unknown> }) => void edits.push({ key: issueIdOrKey, fields }) } },
  };
  return { jira: jira as unknown as JiraClient, edits, estimates, asked };
}

const siteFields = (estimate: SiteFields['estimate']) => () => Promise.resolve({ estimate, storyPointIds: estimate ? [estimate.id] : [], rankId: null });
const timeBoard = (id: number): FakeBoard => ({ id, estimation: { type: 'field', field: { fieldId: 'timeoriginalestimate', displayName: 'Original Time Estimate' } } });

/** The reader the tab uses, whose estimate field the write goes to. */
const readerOf = (site: () => Promise<SiteFields>) => backlogIssueReader(site, estimateFieldCache(site, 60_000));
const writeEstimate = (jira: JiraClient, key: string, value: number | null, site: () => Promise<SiteFields>, reader = readerOf(site)) => writeInto(jira, key, value, reader);

describe('writing an accepted estimate', () => {
  it("writes a time-estimating board's value as the original estimate, in hours, through the board", async () => {
    const { jira, edits, estimates, asked } = recordingJira([timeBoard(7)]);
    assert.equal(await writeEstimate(jira, 'OPS-12', 1.5, siteFields(null)), 'Original Time Estimate');
    assert.deepEqual(asked, ['OPS']);
    assert.deepEqual(estimates, [{ key: 'OPS-12', boardId: 7, value: '90m' }]);
    assert.deepEqual(edits, []);
  });

  it("uses the first board that names a field, in that field, e.g. a team-managed project's Story point estimate", async () => {
    const { jira, estimates } = recordingJira([
      { id: 1, estimation: { type: 'issueCount' } },
      { id: 2, estimation: { type: 'field', field: { fieldId: 'customfield_10035', displayName: 'Story point estimate' } } },
    ]);
    assert.equal(await writeEstimate(jira, 'MY_TEAM-3', 8, siteFields({ id: 'customfield_10016', name: 'Story Points' })), 'Story point estimate');
    assert.deepEqual(estimates, [{ key: 'MY_TEAM-3', boardId: 2, value: '8' }]);
  });

  it('follows a board that changed its field since it was looked up, writing again when the unit changed', async () => {
    const boards: FakeBoard[] = [{ id: 1, estimation: { type: 'field', field: { fieldId: 'customfield_10016', displayName: 'Story Points' } } }];
    const { jira, estimates } = recordingJira(boards);
    const site = siteFields({ id: 'customfield_10016', name: 'Story Points' });
    const reader = readerOf(site);
    assert.equal(await writeEstimate(jira, 'PHX-1', 3, site, reader), 'Story Points');
    boards[0] = timeBoard(1);
    assert.equal(await writeEstimate(jira, 'PHX-2', 1.5, site, reader), 'Original Time Estimate');
    // "1.5" was read as minutes by a time field: written again as a duration.
    assert.deepEqual(estimates.slice(1), [
      { key: 'PHX-2', boardId: 1, value: '1.5' },
      { key: 'PHX-2', boardId: 1, value: '90m' },
    ]);
    assert.deepEqual((await reader.estimateField(jira, 'PHX-3'))?.id, 'timeoriginalestimate');
  });

  it("falls back to the site's story point field without a board or without Jira Software, and refuses when there is none", async () => {
    for (const boards of [[] as FakeBoard[], 'no-agile' as const]) {
      const { jira, edits } = recordingJira(boards);
      assert.equal(await writeEstimate(jira, 'PHX-1', 3, siteFields({ id: 'customfield_10016', name: 'Story Points' })), 'Story Points');
      assert.deepEqual(edits, [{ key: 'PHX-1', fields: { customfield_10016: 3 } }]);
    }
    const { jira, edits } = recordingJira([]);
    await assert.rejects(
      writeEstimate(jira, 'PHX-1', 3, siteFields(null)),
      (error: Error & { code?: string }) => error.code === 'badRequest' && /no estimate field/.test(error.message),
    );
    assert.deepEqual(edits, []);
  });

  it('clears a number estimate through an issue edit, and refuses to clear a time estimate', async () => {
    const { jira, edits } = recordingJira([{ id: 1, estimation: { type: 'field', field: { fieldId: 'customfield_10016', displayName: 'Story Points' } } }]);
    assert.equal(await writeEstimate(jira, 'PHX-1', null, siteFields(null)), 'Story Points');
    assert.deepEqual(edits, [{ key: 'PHX-1', fields: { customfield_10016: null } }]);
    const time = recordingJira([timeBoard(1)]);
    await assert.rejects(writeEstimate(time.jira, 'PHX-1', null, siteFields(null)), (error: Error & { code?: string }) => error.code === 'badRequest');
  });
});
