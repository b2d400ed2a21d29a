import assert from 'node:assert/strict';
import { messageActivity, postActivity, type BotConnector, type TeamsActivity } from '../../../../dev/bot-connector-emu/src';
import { CONNECTION_KINDS, type ConnectionKind } from '../../support/connect-as';
import { startMeetingStack, type MeetingStack } from '../../support/start-meeting-stack';
import type { TestBot } from '../../support/start-test-bot';
import { cardText } from '../../support/validate-card';
import { tabClient } from '../tab-client';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
interface Person {
  oid: string;
  name: string;
  jiraUser: string;
}

/**
 * Alice and Bob in one meeting per connection kind, on the one service: connected by API token in
 * one and by OAuth 2.0 (3LO) in the other. Each kind estimates its own value, so the second
 * meeting's round writes a change to Jira too.
 */
const CASTS: Record<ConnectionKind, { meeting: string; alice: Person; bob: Person; card: string }> = {
  token: {
    meeting: '19:meeting_recap-test@thread.v2',
    alice: { oid: 'a11ce000-0000-4000-8000-000000000001', name: 'Alice Admin', jiraUser: 'alice' },
    bob: { oid: 'b0b00000-0000-4000-8000-000000000002', name: 'Bob Builder', jiraUser: 'bob' },
    card: '3',
  },
  oauth: {
    meeting: '19:meeting_recap-test-oauth@thread.v2',
    alice: { oid: 'a11ce000-0000-4000-8000-0000000000a1', name: 'Alice Admin', jiraUser: 'alice' },
    bob: { oid: 'b0b00000-0000-4000-8000-0000000000b2', name: 'Bob Builder', jiraUser: 'bob' },
    card: '5',
  },
};

/**
 * The meeting recap end to end: changes made through the tab API of a meeting's backlog, then the
 * `recap` command and Teams' meetingEnd event in the meeting chat, answered with the recap card
 * the Bot Connector emulation receives; with API-token and with OAuth connections.
 */
describe('meeting recap', function () {
  this.timeout(30_000);
  let testBot: TestBot;
  let connector: BotConnector;
  let api: ReturnType<typeof tabClient>;
  const tokens = new Map<Person, string>();

  const ok = async (who: Person, method: string, path: string, body?: unknown) => {
    const answer = await api(tokens.get(who), method, path, body);
    assert.ok(answer.status < 300, `${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const inMeeting = (meeting: string, from: Person, overrides: Partial<TeamsActivity>, text = 'recap') =>
    messageActivity({
      serviceUrl: connector.url,
      conversationType: 'groupChat',
      conversationId: meeting,
      tenantId: TENANT,
      from: { id: `29:${from.oid}`, name: from.name, aadObjectId: from.oid },
      text,
      overrides,
    });
  const cards = (meeting: string) => connector.activities(meeting).filter((call) => call.body?.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive');
  /** The card of the n-th message the bot posted to the meeting chat after `earlier` cards (1-based). */
  const nthCard = async (meeting: string, earlier: number, n: number) => {
    await connector.waitFor(() => cards(meeting).length >= earlier + n);
    return cards(meeting)[earlier + n - 1].body.attachments[0].content;
  };

  let stack: MeetingStack | undefined;
  before(async () => {
    const attendeeOf = (p: Person, via: ConnectionKind) => ({ tenantId: TENANT, aadObjectId: p.oid, name: p.name, jira: p.jiraUser, via });
    stack = await startMeetingStack({
      meetings: Object.fromEntries(CONNECTION_KINDS.map((via) => [CASTS[via].meeting, [CASTS[via].alice, CASTS[via].bob].map((p) => attendeeOf(p, via))])),
    });
    ({ testBot, api, connector } = stack);
    for (const via of CONNECTION_KINDS) for (const who of [CASTS[via].alice, CASTS[via].bob]) tokens.set(who, stack.tokenOf(attendeeOf(who, via)));
  });
  after(async () => {
    await stack?.close();
  });

  for (const via of CONNECTION_KINDS)
    it(`lists what the meeting estimated, created, transitioned, assigned and ranked, when asked and when the meeting ends, then starts afresh (${via} connections)`, async () => {
      const { meeting, alice, bob, card } = CASTS[via];
      /** Cards the bot had posted to the meeting chat before the test (its welcome card). */
      const earlier = cards(meeting).length;
      const backlogId = (await ok(alice, 'POST', '/backlogs', { name: 'Recap', jql: 'project = KAN AND status = "To Do" ORDER BY Rank ASC', conversationId: meeting })).backlog.id;
      const [first, second, third] = (await ok(alice, 'GET', `/backlogs/${backlogId}/issues?pageSize=10`)).issues as Array<{ key: string }>;

      // Estimated through a round, then transitioned, assigned, ranked and created through the tab.
      const round = (await ok(alice, 'POST', `/backlogs/${backlogId}/estimation`, { issueKey: first.key })).round;
      await ok(alice, 'POST', `/backlogs/${backlogId}/estimation/${round.id}/votes`, { card });
      await ok(bob, 'POST', `/backlogs/${backlogId}/estimation/${round.id}/votes`, { card });
      await ok(bob, 'POST', `/backlogs/${backlogId}/estimation/${round.id}/reveal`);
      await ok(bob, 'POST', `/backlogs/${backlogId}/estimation/${round.id}/accept`, { value: Number(card) });
      const transitions = (await ok(alice, 'GET', `/backlogs/${backlogId}/issues/${second.key}/transitions`)).transitions as Array<{ id: string; to: { name: string } }>;
      const toProgress = transitions.find((t) => t.to.name === 'In Progress')!;
      await ok(alice, 'POST', `/backlogs/${backlogId}/issues/${second.key}/transitions`, { transitionId: toProgress.id });
      const bobOptions = await ok(bob, 'GET', `/backlogs/${backlogId}/options`);
      await ok(bob, 'PATCH', `/backlogs/${backlogId}/issues/${third.key}`, { assigneeAccountId: bobOptions.me.accountId });
      await ok(alice, 'POST', `/backlogs/${backlogId}/rank`, { keys: [third.key], before: first.key });
      const kan = (bobOptions.projects as Array<{ key: string; issueTypes: Array<{ id: string; name: string }> }>).find((p) => p.key === 'KAN')!;
      const created = (
        await ok(bob, 'POST', `/backlogs/${backlogId}/issues`, {
          projectKey: 'KAN',
          issueTypeId: kan.issueTypes.find((t) => t.name === 'Task')!.id,
          summary: 'Written in the meeting',
        })
      ).issue;

      const asked = await postActivity(testBot.messagesUrl, inMeeting(meeting, alice, {}));
      assert.ok(asked.status < 300);
      const soFar = cardText(await nthCard(meeting, earlier, 1));
      assert.match(soFar, /Recap so far/);
      assert.match(soFar, new RegExp(`Estimated \\(1\\)[\\s\\S]*${first.key.replace('-', '\\\\-')}[\\s\\S]*→ ${card} \\(Story Points\\)\\nBob Builder`));
      assert.match(soFar, new RegExp(`Moved to another status \\(1\\)[\\s\\S]*${second.key.replace('-', '\\\\-')}[\\s\\S]*→ In Progress`));
      assert.match(soFar, /Assigned \(1\)[\s\S]*→ Bob Builder\nBob Builder/);
      assert.match(soFar, new RegExp(`Re-ranked \\(1\\)[\\s\\S]*${third.key.replace('-', '\\\\-')}`));
      assert.match(soFar, new RegExp(`Created \\(1\\)[\\s\\S]*${created.key.replace('-', '\\\\-')}\\nWritten in the meeting`));

      // Teams says the meeting ended: the same list, as the meeting's recap.
      const ended = await postActivity(
        testBot.messagesUrl,
        inMeeting(meeting, alice, {
          type: 'event',
          name: 'application/vnd.microsoft.meetingEnd',
          text: undefined,
          attachments: undefined,
          entities: undefined,
          value: { Id: 'meeting-1', MeetingType: 'Scheduled', Title: 'Grooming', EndTime: new Date().toISOString() },
        }),
      );
      assert.ok(ended.status < 300);
      const recap = await nthCard(meeting, earlier, 2);
      assert.match(cardText(recap), /^Meeting recap: what changed in Jira/);
      assert.equal(recap.fallbackText, 'Meeting recap: what changed in Jira: estimated 1, created 1, moved to another status 1, assigned 1, re-ranked 1');

      // The next recap starts after that one.
      await postActivity(testBot.messagesUrl, inMeeting(meeting, alice, {}));
      assert.match(cardText(await nthCard(meeting, earlier, 3)), /Nothing was changed from the Jira tab/);
    });
});
