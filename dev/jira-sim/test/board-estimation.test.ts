import assert from 'node:assert/strict';
import { FieldId } from '../src/site/field-ids';
import { startJiraSim, type JiraSim } from '../src/start-jira-sim';
import { simClient, type SimClient } from './support/sim-client';

/**
 * What a scrum board estimates with, set through /_sim as a board admin sets it in Jira, read
 * back through the board configuration, and written through an issue edit: Story Points (the
 * default), a team-managed "Story point estimate", or the original estimate in time. Every Jira
 * exchange is checked against the published spec by the client.
 */
describe('jira-sim board estimation', () => {
  let sim: JiraSim;
  let alice: SimClient;

  const configure = async (boardId: number, choice: Record<string, unknown>) => {
    const response = await fetch(`${sim.url}/_sim/boards/${boardId}/estimation`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(choice) });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const estimationOf = async (boardId: number) => (await alice.get(`/rest/agile/1.0/board/${boardId}/configuration`)).body.estimation;

  // One simulator for the file: the first test sees the demo site as seeded, later ones change board 1 in turn.
  before(async () => {
    sim = await startJiraSim({ port: 0 });
    alice = simClient(sim);
  });
  after(() => sim.close());

  it("estimates in Story Points until configured; a kanban board's configuration has no estimation", async () => {
    assert.deepEqual(await estimationOf(1), { type: 'field', field: { fieldId: FieldId.StoryPoints, displayName: 'Story Points' } });
    assert.equal(await estimationOf(2), undefined);
    const fieldIds = ((await alice.get('/rest/api/3/field')).body as Array<{ id: string }>).map((f) => f.id);
    assert.ok(!fieldIds.includes(FieldId.StoryPointEstimate) && !fieldIds.includes('timetracking'), 'the demo site has neither until a board uses one');
  });

  it('estimates with "Story point estimate" once set: the field is on the site and on the screens, and an edit writes it', async () => {
    assert.equal((await configure(1, { field: 'Story point estimate' })).status, 200);
    assert.deepEqual(await estimationOf(1), { type: 'field', field: { fieldId: FieldId.StoryPointEstimate, displayName: 'Story point estimate' } });
    const field = ((await alice.get('/rest/api/3/field')).body as Array<{ id: string; schema: { type: string; custom: string } }>).find((f) => f.id === FieldId.StoryPointEstimate);
    assert.deepEqual([field?.schema.type, field?.schema.custom], ['number', 'com.pyxis.greenhopper.jira:jsw-story-points']);
    assert.ok((await alice.get('/rest/api/3/issue/PHX-7/editmeta')).body.fields[FieldId.StoryPointEstimate]);

    assert.equal((await alice.put('/rest/api/3/issue/PHX-7', { fields: { [FieldId.StoryPointEstimate]: 8 } })).status, 204);
    assert.equal((await alice.get(`/rest/api/3/issue/PHX-7?fields=${FieldId.StoryPointEstimate}`)).body.fields[FieldId.StoryPointEstimate], 8);
  });

  it('estimates in time once set to the original estimate: edits set it through timetracking, in seconds, and the changelog names both estimates', async () => {
    assert.deepEqual((await configure(1, { field: 'Original estimate' })).body.estimation, { type: 'field', fieldId: 'timeoriginalestimate' });
    assert.deepEqual(await estimationOf(1), { type: 'field', field: { fieldId: 'timeoriginalestimate', displayName: 'Original estimate' } });
    assert.deepEqual((await alice.get('/rest/api/3/issue/PHX-7?fields=timetracking')).body.fields.timetracking, {}, 'nothing estimated yet');

    // No screen has the estimate itself: Jira sets it through timetracking only.
    const direct = await alice.put('/rest/api/3/issue/PHX-7', { fields: { timeoriginalestimate: 5400 } });
    assert.equal(direct.status, 400);
    assert.match(direct.body.errors.timeoriginalestimate, /cannot be set/);
    const bad = await alice.put('/rest/api/3/issue/PHX-7', { fields: { timetracking: { originalEstimate: 'soon' } } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors.timetracking, 'The original estimate specified is not valid.');

    assert.equal((await alice.put('/rest/api/3/issue/PHX-7', { fields: { timetracking: { originalEstimate: '90m' } } })).status, 204);
    assert.deepEqual((await alice.get('/rest/api/3/issue/PHX-7?fields=timetracking')).body.fields.timetracking, {
      originalEstimate: '1h 30m',
      remainingEstimate: '1h 30m',
      originalEstimateSeconds: 5400,
      remainingEstimateSeconds: 5400,
    });
    assert.equal((await alice.put('/rest/api/3/issue/PHX-7', { fields: { timetracking: { originalEstimate: '1w 2d 4h' } } })).status, 204);
    assert.equal((await alice.get('/rest/api/3/issue/PHX-7?fields=timetracking')).body.fields.timetracking.originalEstimate, '1w 2d 4h');

    // REST leaves out an empty end of a change (the spec types both as strings).
    const changelog = (await alice.get('/rest/api/3/issue/PHX-7/changelog')).body.values as Array<{ items: Array<{ fieldId: string; from?: string; to?: string }> }>;
    assert.deepEqual(
      changelog.at(-2)!.items.map((i) => [i.fieldId, i.from ?? null, i.to]),
      [
        ['timeoriginalestimate', null, '5400'],
        ['timeestimate', null, '5400'],
      ],
    );
    assert.deepEqual(
      changelog.at(-1)!.items.map((i) => i.to),
      [String((5 * 8 + 2 * 8 + 4) * 3600), String((5 * 8 + 2 * 8 + 4) * 3600)],
    );
  });

  it("estimates through the Agile API in the board's field whatever the screens say, time as a duration answered in seconds", async () => {
    // PHX bugs have no Story Points on their screens: an issue edit cannot set it, the board's estimation can.
    await configure(1, { field: 'Story Points' });
    const edit = await alice.put('/rest/api/3/issue/PHX-20', { fields: { [FieldId.StoryPoints]: 3 } });
    assert.equal(edit.status, 400);
    const estimated = await alice.put('/rest/agile/1.0/issue/PHX-20/estimation?boardId=1', { value: '3' });
    assert.deepEqual(estimated.body, { fieldId: FieldId.StoryPoints, value: 3 });
    // The simulator shows an issue only the fields of its screens, so the estimate reads back through the Agile API.
    assert.deepEqual((await alice.get('/rest/agile/1.0/issue/PHX-20/estimation?boardId=1')).body, { fieldId: FieldId.StoryPoints, value: 3 });
    assert.equal(sim.state.issue('PHX-20')!.values[FieldId.StoryPoints], 3);
    assert.equal((await alice.put('/rest/agile/1.0/issue/PHX-20/estimation?boardId=1', { value: 'many' })).status, 400);

    await configure(1, { field: 'Original estimate' });
    assert.deepEqual((await alice.put('/rest/agile/1.0/issue/PHX-20/estimation?boardId=1', { value: '2d' })).body, { fieldId: 'timeoriginalestimate', value: 16 * 3600 });
    assert.equal((await alice.get('/rest/api/3/issue/PHX-20?fields=timetracking')).body.fields.timetracking.originalEstimate, '2d');
    assert.deepEqual((await alice.put('/rest/agile/1.0/issue/PHX-20/estimation?boardId=1', { value: '90' })).body.value, 5400, 'a bare number is minutes');

    const victor = simClient(sim, { email: 'victor@example.com' });
    assert.equal((await victor.put('/rest/agile/1.0/issue/PHX-20/estimation?boardId=1', { value: '1h' })).status, 403);
    assert.equal((await alice.put('/rest/agile/1.0/issue/PHX-20/estimation?boardId=2', { value: '1h' })).status, 400, 'a kanban board estimates with no field');
  });

  it('refuses a kanban board, an unknown or non-number field, and a choice of neither or both', async () => {
    assert.match((await configure(2, { field: 'Story Points' })).body.error, /Only scrum boards/);
    assert.match((await configure(9, { field: 'Story Points' })).body.error, /No board 9/);
    assert.match((await configure(1, { field: 'Nope' })).body.error, /No field 'Nope'/);
    assert.match((await configure(1, { field: 'Summary' })).body.error, /number field or the original estimate/);
    assert.equal((await configure(1, {})).status, 400);
    assert.equal((await configure(1, { field: 'Story Points', type: 'none' })).status, 400);
    assert.deepEqual((await configure(1, { type: 'issueCount' })).body.estimation, { type: 'issueCount' });
    assert.deepEqual(await estimationOf(1), { type: 'issueCount' });
  });
});
