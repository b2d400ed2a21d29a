import assert from 'node:assert/strict';
import type { JiraClient } from '../../../src/jira/create-jira-client';
import { JiraError, JiraErrorCode } from '../../../src/jira/jira-error';
import { writeEstimate } from '../../../src/meetings/estimation/write-estimate';
import type { SiteFields } from '../../../src/meetings/find-site-fields';

/**
 * Where an accepted value goes, call by call: a board estimating in original time, a board
 * without an estimation field, a site without Jira Software (which the Jira simulator does not
 * model). estimate-fields-with-jira-sim.test.ts covers the first two fields against the
 * simulator's boards. The client records the calls writeEstimate makes, and answers as Jira's
 * Agile API documents.
 */
function recordingJira(boards: Array<{ id: number; estimation?: unknown }> | 'no-agile') {
  const edits: Array<{ key: string; fields: Record<string, unknown> }> = [];
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
          const board = (boards as Array<{ id: number; estimation?: unknown }>).find((b) => b.id === boardId)!;
          return board.estimation === undefined ? {} : { estimation: board.estimation };
        },
      },
    },
    v3: { issues: { editIssue: async ({ issueIdOrKey, fields }: { issueIdOrKey: string; fields: Record<string, unknown> }) => void edits.push({ key: issueIdOrKey, fields }) } },
  };
  return { jira: jira as unknown as JiraClient, edits, asked };
}

const siteFields = (estimate: SiteFields['estimate']) => () => Promise.resolve({ estimate, rankId: null });

describe('writing an accepted estimate', () => {
  it("writes a time-estimating board's value as the original estimate, in hours", async () => {
    const { jira, edits, asked } = recordingJira([{ id: 7, estimation: { type: 'field', field: { fieldId: 'timeoriginalestimate', displayName: 'Original Time Estimate' } } }]);
    assert.equal(await writeEstimate(jira, 'OPS-12', 1.5, siteFields(null)), 'Original Time Estimate');
    assert.deepEqual(asked, ['OPS']);
    assert.deepEqual(edits, [{ key: 'OPS-12', fields: { timetracking: { originalEstimate: '90m' } } }]);
  });

  it("uses the first board that names a field, in that field, e.g. a team-managed project's Story point estimate", async () => {
    const { jira, edits } = recordingJira([
      { id: 1, estimation: { type: 'issueCount' } },
      { id: 2, estimation: { type: 'field', field: { fieldId: 'customfield_10035', displayName: 'Story point estimate' } } },
    ]);
    assert.equal(await writeEstimate(jira, 'MY_TEAM-3', 8, siteFields({ id: 'customfield_10016', name: 'Story Points' })), 'Story point estimate');
    assert.deepEqual(edits, [{ key: 'MY_TEAM-3', fields: { customfield_10035: 8 } }]);
  });

  it("falls back to the site's story point field without a board or without Jira Software, and refuses when there is none", async () => {
    for (const boards of [[] as Array<{ id: number }>, 'no-agile' as const]) {
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
});
