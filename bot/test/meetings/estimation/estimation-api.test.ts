import assert from 'node:assert/strict';
import { FieldId, type JiraSim } from '../../../../dev/jira-sim/src';
import { startMeetingStack, TAB_AUDIENCE, type MeetingStack } from '../../support/start-meeting-stack';
import { startTestBot, type TestBot } from '../../support/start-test-bot';
import { assertTabError, openEventStream, tabClient } from '../tab-client';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const MEETING = '19:meeting_estimation-api@thread.v2';

interface Person {
  oid: string;
  name: string;
  jiraUser: string;
}
const ALICE: Person = { oid: 'a11ce000-0000-4000-8000-000000000001', name: 'Alice Admin', jiraUser: 'alice' };
const BOB: Person = { oid: 'b0b00000-0000-4000-8000-000000000002', name: 'Bob Builder', jiraUser: 'bob' };
const VICTOR: Person = { oid: 'f1c70000-0000-4000-8000-000000000008', name: 'Victor Viewer', jiraUser: 'victor' };
const PEOPLE = [ALICE, BOB, VICTOR];

/**
 * Estimation rounds through the tab API of the assembled service: two voters and an observer,
 * each with their own Jira connection to the simulator; every answer and event is read as raw
 * text, so a card showing up anywhere before the reveal fails the test.
 */
describe('estimation rounds in the tab API', function () {
  this.timeout(30_000);
  let sim: JiraSim;
  let testBot: TestBot;
  let api: ReturnType<typeof tabClient>;
  const tokens = new Map<Person, string>();
  /** Every body the API answered while a round was open, for the wire check. */
  const wire: string[] = [];

  const call = async (who: Person, method: string, path: string, body?: unknown) => {
    const answer = await api(tokens.get(who), method, path, body);
    wire.push(JSON.stringify(answer.body));
    return answer;
  };
  const ok = async (who: Person, method: string, path: string, body?: unknown) => {
    const answer = await call(who, method, path, body);
    assert.ok(answer.status < 300, `${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const simIssue = async (key: string) => {
    const response = await fetch(`${sim.url}/rest/api/3/issue/${key}`, { headers: { authorization: sim.basicAuth('alice@example.com'), accept: 'application/json' } });
    return (await response.json()) as { fields: Record<string, any> };
  };
  const streams: Array<Awaited<ReturnType<typeof openEventStream>>> = [];
  const openStreams = async (backlogId: string) => {
    const opened = [];
    for (const who of PEOPLE) {
      // Each attendee lists the backlog first, as the panel does: events name only issues they were shown.
      await ok(who, 'GET', `/backlogs/${backlogId}/issues?pageSize=100`);
      const stream = await openEventStream(`${testBot.bot.url}/api/tab/backlogs/${backlogId}/events`, tokens.get(who)!);
      await stream.next('ready');
      streams.push(stream);
      opened.push(stream);
    }
    return opened;
  };
  const newBacklog = async (jql: string) => (await ok(ALICE, 'POST', '/backlogs', { name: `Estimating ${jql}`, jql, conversationId: MEETING })).backlog.id as string;

  let stack: MeetingStack | undefined;
  before(async () => {
    const attendeeOf = (p: Person) => ({ tenantId: TENANT, aadObjectId: p.oid, name: p.name, jira: p.jiraUser });
    stack = await startMeetingStack({ meetings: { [MEETING]: PEOPLE.map(attendeeOf) } });
    ({ sim, testBot, api } = stack);
    for (const who of PEOPLE) tokens.set(who, stack.tokenOf(attendeeOf(who)));
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) await stream.close();
  });
  after(async () => {
    // The restart test leaves its own bot on the same data folder; the stack closes the first one.
    if (testBot !== stack?.testBot) await testBot?.close();
    await stack?.close();
  });

  it('keeps votes off the wire until the reveal, then shows all three the votes and numbers; a re-vote clears them; the accepted value lands in the board field', async () => {
    const backlogId = await newBacklog('project = PHX AND issuetype = Story ORDER BY Rank ASC');
    const [aliceEvents, bobEvents, victorEvents] = await openStreams(backlogId);
    const key = ((await ok(ALICE, 'GET', `/backlogs/${backlogId}/issues?pageSize=5`)).issues[0] as { key: string }).key;
    wire.length = 0;

    const started = (await ok(ALICE, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: key })).round;
    assert.equal(started.issue.key, key);
    assert.equal(started.phase, 'voting');
    const roundPath = `/backlogs/${backlogId}/estimation/${started.id}`;
    for (const stream of [aliceEvents, bobEvents, victorEvents]) await stream.next('estimation', (d) => d.key === key && d.phase === 'voting');

    await ok(VICTOR, 'POST', `${roundPath}/role`, { observer: true });
    assertTabError(await call(VICTOR, 'POST', `${roundPath}/votes`, { card: '3' }), 400, 'badRequest', /observing/);
    assertTabError(await call(BOB, 'POST', `${roundPath}/votes`, { card: '7' }), 400, 'badRequest', /not a card/);
    const afterBob = (await ok(BOB, 'POST', `${roundPath}/votes`, { card: '5' })).round;
    assert.deepEqual(afterBob.voted, ['Bob Builder']);
    assert.equal(afterBob.me.voted, true);
    const afterAlice = (await ok(ALICE, 'POST', `${roundPath}/votes`, { card: '8' })).round;
    assert.deepEqual(afterAlice.voted, ['Bob Builder', 'Alice Admin']);
    assert.deepEqual(afterAlice.observers, ['Victor Viewer']);
    const seenByVictor = (await ok(VICTOR, 'GET', `/backlogs/${backlogId}/estimation`)).round;
    assert.deepEqual(seenByVictor.voted, ['Bob Builder', 'Alice Admin']);
    assert.equal(seenByVictor.me.observer, true);

    // Before the reveal no answer and no event carries a card, or a result.
    const events = () => [aliceEvents, bobEvents, victorEvents].flatMap((s) => s.events.map((e) => JSON.stringify(e.data)));
    for (const text of [...wire, ...events()]) {
      assert.doesNotMatch(text, /"card"|"result"|"votes"/, text);
    }
    for (const e of [aliceEvents, bobEvents, victorEvents].flatMap((s) => s.events.filter((x) => x.event === 'estimation'))) {
      assert.deepEqual(Object.keys(e.data).sort(), ['by', 'key', 'phase']);
    }

    // The observer reveals; all three streams hear it, and each one's own view has the votes.
    await ok(VICTOR, 'POST', `${roundPath}/reveal`);
    for (const stream of [aliceEvents, bobEvents, victorEvents]) await stream.next('estimation', (d) => d.key === key && d.phase === 'revealed');
    for (const who of PEOPLE) {
      const { round } = await ok(who, 'GET', `/backlogs/${backlogId}/estimation`);
      assert.equal(round.phase, 'revealed');
      assert.deepEqual(round.result.votes, [
        { name: 'Bob Builder', card: '5' },
        { name: 'Alice Admin', card: '8' },
      ]);
      assert.equal(round.result.summary.median, 6.5);
      assert.equal(round.result.summary.average, 6.5);
      assert.equal(round.result.summary.consensus, false);
    }

    // A re-vote clears the votes and hides them again.
    const revoted = (await ok(BOB, 'POST', `${roundPath}/revote`)).round;
    assert.equal(revoted.phase, 'voting');
    assert.equal(revoted.attempt, 2);
    assert.deepEqual(revoted.voted, []);
    assert.equal(revoted.result, undefined);
    await ok(ALICE, 'POST', `${roundPath}/votes`, { card: '5' });
    await ok(BOB, 'POST', `${roundPath}/votes`, { card: '5' });
    const second = (await ok(ALICE, 'POST', `${roundPath}/reveal`)).round;
    assert.equal(second.result.summary.consensus, true);
    assert.equal(second.result.summary.suggested, 5);

    // Bob accepts through his own connection; the board's estimation field (Story Points) has it.
    const accepted = (await ok(BOB, 'POST', `${roundPath}/accept`, { value: 5 })).round;
    assert.deepEqual(accepted.accepted, { value: 5, by: 'Bob Builder', field: 'Story Points' });
    assert.equal((await simIssue(key)).fields[FieldId.StoryPoints], 5);
    await aliceEvents.next('issue-changed', (d) => d.key === key);
    await victorEvents.next('estimation', (d) => d.key === key && d.phase === 'accepted');
  });

  it('lets only the starter accept when the backlog says so, and records the round in a comment when asked', async () => {
    const backlogId = await newBacklog('project = PHX AND issuetype = Story ORDER BY Rank ASC');
    await ok(BOB, 'PUT', `/backlogs/${backlogId}/estimation-settings`, { deck: 't-shirt', acceptBy: 'starter', comment: true });
    const key = ((await ok(ALICE, 'GET', `/backlogs/${backlogId}/issues?pageSize=5`)).issues[1] as { key: string }).key;
    const round = (await ok(ALICE, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: key })).round;
    assert.deepEqual(
      round.cards.map((c: { label: string }) => c.label),
      ['XS', 'S', 'M', 'L', 'XL', 'XXL', '?', 'coffee'],
    );
    const roundPath = `/backlogs/${backlogId}/estimation/${round.id}`;
    await ok(ALICE, 'POST', `${roundPath}/votes`, { card: 'L' });
    await ok(BOB, 'POST', `${roundPath}/votes`, { card: 'XL' });
    assertTabError(await call(BOB, 'POST', `${roundPath}/accept`, { value: 5 }), 400, 'badRequest', /Reveal/);
    const revealed = (await ok(BOB, 'POST', `${roundPath}/reveal`)).round;
    assert.equal(revealed.me.mayAccept, false);
    assertTabError(await call(BOB, 'POST', `${roundPath}/accept`, { value: 8 }), 403, 'forbidden', /Alice Admin/);
    await ok(ALICE, 'POST', `${roundPath}/accept`, { value: 8 });
    const issue = await simIssue(key);
    assert.equal(issue.fields[FieldId.StoryPoints], 8);
    const comments = JSON.stringify(
      issue.fields.comment?.comments ??
        (await (await fetch(`${sim.url}/rest/api/3/issue/${key}/comment`, { headers: { authorization: sim.basicAuth('alice@example.com') } })).json()),
    );
    assert.match(comments, /Estimated 8 \(Story Points\).*Alice Admin: L, Bob Builder: XL/);
  });

  it('refuses steps out of turn, lets an observer vote again, ends a round, and refuses a step on a round that was replaced', async () => {
    const backlogId = await newBacklog('project = PHX AND issuetype = Story ORDER BY Rank ASC');
    const [first, second] = (await ok(ALICE, 'GET', `/backlogs/${backlogId}/issues?pageSize=5`)).issues as Array<{ key: string }>;
    assertTabError(await call(ALICE, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: first.key, next: true }), 400, 'badRequest', /exactly one/);
    assertTabError(await call(ALICE, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: 'KAN-1' }), 404, 'notFound', /not in this backlog/);
    const round = (await ok(ALICE, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: first.key })).round;
    const roundPath = `/backlogs/${backlogId}/estimation/${round.id}`;
    assertTabError(await call(ALICE, 'POST', `${roundPath}/reveal`), 400, 'badRequest', /Nobody has voted/);
    await ok(BOB, 'POST', `${roundPath}/role`, { observer: true });
    const back = (await ok(BOB, 'POST', `${roundPath}/role`, { observer: false })).round;
    assert.deepEqual([back.observers, back.me.observer], [[], false]);
    await ok(BOB, 'POST', `${roundPath}/votes`, { card: '?' });
    const revealed = (await ok(ALICE, 'POST', `${roundPath}/reveal`)).round;
    assert.deepEqual(revealed.result.summary, { distribution: [{ label: '?', count: 1 }], median: null, average: null, consensus: false, suggested: null });
    assertTabError(await call(ALICE, 'POST', `${roundPath}/reveal`), 400, 'badRequest', /already revealed/);
    assertTabError(await call(BOB, 'POST', `${roundPath}/votes`, { card: '3' }), 400, 'badRequest', /Voting is over/);
    const ended = (await ok(BOB, 'POST', `${roundPath}/cancel`)).round;
    assert.equal(ended.phase, 'cancelled');

    const replacing = (await ok(BOB, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: second.key })).round;
    assert.notEqual(replacing.id, round.id);
    assertTabError(await call(ALICE, 'POST', `${roundPath}/votes`, { card: '3' }), 404, 'notFound', /another one was started/);
    assert.equal((await ok(ALICE, 'GET', `/backlogs/${backlogId}/estimation`)).round.issue.key, second.key);
  });

  it('shows a round only to those whose Jira lets them see its issue, and says when every issue has an estimate', async () => {
    // Victor may not browse SUP: the round on a SUP issue does not exist for him, in answers or on his stream.
    const backlogId = await newBacklog('project = SUP ORDER BY Rank ASC');
    const victorEvents = await openEventStream(`${testBot.bot.url}/api/tab/backlogs/${backlogId}/events`, tokens.get(VICTOR)!);
    streams.push(victorEvents);
    const aliceEvents = await openEventStream(`${testBot.bot.url}/api/tab/backlogs/${backlogId}/events`, tokens.get(ALICE)!);
    streams.push(aliceEvents);
    await victorEvents.next('ready');
    await aliceEvents.next('ready');
    const key = ((await ok(ALICE, 'GET', `/backlogs/${backlogId}/issues?pageSize=5`)).issues[0] as { key: string }).key;
    const round = (await ok(ALICE, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: key })).round;
    await aliceEvents.next('estimation', (d) => d.key === key);
    assert.equal((await ok(VICTOR, 'GET', `/backlogs/${backlogId}/estimation`)).round, null);
    assertTabError(await call(VICTOR, 'POST', `/backlogs/${backlogId}/estimation/${round.id}/votes`, { card: '3' }), 404, 'notFound');
    await ok(ALICE, 'POST', `/backlogs/${backlogId}/estimation/${round.id}/cancel`);
    await aliceEvents.next('estimation', (d) => d.key === key && d.phase === 'cancelled');
    assert.equal(victorEvents.events.filter((e) => e.event === 'estimation').length, 0, 'the stream names no issue Victor cannot see');

    const estimated = (
      (await ok(ALICE, 'GET', `/backlogs/${await newBacklog('project = PHX ORDER BY Rank ASC')}/issues?pageSize=100`)).issues as Array<{ key: string; estimate: number | null }>
    ).find((i) => i.estimate !== null)!;
    const onlyEstimated = await newBacklog(`key = ${estimated.key}`);
    assertTabError(await call(BOB, 'POST', `/backlogs/${onlyEstimated}/estimation`, { next: true }), 404, 'notFound', /Every issue of this backlog has an estimate/);
    assert.deepEqual((await ok(BOB, 'GET', `/backlogs/${onlyEstimated}/estimation-settings`)).settings, { deck: 'fibonacci', customCards: [], acceptBy: 'anyone', comment: false });
  });

  it('reveals by itself once the timer has run out, for every open panel', async () => {
    const backlogId = await newBacklog('project = PHX AND issuetype = Story ORDER BY Rank ASC');
    const [, bobEvents] = await openStreams(backlogId);
    const key = ((await ok(ALICE, 'GET', `/backlogs/${backlogId}/issues?pageSize=5`)).issues[2] as { key: string }).key;
    assertTabError(await call(ALICE, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: key, timerSeconds: 1 }), 400, 'badRequest', /timerSeconds/);
    const round = (await ok(ALICE, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: key, timerSeconds: 5 })).round;
    assert.equal(Date.parse(round.endsAt) - Date.parse(round.startedAt), 5000);
    await ok(BOB, 'POST', `/backlogs/${backlogId}/estimation/${round.id}/votes`, { card: '3' });
    // The panels ask again when their countdown ends; the first ask after the end reveals, for everyone.
    let revealed: any;
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 250))) {
      revealed = (await ok(VICTOR, 'GET', `/backlogs/${backlogId}/estimation`)).round;
      if (revealed.phase === 'revealed') break;
    }
    assert.equal(revealed.phase, 'revealed');
    assert.deepEqual(revealed.result.votes, [{ name: 'Bob Builder', card: '3' }]);
    await bobEvents.next('estimation', (d) => d.key === key && d.phase === 'revealed');
  });

  it('walks to the next unestimated issue in backlog order, and a round survives a restart of the service', async () => {
    const backlogId = await newBacklog('project = PHX ORDER BY Rank ASC');
    const issues = (await ok(ALICE, 'GET', `/backlogs/${backlogId}/issues?pageSize=100`)).issues as Array<{ key: string; estimate: number | null }>;
    const unestimated = issues.filter((i) => i.estimate === null).map((i) => i.key);
    assert.ok(unestimated.length >= 2);
    const first = (await ok(BOB, 'POST', `/backlogs/${backlogId}/estimation`, { next: true })).round;
    assert.equal(first.issue.key, unestimated[0]);
    // Not accepted, so "next" moves past it.
    const second = (await ok(BOB, 'POST', `/backlogs/${backlogId}/estimation`, { next: true })).round;
    assert.equal(second.issue.key, unestimated[1]);
    await ok(BOB, 'POST', `/backlogs/${backlogId}/estimation/${second.id}/votes`, { card: '13' });

    await testBot.bot.close();
    const restarted = await startTestBot({
      DATA_DIR: testBot.dataDir,
      JIRA_BASE_URL: sim.url,
      ALERT_POLL_INTERVAL_SECONDS: '0',
      TAB_SSO_AUDIENCE: TAB_AUDIENCE,
      TAB_SSO_JWKS_URL: stack!.emu.jwksUrl,
      TAB_SSO_ISSUER: stack!.emu.issuerTemplate,
    });
    testBot = restarted;
    api = tabClient(restarted.bot.url);
    const { round } = await ok(ALICE, 'GET', `/backlogs/${backlogId}/estimation`);
    assert.equal(round.id, second.id);
    assert.equal(round.issue.key, unestimated[1]);
    assert.deepEqual(round.voted, ['Bob Builder']);
    assert.equal(round.result, undefined);
  });
});
