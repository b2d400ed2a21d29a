import assert from 'node:assert/strict';
import { FieldId } from '../../../../dev/jira-sim/src';
import { startMeetingStack, type Attendee, type MeetingStack } from '../../support/start-meeting-stack';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const MEETING = '19:meeting_board-estimate-field@thread.v2';
const ALICE: Attendee = { tenantId: TENANT, aadObjectId: 'a11ce000-0000-4000-8000-0000000000f1', name: 'Alice Admin', jira: 'alice' };
const BOB: Attendee = { tenantId: TENANT, aadObjectId: 'b0b00000-0000-4000-8000-0000000000f2', name: 'Bob Builder', jira: 'bob', via: 'oauth' };

interface Row {
  key: string;
  estimate: number | null;
  estimateUnit?: string;
}

/**
 * Issue #18: the tab reads, edits and accepts estimates in one field, the one the issue's board
 * estimates with, so what a round or an edit writes is what the list shows and what "estimate the
 * next unestimated issue" skips. Each stack sets the simulator's board (as its admin would)
 * before the service first asks about it: the service keeps a project's field for minutes.
 */
describe("the grooming tab's estimates are the board's estimation field", () => {
  const simFor = (stack: MeetingStack) => ({
    async estimateWith(field: string) {
      const response = await fetch(`${stack.sim.url}/_sim/boards/1/estimation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ field }),
      });
      assert.equal(response.status, 200, await response.clone().text());
    },
    /** The issue as Jira's REST API gives it to its administrator. */
    async issue(key: string, fields: string) {
      const response = await fetch(`${stack.sim.url}/rest/api/3/issue/${key}?fields=${fields}`, {
        headers: { authorization: stack.sim.basicAuth('alice@example.com'), accept: 'application/json' },
      });
      return ((await response.json()) as { fields: Record<string, any> }).fields;
    },
  });
  const tabFor = (stack: MeetingStack) => {
    const ok = async (who: Attendee, method: string, path: string, body?: unknown) => {
      const answer = await stack.api(stack.tokenOf(who), method, path, body);
      assert.ok(answer.status < 300, `${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body;
    };
    return {
      ok,
      backlog: async (body: object) => (await ok(ALICE, 'POST', '/backlogs', { name: 'Board estimates', conversationId: MEETING, ...body })).backlog.id as string,
      rows: async (backlogId: string) => (await ok(ALICE, 'GET', `/backlogs/${backlogId}/issues?pageSize=100`)).issues as Row[],
    };
  };

  describe('a board estimating in Story Points on a site that also has Story point estimate (as every Cloud site has)', () => {
    let stack: MeetingStack;
    before(async () => {
      stack = await startMeetingStack({ meetings: { [MEETING]: [ALICE, BOB] } });
      // Using Story point estimate once puts it on the site; the board then goes back to Story Points.
      await simFor(stack).estimateWith('Story point estimate');
      await simFor(stack).estimateWith('Story Points');
    });
    after(() => stack?.close());

    it("lists each issue's Story Points, not the site's preferred field", async () => {
      const tab = tabFor(stack);
      const rows = await tab.rows(await tab.backlog({ source: { kind: 'board', boardId: 1 } }));
      const estimated = rows.filter((row) => row.estimate !== null);
      assert.ok(estimated.length > 0, 'the demo site gives most PHX issues Story Points');
      assert.ok(
        rows.every((row) => row.estimateUnit === undefined),
        'points carry no unit',
      );
      for (const row of rows.slice(0, 5)) {
        assert.equal(row.estimate, (await simFor(stack).issue(row.key, FieldId.StoryPoints))[FieldId.StoryPoints] ?? null, row.key);
      }
    });

    it('writes an inline estimate edit into Story Points, and lists it', async () => {
      const tab = tabFor(stack);
      const backlogId = await tab.backlog({ jql: 'project = PHX ORDER BY Rank ASC' });
      const { key } = (await tab.rows(backlogId))[2];
      const { issue } = await tab.ok(BOB, 'PATCH', `/backlogs/${backlogId}/issues/${key}`, { estimate: 21 });
      assert.equal(issue.estimate, 21);
      const fields = await simFor(stack).issue(key, `${FieldId.StoryPoints},${FieldId.StoryPointEstimate}`);
      assert.equal(fields[FieldId.StoryPoints], 21);
      assert.equal(fields[FieldId.StoryPointEstimate] ?? null, null, 'the field the board does not estimate with is left alone');
      assert.equal((await tab.rows(backlogId)).find((row) => row.key === key)?.estimate, 21);
    });

    it('accepts a round on a bug, whose edit screen has no Story Points (as in many company-managed projects), through the board', async () => {
      const tab = tabFor(stack);
      const backlogId = await tab.backlog({ jql: 'project = PHX AND issuetype = Bug ORDER BY Rank ASC' });
      const { key } = (await tab.rows(backlogId))[0];
      const round = (await tab.ok(ALICE, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: key })).round;
      const roundPath = `/backlogs/${backlogId}/estimation/${round.id}`;
      await tab.ok(ALICE, 'POST', `${roundPath}/votes`, { card: '5' });
      await tab.ok(ALICE, 'POST', `${roundPath}/reveal`);
      assert.equal((await tab.ok(BOB, 'POST', `${roundPath}/accept`, { value: 5 })).round.accepted.field, 'Story Points');
      const estimation = await fetch(`${stack.sim.url}/rest/agile/1.0/issue/${key}/estimation?boardId=1`, {
        headers: { authorization: stack.sim.basicAuth('alice@example.com'), accept: 'application/json' },
      });
      // The simulator shows an issue only its screen's fields, so the board's own route reads the value back.
      assert.deepEqual(await estimation.json(), { fieldId: FieldId.StoryPoints, value: 5 });
    });
  });

  describe('a board whose estimation field changes after the list read it', () => {
    let stack: MeetingStack;
    before(async () => {
      stack = await startMeetingStack({ meetings: { [MEETING]: [ALICE, BOB] } });
    });
    after(() => stack?.close());

    it('lists an accepted round in the field the round wrote, at once, not when the list’s copy of the field expires', async () => {
      const tab = tabFor(stack);
      const backlogId = await tab.backlog({ jql: 'project = PHX AND issuetype = Story ORDER BY Rank ASC' });
      const { key } = (await tab.rows(backlogId))[0];
      // The list has read PHX's field (Story Points); now the board estimates with Story point estimate.
      await simFor(stack).estimateWith('Story point estimate');
      const round = (await tab.ok(ALICE, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: key })).round;
      const roundPath = `/backlogs/${backlogId}/estimation/${round.id}`;
      await tab.ok(ALICE, 'POST', `${roundPath}/votes`, { card: '13' });
      await tab.ok(ALICE, 'POST', `${roundPath}/reveal`);
      assert.equal((await tab.ok(ALICE, 'POST', `${roundPath}/accept`, { value: 13 })).round.accepted.field, 'Story point estimate');
      assert.equal((await simFor(stack).issue(key, FieldId.StoryPointEstimate))[FieldId.StoryPointEstimate], 13);
      assert.equal((await tab.rows(backlogId)).find((row) => row.key === key)?.estimate, 13, 'the list reads the field the round wrote');
    });
  });

  describe('a board estimating in time (the original estimate)', () => {
    let stack: MeetingStack;
    before(async () => {
      stack = await startMeetingStack({ meetings: { [MEETING]: [ALICE, BOB] } });
      await simFor(stack).estimateWith('Original estimate');
    });
    after(() => stack?.close());

    it('lists an accepted 1.5 as 1.5 hours, and the next unestimated issue is another one', async () => {
      const tab = tabFor(stack);
      const backlogId = await tab.backlog({ jql: 'project = PHX AND issuetype = Story ORDER BY Rank ASC' });
      const round = (await tab.ok(ALICE, 'POST', `/backlogs/${backlogId}/estimation`, { next: true })).round;
      const roundPath = `/backlogs/${backlogId}/estimation/${round.id}`;
      await tab.ok(ALICE, 'POST', `${roundPath}/votes`, { card: '2' });
      await tab.ok(BOB, 'POST', `${roundPath}/votes`, { card: '1' });
      await tab.ok(BOB, 'POST', `${roundPath}/reveal`);
      await tab.ok(ALICE, 'POST', `${roundPath}/accept`, { value: 1.5 });

      const key = round.issue.key as string;
      assert.equal((await simFor(stack).issue(key, 'timetracking')).timetracking.originalEstimateSeconds, 5400);
      const listed = (await tab.rows(backlogId)).find((row) => row.key === key);
      assert.deepEqual([listed?.estimate, listed?.estimateUnit], [1.5, 'hours'], 'given in hours, and said to be');
      const next = (await tab.ok(ALICE, 'POST', `/backlogs/${backlogId}/estimation`, { next: true })).round;
      assert.notEqual(next.issue.key, key);
    });

    it('writes an inline estimate edit as the original estimate, in hours', async () => {
      const tab = tabFor(stack);
      const backlogId = await tab.backlog({ source: { kind: 'board', boardId: 1 } });
      const { key } = (await tab.rows(backlogId))[3];
      const { issue } = await tab.ok(ALICE, 'PATCH', `/backlogs/${backlogId}/issues/${key}`, { estimate: 2.25 });
      assert.equal(issue.estimate, 2.25);
      const { timetracking, [FieldId.StoryPoints]: storyPoints } = await simFor(stack).issue(key, `timetracking,${FieldId.StoryPoints}`);
      assert.equal(timetracking.originalEstimateSeconds, 8100);
      assert.notEqual(storyPoints, 2.25);
    });
  });
});
