import assert from 'node:assert/strict';
import { CHANNEL_ID, DEFAULT_TENANT_ID, TEAM_ID, TEAMS_USER, messageActivity, postActivity, type Account } from '../../../../dev/bot-connector-emu/src';
import { POLLER_LEASE_TABLE } from '../../../src/alerts/poller-lease';
import { connectionOwner } from '../../../src/connections/connection';
import { CONNECTION_KINDS, connectAs } from '../../support/connect-as';
import { assertValidCard, cardText } from '../../support/validate-card';
import { BOB, BOB_CHAT, startAlertStack, type AlertStack } from '../../alerts/start-alert-stack';

const BOB_ACCOUNT_ID = '712020:00000000-0000-4000-8000-000000000002';
/** Connected to Jira, but no member of the Phoenix team. */
const CAROL: Account = { id: '29:carol-outsider', name: 'Carol Outsider', aadObjectId: '0c0c0c0c-0000-4000-8000-00000000000c' };
const ALICE_CHAT = 'a:1alice-personal-chat';
const GROUP_CHAT = '19:health-group-chat@thread.v2';

/** Resolves once `check` holds; fails after `ms`. */
async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * `health` through the service as `npm start` builds it, with Jira played by the simulator (its
 * admin webhook) and Teams and Graph by the Bot Connector emulation: Alice owns the team and
 * administers Jira, Bob is a plain member and Jira user, Carol is outside the team; connected by
 * API token, then by OAuth 2.0 (3LO).
 */
for (const via of CONNECTION_KINDS)
  describe(`health: the operator view of alerts (${via} connections)`, () => {
    let stack: AlertStack;

    before(async () => {
      stack = await startAlertStack({ realism: {}, events: ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created'], via });
      await connectAs({ connections: stack.testBot.bot.connections, sim: stack.sim, owner: connectionOwner(DEFAULT_TENANT_ID, CAROL), email: 'carol@example.com', via });
      await stack.subscribe({ projects: 'PHX', events: 'assigned' });
      // Teams refuses the channel alert and Bob's personal notice: both are parked, with their reason.
      stack.connector.failNext(1, 403, { conversationId: CHANNEL_ID });
      stack.connector.failNext(1, 403, { conversationId: BOB_CHAT });
      await stack.jira('alice', 'PUT', '/rest/api/3/issue/PHX-6/assignee', { accountId: BOB_ACCOUNT_ID });
      const outbox = stack.testBot.bot.alerts.alerts.outbox;
      await until(async () => (await outbox.parked(CHANNEL_ID)).length === 1 && (await outbox.parked(BOB_CHAT)).length === 1);
    });
    after(() => stack?.close());

    /** Sends `health` and resolves with what the bot answered: a card's text, or the plain text. */
    async function ask(from: Account, where: 'channel' | 'personal', conversationId: string): Promise<{ card?: string; text?: string }> {
      const before = stack.connector.activities(conversationId).length;
      const scope = where === 'channel' ? { conversationType: 'channel' as const, conversationId, teamId: TEAM_ID } : { conversationType: 'personal' as const, conversationId };
      const answer = await postActivity(stack.testBot.messagesUrl, messageActivity({ serviceUrl: stack.connector.url, ...scope, from, text: 'health' }));
      assert.ok(answer.status < 300, `the turn succeeded: ${answer.status}`);
      await stack.connector.waitFor(() => stack.connector.activities(conversationId).length > before);
      const [reply] = stack.connector.activities(conversationId).slice(before);
      const attachment = reply.body.attachments?.[0]?.content;
      if (!attachment) return { text: reply.body.text };
      assertValidCard(attachment);
      return { card: cardText(attachment) };
    }

    it("shows a team owner the team's site: webhooks last seen, poller, and the parked alert of the team's channel only", async () => {
      const { card } = await ask(TEAMS_USER, 'channel', CHANNEL_ID);
      assert.ok(card, 'a card');
      assert.match(card, new RegExp(stack.sim.url.replace(/[.*+?^${}()|[\]\\/-]/g, '\\\\?$&')));
      assert.match(card, /healthy: webhooks arrive/, 'the admin webhook delivered the assignment');
      assert.match(card, /Last webhook\n\d{4}\\?-\d\d\\?-\d\dT/);
      assert.match(card, /no dynamic webhook/);
      assert.match(card, /Poller\noff/, 'the stack switches polling off');
      assert.match(card, /Parked\n1 alert/, "only this team's channel counts, not Bob's personal chat");
      assert.match(card, /PHX\\?-6: TEAMS\\?_403 \(HTTP 403\)/);
      assert.match(card, /Jira points spent\n[1-9]\d* this hour, estimated \(this instance\)/);
      // The simulator meters every call and says what is left in Jira's RateLimit headers.
      assert.match(card, /Jira points left\n\d+( of \d+)? \(Jira's last answer to this instance\)/);
    });

    it('shows a Jira administrator, in personal chat, the whole site: parked alerts of every conversation', async () => {
      const { card } = await ask(TEAMS_USER, 'personal', ALICE_CHAT);
      assert.ok(card, 'a card');
      assert.match(card, /The whole site/);
      assert.match(card, /Parked\n2 alert/);
      assert.match(card, /Jira points left\n\d+( of \d+)? \(Jira's last answer/);
    });

    it('refuses a plain team member, naming who may run it', async () => {
      const { card, text } = await ask(BOB, 'channel', CHANNEL_ID);
      assert.equal(card, undefined);
      assert.match(text ?? '', /Only an owner of this team/);
      assert.match(text ?? '', /team owner.*Jira administrator/);
    });

    it('refuses someone outside the team', async () => {
      const { card, text } = await ask(CAROL, 'channel', CHANNEL_ID);
      assert.equal(card, undefined);
      assert.match(text ?? '', /could not find you among the members of this team/);
      assert.match(text ?? '', /team owner.*Jira administrator/);
    });

    it('refuses in a group chat, even a Jira administrator', async () => {
      const before = stack.connector.activities(GROUP_CHAT).length;
      await postActivity(
        stack.testBot.messagesUrl,
        messageActivity({ serviceUrl: stack.connector.url, conversationType: 'groupChat', conversationId: GROUP_CHAT, from: TEAMS_USER, text: 'health' }),
      );
      await stack.connector.waitFor(() => stack.connector.activities(GROUP_CHAT).length > before);
      const [reply] = stack.connector.activities(GROUP_CHAT).slice(before);
      assert.equal(reply.body.attachments?.length ?? 0, 0);
      assert.match(reply.body.text, /not shown in group or meeting chats/);
      assert.match(reply.body.text, /team owner.*Jira administrator/);
    });

    it('refuses, in personal chat, a connected user who is no Jira administrator', async () => {
      const { card, text } = await ask(BOB, 'personal', BOB_CHAT);
      assert.equal(card, undefined);
      assert.match(text ?? '', /does not hold the "Administer Jira" permission/);
      assert.match(text ?? '', /team owner.*Jira administrator/);
    });
  });

describe('health: the poller and its lease', function () {
  this.timeout(60_000);
  let stack: AlertStack;

  before(async () => {
    // The shortest interval the service accepts; the poller's first pass after the subscription takes the lease.
    stack = await startAlertStack({ realism: {}, events: ['jira:issue_created', 'jira:issue_updated'], env: { ALERT_POLL_INTERVAL_SECONDS: '10' } });
    await stack.subscribe({ projects: 'PHX', events: 'assigned' });
    // A positive event with a generous bound: under a loaded CI machine the first pass that sees the
    // new subscription can come a cached site list (30 s) and an interval later.
    await until(async () => (await stack.testBot.bot.store.list(POLLER_LEASE_TABLE)).length > 0, 55_000);
  });
  after(() => stack?.close());

  async function ownerCard(): Promise<string> {
    const before = stack.connector.activities(CHANNEL_ID).length;
    await postActivity(
      stack.testBot.messagesUrl,
      messageActivity({ serviceUrl: stack.connector.url, conversationType: 'channel', conversationId: CHANNEL_ID, teamId: TEAM_ID, from: TEAMS_USER, text: 'health' }),
    );
    await stack.connector.waitFor(() => stack.connector.activities(CHANNEL_ID).length > before);
    const content = stack.connector.activities(CHANNEL_ID).slice(before)[0].body.attachments[0].content;
    assertValidCard(content);
    return cardText(content);
  }

  it('names the instance holding the lease, and polls every interval until a webhook arrives', async () => {
    const [lease] = await stack.testBot.bot.store.list<{ owner: string }>(POLLER_LEASE_TABLE);
    let card = await ownerCard();
    assert.match(card, /unverified: no webhook known to arrive yet/);
    assert.match(card, /Poller\npolled every interval/);
    assert.match(card, new RegExp(`Poller lease\\ninstance ${lease.value.owner.replace(/-/g, '\\\\?-')}, lease until`));

    const webhooks = stack.sim.webhooks.deliveries().length;
    await stack.jira('alice', 'PUT', '/rest/api/3/issue/PHX-6/assignee', { accountId: BOB_ACCOUNT_ID });
    await until(async () =>
      stack.sim.webhooks
        .deliveries()
        .slice(webhooks)
        .some((d) => d.status === 'delivered'),
    );
    card = await ownerCard();
    assert.match(card, /healthy: webhooks arrive/);
    assert.match(card, /Poller\npolled only when webhooks go quiet for an hour/);
  });
});
