import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../../../../dev/jira-sim/src';
import {
  DEFAULT_TENANT_ID,
  conversationUpdateBotAdded,
  invokeActivity,
  messageActivity,
  postActivity,
  startBotConnector,
  teamAadGroupId,
  teamsMember,
  type Account,
  type BotConnector,
  type TeamsActivity,
} from '../../../../dev/bot-connector-emu/src';
import { SubscriptionVerb } from '../../../src/cards/subscription-verb';
import { connectionOwner } from '../../../src/connections/connection';
import { cardText } from '../../support/validate-card';
import { CONNECTION_KINDS, connectAs, oauthAppEnv } from '../../support/connect-as';
import { startTestBot, type TestBot } from '../../support/start-test-bot';

type Json = Record<string, any>;

/** Owns the teams below and administers the PHX project in Jira (the simulator's carol). */
const OWEN: Account = { id: '29:owen-owner', name: 'Owen Owner', aadObjectId: '0a0a0a0a-0000-4000-8000-0000000000a1' };
/** A plain member of the teams who is the Jira site administrator (alice). */
const MIA: Account = { id: '29:mia-member', name: 'Mia Member', aadObjectId: '0a0a0a0a-0000-4000-8000-0000000000a2' };
/** A guest in the teams and chats, also connected as the Jira site administrator. */
const GIL: Account = { id: '29:gil-guest', name: 'Gil Guest', aadObjectId: '0a0a0a0a-0000-4000-8000-0000000000a3' };
/** From another organization, in the group chat; Jira site administrator. */
const XENA: Account = { id: '29:xena-external', name: 'Xena External', aadObjectId: '0a0a0a0a-0000-4000-8000-0000000000a4' };
/** Owns the team and is the Jira site administrator: proves a later refusal is Graph's, not Jira's. */
const ADA: Account = { id: '29:ada-admin', name: 'Ada Admin', aadObjectId: '0a0a0a0a-0000-4000-8000-0000000000a5' };
const OTHER_TENANT = '7d1c2a3b-0000-4000-8000-00000000beef';

/**
 * Who may change a conversation's alerts, through the service as `npm start` builds it, with
 * Microsoft Graph played by the Bot Connector emulation and Jira by the simulator; everyone
 * connected by API token, then again by OAuth 2.0 (3LO) with the scopes the app requests.
 */
for (const via of CONNECTION_KINDS)
  describe(`alert subscriptions: only team owners (and chat organizers) with Jira admin rights (${via} connections)`, () => {
    let sim: JiraSim;
    let connector: BotConnector;
    let testBot: TestBot;
    let teams = 0;

    before(async () => {
      sim = await startJiraSim({ port: 0 });
      connector = await startBotConnector();
      testBot = await startTestBot({ GRAPH_BASE_URL: connector.graphUrl, JIRA_BASE_URL: sim.url, ALERT_POLL_INTERVAL_SECONDS: '0', ...(via === 'oauth' ? oauthAppEnv(sim) : {}) });
      const connect = (who: Account, user: string) =>
        connectAs({ connections: testBot.bot.connections, sim, owner: connectionOwner(DEFAULT_TENANT_ID, who), email: `${user}@example.com`, via });
      await connect(OWEN, 'carol');
      await connect(MIA, 'alice');
      await connect(GIL, 'alice');
      await connect(XENA, 'alice');
      await connect(ADA, 'alice');
    });
    after(async () => {
      await testBot?.close();
      await connector?.close();
      await sim?.close();
    });

    const member = (who: Account, extra: Json = {}) =>
      teamsMember({ id: who.id, aadObjectId: who.aadObjectId, givenName: who.name!.split(' ')[0], surname: who.name!.split(' ')[1], ...extra });

    /** A fresh team (so Graph answers are not the cached ones of another test) with its General channel. */
    function newTeam(options: { consented?: boolean } = {}) {
      teams += 1;
      const teamId = `19:team${teams}0000000000000000000000000@thread.tacv2`;
      connector.seedTeam({
        id: teamId,
        name: `Team ${teams}`,
        members: [member(OWEN), member(MIA), member(GIL, { userRole: 'guest' }), member(ADA)],
        owners: [OWEN.aadObjectId!, ADA.aadObjectId!],
        ...(options.consented === undefined ? {} : { consented: options.consented }),
      });
      return { teamId, channelId: teamId, groupId: teamAadGroupId(teamId) };
    }

    type Where = { conversationType: 'channel' | 'groupChat'; conversationId: string; teamId?: string };
    const scope = (where: Where, from: Account) => ({ serviceUrl: connector.url, ...where, from });
    const channel = (team: { teamId: string; channelId: string }): Where => ({ conversationType: 'channel', conversationId: team.channelId, teamId: team.teamId });

    const form = { verb: SubscriptionVerb.Save, projects: 'PHX', events: 'created,commented', statuses: '', fields: '', twoWayThreads: 'false' };
    const submit = async (where: Where, from: Account, data: Json, overrides: Partial<TeamsActivity> = {}) => {
      const invoke = invokeActivity('composeExtension/fetchTask', {}, { ...scope(where, from), overrides: { name: 'task/submit', value: { data }, ...overrides } });
      const response = await postActivity(testBot.messagesUrl, invoke);
      assert.equal(response.status, 200);
      return response.body;
    };
    /** What Teams sends when someone presses a button on the list card, or a forged copy of it: only the data matters. */
    const press = async (where: Where, from: Account, verb: string, subscriptionId: string) => {
      const invoke = invokeActivity(
        'adaptiveCard/action',
        { action: { type: 'Action.Execute', verb, data: { subscriptionId } }, trigger: 'manual' },
        { ...scope(where, from), replyToId: '1700000000001' },
      );
      const response = await postActivity(testBot.messagesUrl, invoke);
      assert.equal(response.status, 200);
      return cardText(response.body.value);
    };
    const refusal = (answer: Json) => {
      assert.equal(answer?.task?.type, 'continue', `expected the dialog back with a reason, got ${JSON.stringify(answer)}`);
      return cardText(answer.task.value.card.content);
    };
    const saved = (conversationId: string) => testBot.bot.alerts.alerts.subscriptions.list(conversationId);
    const subscribe = async (where: Where, from: Account) => {
      assert.equal(await submit(where, from, { ...form, site: sim.url }), undefined, 'the dialog closes on save');
      const [first] = await saved(where.conversationId);
      return first.subscription;
    };

    it('lets a team owner who administers the chosen project subscribe, asking Graph about that one person', async () => {
      const team = newTeam();
      const subscription = await subscribe(channel(team), OWEN);
      assert.deepEqual(subscription.projects, ['PHX']);
      const [asked] = connector.graphCalls().filter((c) => c.path.includes(team.groupId));
      assert.equal(asked.status, 200);
      assert.equal(asked.query.$filter, `(microsoft.graph.aadUserConversationMember/userId eq '${OWEN.aadObjectId}')`);
    });

    it('refuses a plain team member even when they are the Jira site administrator, and a guest, saving nothing', async () => {
      const team = newTeam();
      assert.match(refusal(await submit(channel(team), MIA, { ...form, site: sim.url })), /Only an owner of this team can set up or change its alerts/);
      assert.match(refusal(await submit(channel(team), GIL, { ...form, site: sim.url })), /Guests cannot set up or change alerts/);
      assert.deepEqual(await saved(team.channelId), []);
      // The dialog is not even offered to them.
      const fetched = await postActivity(
        testBot.messagesUrl,
        invokeActivity('composeExtension/fetchTask', {}, { ...scope(channel(team), MIA), overrides: { name: 'task/fetch', value: { data: { verb: SubscriptionVerb.Open } } } }),
      );
      assert.equal(fetched.body.task.type, 'message');
      assert.match(fetched.body.task.value, /Only an owner of this team/);
    });

    it('refuses edit, mute, unmute, test, retry and delete by a non-owner, even from a forged card action', async () => {
      const team = newTeam();
      const where = channel(team);
      const subscription = await subscribe(where, OWEN);

      for (const verb of [SubscriptionVerb.Mute, SubscriptionVerb.Unmute, SubscriptionVerb.SendTest, SubscriptionVerb.RetryParked, SubscriptionVerb.Delete]) {
        assert.match(await press(where, MIA, verb, subscription.id), /Only an owner of this team/, verb);
      }
      const edited = await submit(where, MIA, { ...form, site: sim.url, projects: 'KAN', subscriptionId: subscription.id });
      assert.match(refusal(edited), /Only an owner of this team/);

      const [after] = await saved(team.channelId);
      assert.deepEqual(
        { id: after.subscription.id, muted: after.subscription.muted, projects: after.subscription.projects },
        { id: subscription.id, muted: false, projects: ['PHX'] },
      );
      assert.deepEqual(await testBot.bot.alerts.alerts.outbox.pending(team.channelId), [], 'no test alert was queued');

      // The owner's own presses go through, so the refusals above were about the person.
      assert.match(await press(where, OWEN, SubscriptionVerb.Mute, subscription.id), /Muted/);
      assert.equal((await saved(team.channelId))[0].subscription.muted, true);
    });

    it('lists subscriptions for anyone, without the change buttons for a non-owner', async () => {
      const team = newTeam();
      await subscribe(channel(team), OWEN);
      connector.clear();
      await postActivity(testBot.messagesUrl, messageActivity({ ...scope(channel(team), MIA), text: 'subscriptions' }));
      const [list] = connector.activities(team.channelId);
      assert.match(cardText(list.body.attachments[0].content), /PHX/);
      assert.doesNotMatch(JSON.stringify(list.body.attachments[0].content), new RegExp(SubscriptionVerb.Mute.replace(/\./g, '\\.')));
    });

    it('retries a throttled Graph answer after its Retry-After, then subscribes', async () => {
      const team = newTeam();
      connector.failGraphNext(1, 429, { retryAfter: 1, conversationId: team.groupId });
      await subscribe(channel(team), OWEN);
      const calls = connector.graphCalls().filter((c) => c.path.includes(team.groupId));
      assert.deepEqual(
        calls.map((c) => c.status),
        [429, 200],
      );
      assert.ok(calls[1].time - calls[0].time >= 900, `waited ${calls[1].time - calls[0].time} ms for Retry-After: 1`);
    });

    it('refuses with a clear message and saves nothing while Graph is down', async () => {
      const team = newTeam();
      connector.failGraphFor(60_000, 503, { conversationId: team.groupId });
      const text = refusal(await submit(channel(team), ADA, { ...form, site: sim.url }));
      assert.match(text, /could not tell me right now who owns this team\. Nothing was changed/);
      assert.deepEqual(await saved(team.channelId), []);
      assert.equal(connector.graphCalls().filter((c) => c.path.includes(team.groupId)).length, 3, 'three bounded tries');
      assert.doesNotMatch(testBot.logs.raw(), /Bearer|@example\.com/);
    });

    it('names the missing resource-specific consent when Graph answers 403', async () => {
      const team = newTeam({ consented: false });
      const text = refusal(await submit(channel(team), ADA, { ...form, site: sim.url }));
      assert.match(text, /lacks the "TeamMember\.Read\.Group" permission/);
      assert.deepEqual(await saved(team.channelId), []);
    });

    it("asks the Bot Connector for the team's group id when the activity lacks it", async () => {
      const team = newTeam();
      await postActivity(testBot.messagesUrl, conversationUpdateBotAdded(scope(channel(team), OWEN)));
      const withoutGroupId = { channelData: { tenant: { id: DEFAULT_TENANT_ID }, team: { id: team.teamId }, channel: { id: team.channelId } } };
      assert.match(refusal(await submit(channel(team), MIA, { ...form, site: sim.url }, withoutGroupId)), /Only an owner of this team/);
      assert.equal(await submit(channel(team), OWEN, { ...form, site: sim.url }, withoutGroupId), undefined);
      assert.ok(connector.calls.some((c) => c.kind === 'getTeamDetails' && c.status === 200));
    });

    describe('in chats', () => {
      const GROUP_CHAT = '19:owners-group-chat0000000000000000@thread.v2';
      const MEETING_CHAT = '19:meeting_OWNERSMEETINGCHAT000000000000@thread.v2';
      const group: Where = { conversationType: 'groupChat', conversationId: GROUP_CHAT };
      const meeting: Where = { conversationType: 'groupChat', conversationId: MEETING_CHAT };

      before(() => {
        connector.seedChat({
          id: GROUP_CHAT,
          chatType: 'group',
          members: [member(OWEN), member(MIA), member(GIL, { userRole: 'guest' }), member(XENA, { tenantId: OTHER_TENANT })],
        });
        connector.seedChat({ id: MEETING_CHAT, chatType: 'meeting', members: [member(OWEN), member(MIA)], organizer: OWEN.aadObjectId });
      });

      it('lets any member from the chat’s own organization manage a group chat’s alerts (Graph names no creator), but no guest or external member', async () => {
        assert.match(refusal(await submit(group, GIL, { ...form, site: sim.url })), /Guests cannot/);
        assert.match(refusal(await submit(group, XENA, { ...form, site: sim.url })), /Only people from this chat's own organization/);
        assert.deepEqual(await saved(GROUP_CHAT), []);
        const subscription = await subscribe(group, MIA);
        assert.match(await press(group, OWEN, SubscriptionVerb.Mute, subscription.id), /Muted/);
        assert.match(await press(group, GIL, SubscriptionVerb.Delete, subscription.id), /Guests cannot/);
        assert.equal((await saved(GROUP_CHAT)).length, 1);
      });

      it('names the missing chat consent when Graph answers 403, and saves nothing', async () => {
        const locked: Where = { conversationType: 'groupChat', conversationId: '19:locked-chat000000000000000000000@thread.v2' };
        connector.seedChat({ id: locked.conversationId, members: [member(MIA)], consented: false });
        assert.match(refusal(await submit(locked, MIA, { ...form, site: sim.url })), /lacks the "ChatSettings\.Read\.Chat" permission/);
        assert.deepEqual(await saved(locked.conversationId), []);
      });

      it('lets only the organizer manage a meeting chat’s alerts', async () => {
        assert.match(refusal(await submit(meeting, MIA, { ...form, site: sim.url })), /only the meeting organizer/);
        assert.deepEqual(await saved(MEETING_CHAT), []);
        const subscription = await subscribe(meeting, OWEN);
        assert.match(await press(meeting, MIA, SubscriptionVerb.Delete, subscription.id), /only the meeting organizer/);
        assert.equal((await saved(MEETING_CHAT)).length, 1);
      });
    });
  });
