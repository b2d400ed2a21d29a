import assert from 'node:assert/strict';
import type { JiraClient } from '../../../src/jira/create-jira-client';
import { JiraError, JiraErrorCode } from '../../../src/jira/jira-error';
import { backlogIssueReader } from '../../../src/meetings/backlog-issue-reader';
import { estimateFieldCache } from '../../../src/meetings/estimation/estimate-field-cache';
import { writeEstimate } from '../../../src/meetings/estimation/write-estimate';

const SITE_FIELDS = () => Promise.resolve({ estimate: { id: 'customfield_10016', name: 'Story Points' }, storyPointIds: ['customfield_10016'], rankId: null });

/** One PHX board whose estimation field the test changes; every board lookup is counted, and may be made to fail. */
function boardJira() {
  const state = { fieldId: 'customfield_10016', displayName: 'Story Points', lookups: 0, fail: false, asked: [] as string[], edits: [] as unknown[] };
  const jira = {
    siteUrl: 'https://acme.atlassian.net',
    agile: {
      board: {
        getAllBoards: async () => {
          state.lookups++;
          if (state.fail) throw new JiraError(JiraErrorCode.Unavailable, { status: 503 });
          return { values: [{ id: 1 }] };
        },
        getConfiguration: async () => ({ estimation: { type: 'field', field: { fieldId: state.fieldId, displayName: state.displayName } } }),
      },
    },
    v3: {
      issues: {
        getIssue: async ({ issueIdOrKey, fields }: { issueIdOrKey: string; fields: string[] }) => {
          state.asked = fields;
          return { id: '1', key: issueIdOrKey, fields: { summary: 's', customfield_10016: 3 } };
        },
        editIssue: async (edit: unknown) => {
          state.edits.push(edit);
        },
      },
    },
  };
  return { jira: jira as unknown as JiraClient, state };
}

describe("a project's estimate field, kept", () => {
  it('asks the boards once per project within its time, and again on refresh', async () => {
    const { jira, state } = boardJira();
    const fieldOf = estimateFieldCache(SITE_FIELDS, 60_000);
    assert.deepEqual(await fieldOf(jira, 'PHX'), { id: 'customfield_10016', name: 'Story Points', boardId: 1 });
    await fieldOf(jira, 'phx');
    assert.equal(state.lookups, 1);
    assert.deepEqual(fieldOf.known(jira), ['customfield_10016']);
    Object.assign(state, { fieldId: 'timeoriginalestimate', displayName: 'Original estimate' });
    assert.equal((await fieldOf.refresh(jira, 'PHX'))?.id, 'timeoriginalestimate');
    assert.equal(state.lookups, 2);
  });

  it('answers with the field it knew while an expired one is asked again, and keeps it if that fails', async () => {
    const { jira, state } = boardJira();
    const fieldOf = estimateFieldCache(SITE_FIELDS, 0);
    await fieldOf(jira, 'PHX');
    Object.assign(state, { fieldId: 'timeoriginalestimate', displayName: 'Original estimate' });
    assert.equal((await fieldOf(jira, 'PHX'))?.id, 'customfield_10016', 'the last field known, not a wait on the boards');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal((await fieldOf(jira, 'PHX'))?.id, 'timeoriginalestimate', 'the new answer, once it came');
    state.fail = true;
    await fieldOf(jira, 'PHX');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal((await fieldOf(jira, 'PHX'))?.id, 'timeoriginalestimate', 'a failed lookup keeps the field known');
  });

  it('forgets a first lookup that failed, so the next asks again', async () => {
    const { jira, state } = boardJira();
    const fieldOf = estimateFieldCache(SITE_FIELDS, 60_000);
    state.fail = true;
    await assert.rejects(fieldOf(jira, 'PHX'));
    state.fail = false;
    assert.equal((await fieldOf(jira, 'PHX'))?.id, 'customfield_10016');
    assert.equal(state.lookups, 2);
  });

  it("reads an issue's estimate in the site's story point field when its project's boards cannot be asked", async () => {
    const { jira, state } = boardJira();
    state.fail = true;
    const issue = await backlogIssueReader(SITE_FIELDS, estimateFieldCache(SITE_FIELDS, 60_000)).fetchIssue(jira, 'PHX-1');
    assert.ok(state.asked.includes('customfield_10016'));
    assert.equal(issue.estimate, 3);
  });

  it("writes an estimate into the site's story point field, the one the row shows, when its project's boards cannot be asked", async () => {
    const { jira, state } = boardJira();
    state.fail = true;
    const reader = backlogIssueReader(SITE_FIELDS, estimateFieldCache(SITE_FIELDS, 60_000));
    assert.equal(await writeEstimate(jira, 'PHX-1', 5, reader), 'Story Points');
    assert.deepEqual(state.edits, [{ issueIdOrKey: 'PHX-1', fields: { customfield_10016: 5 } }]);
  });
});
