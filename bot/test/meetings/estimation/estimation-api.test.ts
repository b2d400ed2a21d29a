import assert from 'node:assert/strict';
import { FieldId, type JiraSim } from '../../../../dev/jira-sim/src';
import { CONNECTION_KINDS, oauthAppEnv, type ConnectionKind } from '../../support/connect-as';
import { startMeetingStack, TAB_AUDIENCE, type MeetingStack } from '../../support/start-meeting-stack';
import { startTestBot, type TestBot } from '../../support/start-test-bot';
import { assertTabError, openEventStream, tabClient } from '../tab-client';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

interface Person {
  oid: string;
  name: string;
  jiraUser: string;
}

/**
 * Two voters and an observer per connection kind, each kind in its own meeting of the one service:
 * the same Jira users, connected by API token in one meeting and by OAuth 2.0 (3LO) in the other.
 * `first` is where a kind's rounds start in the PHX story backlog, so the two kinds accept into
 * different issues and each write really changes Jira.
 */
interface Cast {
  meeting: string;
  alice: Person;
  bob: Person;
  victor: Person;
  first: number;
}
const CASTS: Record<ConnectionKind, Cast> = {
  token: {
    meeting: '19:meeting_estimation-api@thread.v2',
    alice: { oid: 'a11ce000-0000-4000-8000-000000000001', name: 'Alice Admin', jiraUser: 'alice' },
    bob: { oid: 'b0b00000-0000-4000-8000-000000000002', name: 'Bob Builder', jiraUser: 'bob' },
    victor: { oid: 'f1c70000-0000-4000-8000-000000000008', name: 'Victor Viewer', jiraUser: 'victor' },
    first: 0,
  },
  oauth: {
    meeting: '19:meeting_estimation-api-oauth@thread.v2',
    alice: { oid: 'a11ce000-0000-4000-8000-0000000000a1', name: 'Alice Admin', jiraUser: 'alice' },
    bob: { oid: 'b0b00000-0000-4000-8000-0000000000b2', name: 'Bob Builder', jiraUser: 'bob' },
    victor: { oid: 'f1c70000-0000-4000-8000-0000000000f8', name: 'Victor Viewer', jiraUser: 'victor' },
    first: 3,
  },
};
const peopleOf = (cast: Cast) => [cast.alice, cast.bob, cast.victor];

/**
 * Estimation rounds through the tab API of the assembled service: two voters and an observer,
 * each with their own Jira connection to the simulator, once with API tokens and once with OAuth
 * connections holding the scopes the app requests (the simulator answers a missing scope 401);
 * every answer and event is read as raw text, so a card showing up anywhere before the reveal
 * fails the test.
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
  const openStreams = async (backlogId: string, cast: Cast) => {
    const opened = [];
    for (const who of peopleOf(cast)) {
      // Each attendee lists the backlog first, as the panel does: events name only issues they were shown.
      await ok(who, 'GET', `/backlogs/${backlogId}/issues?pageSize=100`);
      const stream = await openEventStream(`${testBot.bot.url}/api/tab/backlogs/${backlogId}/events`, tokens.get(who)!);
      await stream.next('ready');
      streams.push(stream);
      opened.push(stream);
    }
    return opened;
  };
  const newBacklog = async (cast: Cast, jql: string) =>
    (await ok(cast.alice, 'POST', '/backlogs', { name: `Estimating ${jql}`, jql, conversationId: cast.meeting })).backlog.id as string;

  let stack: MeetingStack | undefined;
  before(async () => {
    const attendeeOf = (p: Person, via: ConnectionKind) => ({ tenantId: TENANT, aadObjectId: p.oid, name: p.name, jira: p.jiraUser, via });
    stack = await startMeetingStack({ meetings: Object.fromEntries(CONNECTION_KINDS.map((via) => [CASTS[via].meeting, peopleOf(CASTS[via]).map((p) => attendeeOf(p, via))])) });
    ({ sim, testBot, api } = stack);
    for (const via of CONNECTION_KINDS) for (const who of peopleOf(CASTS[via])) tokens.set(who, stack.tokenOf(attendeeOf(who, via)));
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) await stream.close();
  });
  after(async () => {
    // The restart test leaves its own bot on the same data folder; the stack closes the first one.
    if (testBot !== stack?.testBot) await testBot?.close();
    await stack?.close();
  });

  for (const via of CONNECTION_KINDS)
    describe(`with ${via} connections`, () => {
      const cast = CASTS[via];
      const { alice, bob, victor } = cast;

      it('keeps votes off the wire until the reveal, then shows all three the votes and numbers; a re-vote clears them; the accepted value lands in the board field', async () => {
        const backlogId = await newBacklog(cast, 'project = PHX AND issuetype = Story ORDER BY Rank ASC');
        const [aliceEvents, bobEvents, victorEvents] = await openStreams(backlogId, cast);
        const key = ((await ok(alice, 'GET', `/backlogs/${backlogId}/issues?pageSize=10`)).issues[cast.first] as { key: string }).key;
        assert.notEqual((await simIssue(key)).fields[FieldId.StoryPoints], 5, 'the accepted value changes the issue');
        wire.length = 0;

        const started = (await ok(alice, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: key })).round;
        assert.equal(started.issue.key, key);
        assert.equal(started.phase, 'voting');
        const roundPath = `/backlogs/${backlogId}/estimation/${started.id}`;
        for (const stream of [aliceEvents, bobEvents, victorEvents]) await stream.next('estimation', (d) => d.key === key && d.phase === 'voting');

        await ok(victor, 'POST', `${roundPath}/role`, { observer: true });
        assertTabError(await call(victor, 'POST', `${roundPath}/votes`, { card: '3' }), 400, 'badRequest', /observing/);
        assertTabError(await call(bob, 'POST', `${roundPath}/votes`, { card: '7' }), 400, 'badRequest', /not a card/);
        const afterBob = (await ok(bob, 'POST', `${roundPath}/votes`, { card: '5' })).round;
        assert.deepEqual(afterBob.voted, ['Bob Builder']);
        assert.equal(afterBob.me.voted, true);
        const afterAlice = (await ok(alice, 'POST', `${roundPath}/votes`, { card: '8' })).round;
        assert.deepEqual(afterAlice.voted, ['Bob Builder', 'Alice Admin']);
        assert.deepEqual(afterAlice.observers, ['Victor Viewer']);
        const seenByVictor = (await ok(victor, 'GET', `/backlogs/${backlogId}/estimation`)).round;
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
        await ok(victor, 'POST', `${roundPath}/reveal`);
        for (const stream of [aliceEvents, bobEvents, victorEvents]) await stream.next('estimation', (d) => d.key === key && d.phase === 'revealed');
        for (const who of peopleOf(cast)) {
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
        const revoted = (await ok(bob, 'POST', `${roundPath}/revote`)).round;
        assert.equal(revoted.phase, 'voting');
        assert.equal(revoted.attempt, 2);
        assert.deepEqual(revoted.voted, []);
        assert.equal(revoted.result, undefined);
        await ok(alice, 'POST', `${roundPath}/votes`, { card: '5' });
        await ok(bob, 'POST', `${roundPath}/votes`, { card: '5' });
        const second = (await ok(alice, 'POST', `${roundPath}/reveal`)).round;
        assert.equal(second.result.summary.consensus, true);
        assert.equal(second.result.summary.suggested, 5);

        // Bob accepts through his own connection (of this kind); the board's estimation field (Story Points) has it.
        const accepted = (await ok(bob, 'POST', `${roundPath}/accept`, { value: 5 })).round;
        assert.deepEqual(accepted.accepted, { value: 5, by: 'Bob Builder', field: 'Story Points' });
        assert.equal((await simIssue(key)).fields[FieldId.StoryPoints], 5);
        const written = sim.state.issue(key)!.changelog.at(-1)!;
        assert.equal(written.authorAccountId, sim.state.userByEmail('bob@example.com')!.accountId, "Jira records Bob's own connection as the writer");
        assert.deepEqual(
          written.items.map((i) => i.fieldId),
          [FieldId.StoryPoints],
        );
        await aliceEvents.next('issue-changed', (d) => d.key === key);
        await victorEvents.next('estimation', (d) => d.key === key && d.phase === 'accepted');
      });

      it('lets only the starter accept when the backlog says so, and records the round in a comment when asked', async () => {
        const backlogId = await newBacklog(cast, 'project = PHX AND issuetype = Story ORDER BY Rank ASC');
        await ok(bob, 'PUT', `/backlogs/${backlogId}/estimation-settings`, { deck: 't-shirt', acceptBy: 'starter', comment: true });
        const key = ((await ok(alice, 'GET', `/backlogs/${backlogId}/issues?pageSize=10`)).issues[cast.first + 1] as { key: string }).key;
        assert.notEqual((await simIssue(key)).fields[FieldId.StoryPoints], 8, 'the accepted value changes the issue');
        const round = (await ok(alice, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: key })).round;
        assert.deepEqual(
          round.cards.map((c: { label: string }) => c.label),
          ['XS', 'S', 'M', 'L', 'XL', 'XXL', '?', 'coffee'],
        );
        const roundPath = `/backlogs/${backlogId}/estimation/${round.id}`;
        await ok(alice, 'POST', `${roundPath}/votes`, { card: 'L' });
        await ok(bob, 'POST', `${roundPath}/votes`, { card: 'XL' });
        assertTabError(await call(bob, 'POST', `${roundPath}/accept`, { value: 5 }), 400, 'badRequest', /Reveal/);
        const revealed = (await ok(bob, 'POST', `${roundPath}/reveal`)).round;
        assert.equal(revealed.me.mayAccept, false);
        assertTabError(await call(bob, 'POST', `${roundPath}/accept`, { value: 8 }), 403, 'forbidden', /Alice Admin/);
        await ok(alice, 'POST', `${roundPath}/accept`, { value: 8 });
        const issue = await simIssue(key);
        assert.equal(issue.fields[FieldId.StoryPoints], 8);
        const comments = JSON.stringify(
          issue.fields.comment?.comments ??
            (await (await fetch(`${sim.url}/rest/api/3/issue/${key}/comment`, { headers: { authorization: sim.basicAuth('alice@example.com') } })).json()),
        );
        assert.match(comments, /Estimated 8 \(Story Points\).*Alice Admin: L, Bob Builder: XL/);
      });

      it('refuses steps out of turn, lets an observer vote again, ends a round, and refuses a step on a round that was replaced', async () => {
        const backlogId = await newBacklog(cast, 'project = PHX AND issuetype = Story ORDER BY Rank ASC');
        const [first, second] = (await ok(alice, 'GET', `/backlogs/${backlogId}/issues?pageSize=5`)).issues as Array<{ key: string }>;
        assertTabError(await call(alice, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: first.key, next: true }), 400, 'badRequest', /exactly one/);
        assertTabError(await call(alice, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: 'KAN-1' }), 404, 'notFound', /not in this backlog/);
        const round = (await ok(alice, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: first.key })).round;
        const roundPath = `/backlogs/${backlogId}/estimation/${round.id}`;
        assertTabError(await call(alice, 'POST', `${roundPath}/reveal`), 400, 'badRequest', /Nobody has voted/);
        await ok(bob, 'POST', `${roundPath}/role`, { observer: true });
        const back = (await ok(bob, 'POST', `${roundPath}/role`, { observer: false })).round;
        assert.deepEqual([back.observers, back.me.observer], [[], false]);
        await ok(bob, 'POST', `${roundPath}/votes`, { card: '?' });
        const revealed = (await ok(alice, 'POST', `${roundPath}/reveal`)).round;
        assert.deepEqual(revealed.result.summary, { distribution: [{ label: '?', count: 1 }], median: null, average: null, consensus: false, suggested: null });
        assertTabError(await call(alice, 'POST', `${roundPath}/reveal`), 400, 'badRequest', /already revealed/);
        assertTabError(await call(bob, 'POST', `${roundPath}/votes`, { card: '3' }), 400, 'badRequest', /Voting is over/);
        const ended = (await ok(bob, 'POST', `${roundPath}/cancel`)).round;
        assert.equal(ended.phase, 'cancelled');

        const replacing = (await ok(bob, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: second.key })).round;
        assert.notEqual(replacing.id, round.id);
        assertTabError(await call(alice, 'POST', `${roundPath}/votes`, { card: '3' }), 404, 'notFound', /another one was started/);
        assert.equal((await ok(alice, 'GET', `/backlogs/${backlogId}/estimation`)).round.issue.key, second.key);
      });

      it('shows a round only to those whose Jira lets them see its issue, and says when every issue has an estimate', async () => {
        // Victor may not browse SUP: the round on a SUP issue does not exist for him, in answers or on his stream.
        const backlogId = await newBacklog(cast, 'project = SUP ORDER BY Rank ASC');
        const victorEvents = await openEventStream(`${testBot.bot.url}/api/tab/backlogs/${backlogId}/events`, tokens.get(victor)!);
        streams.push(victorEvents);
        const aliceEvents = await openEventStream(`${testBot.bot.url}/api/tab/backlogs/${backlogId}/events`, tokens.get(alice)!);
        streams.push(aliceEvents);
        await victorEvents.next('ready');
        await aliceEvents.next('ready');
        const key = ((await ok(alice, 'GET', `/backlogs/${backlogId}/issues?pageSize=5`)).issues[0] as { key: string }).key;
        const round = (await ok(alice, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: key })).round;
        await aliceEvents.next('estimation', (d) => d.key === key);
        assert.equal((await ok(victor, 'GET', `/backlogs/${backlogId}/estimation`)).round, null);
        assertTabError(await call(victor, 'POST', `/backlogs/${backlogId}/estimation/${round.id}/votes`, { card: '3' }), 404, 'notFound');
        await ok(alice, 'POST', `/backlogs/${backlogId}/estimation/${round.id}/cancel`);
        await aliceEvents.next('estimation', (d) => d.key === key && d.phase === 'cancelled');
        assert.equal(victorEvents.events.filter((e) => e.event === 'estimation').length, 0, 'the stream names no issue Victor cannot see');

        const estimated = (
          (await ok(alice, 'GET', `/backlogs/${await newBacklog(cast, 'project = PHX ORDER BY Rank ASC')}/issues?pageSize=100`)).issues as Array<{
            key: string;
            estimate: number | null;
          }>
        ).find((i) => i.estimate !== null)!;
        const onlyEstimated = await newBacklog(cast, `key = ${estimated.key}`);
        assertTabError(await call(bob, 'POST', `/backlogs/${onlyEstimated}/estimation`, { next: true }), 404, 'notFound', /Every issue of this backlog has an estimate/);
        assert.deepEqual((await ok(bob, 'GET', `/backlogs/${onlyEstimated}/estimation-settings`)).settings, {
          deck: 'fibonacci',
          customCards: [],
          acceptBy: 'anyone',
          comment: false,
        });
      });

      it('walks to the next unestimated issue in backlog order, past one started and not accepted', async () => {
        const backlogId = await newBacklog(cast, 'project = PHX ORDER BY Rank ASC');
        const issues = (await ok(alice, 'GET', `/backlogs/${backlogId}/issues?pageSize=100`)).issues as Array<{ key: string; estimate: number | null }>;
        const unestimated = issues.filter((i) => i.estimate === null).map((i) => i.key);
        assert.ok(unestimated.length >= 2);
        const first = (await ok(bob, 'POST', `/backlogs/${backlogId}/estimation`, { next: true })).round;
        assert.equal(first.issue.key, unestimated[0]);
        // Not accepted, so "next" moves past it.
        const second = (await ok(bob, 'POST', `/backlogs/${backlogId}/estimation`, { next: true })).round;
        assert.equal(second.issue.key, unestimated[1]);
      });
    });

  describe('once, as the connection kind does not matter to it', () => {
    it('reveals by itself once the timer has run out, for every open panel', async () => {
      const cast = CASTS.token;
      const { alice, bob, victor } = cast;
      const backlogId = await newBacklog(cast, 'project = PHX AND issuetype = Story ORDER BY Rank ASC');
      const [, bobEvents] = await openStreams(backlogId, cast);
      const key = ((await ok(alice, 'GET', `/backlogs/${backlogId}/issues?pageSize=10`)).issues[cast.first + 2] as { key: string }).key;
      assertTabError(await call(alice, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: key, timerSeconds: 1 }), 400, 'badRequest', /timerSeconds/);
      const round = (await ok(alice, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: key, timerSeconds: 5 })).round;
      assert.equal(Date.parse(round.endsAt) - Date.parse(round.startedAt), 5000);
      await ok(bob, 'POST', `/backlogs/${backlogId}/estimation/${round.id}/votes`, { card: '3' });
      // The panels ask again when their countdown ends; the first ask after the end reveals, for everyone.
      let revealed: any;
      for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 250))) {
        revealed = (await ok(victor, 'GET', `/backlogs/${backlogId}/estimation`)).round;
        if (revealed.phase === 'revealed') break;
      }
      assert.equal(revealed.phase, 'revealed');
      assert.deepEqual(revealed.result.votes, [{ name: 'Bob Builder', card: '3' }]);
      await bobEvents.next('estimation', (d) => d.key === key && d.phase === 'revealed');
    });

    it('keeps a round through a restart of the service, whose OAuth connections still work afterwards', async () => {
      const cast = CASTS.oauth;
      const { alice, bob } = cast;
      const backlogId = await newBacklog(cast, 'project = PHX ORDER BY Rank ASC');
      const round = (await ok(bob, 'POST', `/backlogs/${backlogId}/estimation`, { next: true })).round;
      await ok(bob, 'POST', `/backlogs/${backlogId}/estimation/${round.id}/votes`, { card: '13' });

      await testBot.bot.close();
      const restarted = await startTestBot({
        DATA_DIR: testBot.dataDir,
        JIRA_BASE_URL: sim.url,
        ALERT_POLL_INTERVAL_SECONDS: '0',
        TAB_SSO_AUDIENCE: TAB_AUDIENCE,
        TAB_SSO_JWKS_URL: stack!.emu.jwksUrl,
        TAB_SSO_ISSUER: stack!.emu.issuerTemplate,
        ...oauthAppEnv(sim),
      });
      testBot = restarted;
      api = tabClient(restarted.bot.url);
      // Alice's view of the round asks Jira whether she may see its issue, through her stored OAuth grant.
      const { round: kept } = await ok(alice, 'GET', `/backlogs/${backlogId}/estimation`);
      assert.equal(kept.id, round.id);
      assert.equal(kept.issue.key, round.issue.key);
      assert.deepEqual(kept.voted, ['Bob Builder']);
      assert.equal(kept.result, undefined);
    });
  });
});
