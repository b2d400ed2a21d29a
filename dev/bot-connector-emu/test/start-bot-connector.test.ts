import assert from 'node:assert/strict';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, MessageFactory, TeamsInfo, type ConversationReference, type TurnContext } from 'botbuilder';
import { CHANNEL_ID, LEGACY_CHANNEL_ID, TEAM_ID, startBotConnector, teamsMember, type BotConnector } from '../src';

// The bot's own stack in local mode (no app id): no token, anonymous calls.
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));

function reference(emu: BotConnector, conversationId: string): Partial<ConversationReference> {
  return {
    channelId: 'msteams',
    serviceUrl: emu.url,
    conversation: { id: conversationId, isGroup: true, conversationType: 'channel', tenantId: 'tenant', name: '' },
    bot: { id: '28:608cacfd-1cea-40c9-b678-4b93e69bb72b', name: 'Jira' },
  };
}

function inTurn(emu: BotConnector, conversationId: string, logic: (ctx: TurnContext) => Promise<void>): Promise<void> {
  return adapter.continueConversationAsync('', reference(emu, conversationId), logic);
}

describe('startBotConnector', () => {
  let emu: BotConnector;

  beforeEach(async () => {
    emu = await startBotConnector();
  });

  afterEach(async () => {
    await emu.close();
  });

  it('gives a Teams-like serviceUrl on loopback', () => {
    assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('records messages, replies, updates and deletes that botbuilder sends', async () => {
    const thread = `${CHANNEL_ID};messageid=1700000000000`;
    let sentId = '';
    await inTurn(emu, thread, async (ctx) => {
      const sent = await ctx.sendActivity('first');
      sentId = sent!.id;
      await ctx.updateActivity({ ...MessageFactory.text('edited'), id: sentId });
      await ctx.sendActivity('second');
      await ctx.deleteActivity(sentId);
    });

    const activities = emu.activities(thread);
    assert.deepEqual(
      activities.map((c) => c.body.text),
      ['first', 'second'],
    );
    assert.equal(activities[0].kind, 'replyToActivity');
    assert.equal(activities[0].method, 'POST');
    assert.equal(activities[0].response && (activities[0].response as { id: string }).id, sentId);
    assert.match(sentId, /^\d{13,}$/);
    assert.equal(emu.updates(thread)[0].body.text, 'edited');
    assert.equal(emu.updates(thread)[0].activityId, sentId);
    assert.equal(emu.deletes(thread)[0].activityId, sentId);
    assert.equal(emu.message(sentId), undefined, 'a deleted message is gone');
    // A channel id also finds the replies in its threads.
    assert.equal(emu.activities(CHANNEL_ID).length, 2);
    assert.equal(emu.activities('19:other@thread.tacv2').length, 0);
  });

  it('keeps the current body of a message after an update', async () => {
    let id = '';
    await inTurn(emu, CHANNEL_ID, async (ctx) => {
      id = (await ctx.sendActivity('v1'))!.id;
      await ctx.updateActivity({ ...MessageFactory.text('v2'), id });
    });
    assert.equal(emu.message(id).text, 'v2');
    assert.equal(emu.message(id).conversation.id, CHANNEL_ID);
  });

  it('accepts older @thread.skype channel ids', async () => {
    emu.seedMembers(LEGACY_CHANNEL_ID, [teamsMember({ givenName: 'Olo', surname: 'Brockhouse' })]);
    await inTurn(emu, LEGACY_CHANNEL_ID, async (ctx) => {
      await ctx.sendActivity('legacy');
      const members = await TeamsInfo.getPagedMembers(ctx);
      assert.equal(members.members[0].name, 'Olo Brockhouse');
    });
    assert.equal(emu.activities(LEGACY_CHANNEL_ID)[0].body.text, 'legacy');
  });

  it('creates a stable 1:1 conversation for a user and records its first message', async () => {
    const user = teamsMember();
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      await adapter.createConversationAsync(
        '',
        'msteams',
        emu.url,
        '',
        {
          isGroup: false,
          bot: { id: '28:bot', name: 'Jira' },
          members: [{ id: user.id, name: user.name }],
          tenantId: user.tenantId,
          activity: MessageFactory.text('hello') as never,
          channelData: { tenant: { id: user.tenantId } },
        },
        async (ctx) => {
          ids.push(ctx.activity.conversation.id);
          await ctx.sendActivity('welcome');
        },
      );
    }
    assert.match(ids[0], /^a:1/);
    assert.equal(ids[1], ids[0], 'Teams reuses the 1:1 conversation');
    const create = emu.calls.find((c) => c.kind === 'createConversation')!;
    assert.equal(create.status, 201);
    assert.equal((create.response as { id: string }).id, ids[0]);
    assert.ok((create.response as { activityId?: string }).activityId, 'a created conversation with an activity answers its id');
    assert.deepEqual(
      emu.activities(ids[0]).map((c) => c.body.text),
      ['welcome', 'welcome'],
    );
  });

  it('answers TeamsInfo member lookups with seeded TeamsChannelAccounts', async () => {
    const alice = teamsMember({ givenName: 'Alice', surname: 'Ng', userRole: 'guest' });
    const bob = teamsMember({ givenName: 'Bob', surname: 'Ode' });
    const carol = teamsMember({ givenName: 'Carol', surname: 'Fay' });
    emu.seedMembers(CHANNEL_ID, [alice, bob, carol]);

    await inTurn(emu, `${CHANNEL_ID};messageid=1`, async (ctx) => {
      const one = await TeamsInfo.getMember(ctx, alice.id);
      assert.equal(one.userPrincipalName, alice.userPrincipalName);
      assert.equal(one.email, alice.email);
      assert.equal(one.aadObjectId, alice.aadObjectId);
      assert.equal(one.tenantId, alice.tenantId);
      assert.equal(one.userRole, 'guest');

      const first = await TeamsInfo.getPagedMembers(ctx, 2);
      assert.deepEqual(
        first.members.map((m) => m.name),
        ['Alice Ng', 'Bob Ode'],
      );
      assert.ok(first.continuationToken);
      const rest = await TeamsInfo.getPagedMembers(ctx, 2, first.continuationToken);
      assert.deepEqual(
        rest.members.map((m) => m.name),
        ['Carol Fay'],
      );
      assert.equal(rest.continuationToken, undefined);

      await assert.rejects(TeamsInfo.getMember(ctx, '29:nobody'), (err: { statusCode?: number }) => err.statusCode === 404);
    });
    const lookup = emu.calls.find((c) => c.kind === 'getConversationPagedMembers')!;
    assert.equal(lookup.query.pageSize, '2');
  });

  it('answers team details, channels and team members by team id', async () => {
    const member = teamsMember();
    emu.seedTeam({
      id: TEAM_ID,
      name: 'Platform',
      aadGroupId: '00000000-0000-0000-0000-000000000031',
      channels: [{ id: TEAM_ID }, { id: CHANNEL_ID, name: 'Alerts' }],
      members: [member],
    });
    await adapter.continueConversationAsync('', { ...reference(emu, CHANNEL_ID) }, async (ctx) => {
      // TeamsInfo finds the team id in channelData, as on a real channel activity.
      ctx.activity.channelData = { team: { id: TEAM_ID } };
      const details = await TeamsInfo.getTeamDetails(ctx);
      assert.equal(details.name, 'Platform');
      assert.equal(details.aadGroupId, '00000000-0000-0000-0000-000000000031');
      const channels = await TeamsInfo.getTeamChannels(ctx);
      assert.deepEqual(
        channels.map((c) => c.name),
        [undefined, 'Alerts'],
      );
      const found = await TeamsInfo.getTeamMember(ctx, TEAM_ID, member.id);
      assert.equal(found.aadObjectId, member.aadObjectId);
    });
  });

  it('resolves waitForActivities once enough messages arrived, per conversation', async () => {
    const waiting = emu.waitForActivities(2, { conversationId: CHANNEL_ID, timeoutMs: 2_000 });
    await inTurn(emu, '19:elsewhere@thread.tacv2', async (ctx) => {
      await ctx.sendActivity('not counted');
    });
    await inTurn(emu, CHANNEL_ID, async (ctx) => {
      await ctx.sendActivities([MessageFactory.text('a'), MessageFactory.text('b')]);
    });
    const arrived = await waiting;
    assert.deepEqual(
      arrived.map((c) => c.body.text),
      ['a', 'b'],
    );
  });

  it('rejects waitForActivities with what did arrive when too few came', async () => {
    await inTurn(emu, CHANNEL_ID, async (ctx) => {
      await ctx.sendActivity('only one');
    });
    await assert.rejects(emu.waitForActivities(2, { timeoutMs: 50 }), /Expected 2 activities, got 1[\s\S]*201 POST/);
  });

  it('fails the next calls with 429 and Retry-After, then accepts again', async () => {
    emu.failNext(2, 429, { retryAfter: 7 });
    const url = `${emu.url}v3/conversations/${encodeURIComponent(CHANNEL_ID)}/activities`;
    const post = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"message","text":"x"}' });

    const first = await post();
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '7');
    assert.deepEqual(await first.json(), { error: { code: 'TooManyRequests', message: 'Injected 429' } });
    assert.equal((await post()).status, 429);
    assert.equal((await post()).status, 201);
    assert.deepEqual(
      emu.calls.map((c) => c.status),
      [429, 429, 201],
    );
    assert.equal(emu.activities().length, 1, 'failed sends are not delivered');
  });

  it('surfaces a 429 without Retry-After to botbuilder, which does not retry it', async () => {
    emu.failNext(1, 429);
    await assert.rejects(
      inTurn(emu, CHANNEL_ID, async (ctx) => {
        await ctx.sendActivity('throttled');
      }),
      (err: { statusCode?: number }) => err.statusCode === 429,
    );
    assert.equal(emu.calls.length, 1);
    assert.equal(emu.calls[0].headers['retry-after'], undefined);
  });

  it('fails only the conversation a fault names, threads included', async () => {
    emu.failNext(1, 429, { conversationId: CHANNEL_ID });
    emu.failFor(60_000, 502, { conversationId: '19:down@thread.tacv2' });
    const post = (conversationId: string) =>
      fetch(`${emu.url}v3/conversations/${encodeURIComponent(conversationId)}/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal((await post('a:1someone')).status, 201, 'another conversation is not affected');
    assert.equal((await post(`${CHANNEL_ID};messageid=5`)).status, 429, "a thread of the channel gets the channel's fault");
    assert.equal((await post(CHANNEL_ID)).status, 201, 'the fault was used up');
    assert.equal((await post('19:down@thread.tacv2')).status, 502);
    assert.equal((await post('19:down@thread.tacv2')).status, 502);
  });

  it('answers 5xx for a time window', async () => {
    emu.failFor(60_000, 503);
    const url = `${emu.url}v3/conversations/${encodeURIComponent(CHANNEL_ID)}/activities`;
    for (let i = 0; i < 3; i++) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), null);
    }
    emu.clear();
    const ok = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(ok.status, 201, 'clear() lifts the fault window');
  });

  it('counts sends per conversation so a test can check Teams limits', async () => {
    await inTurn(emu, CHANNEL_ID, async (ctx) => {
      for (let i = 0; i < 9; i++) await ctx.sendActivity(`burst ${i}`);
    });
    const rate = emu.sendRate(CHANNEL_ID);
    assert.equal(rate.count, 9);
    const twoSeconds = rate.windows.find((w) => w.windowMs === 2_000)!;
    assert.equal(twoSeconds.peak, 9);
    assert.equal(rate.withinLimits, false, '9 sends in under 2 s break the 8 per 2 s ceiling');
    assert.equal(emu.sendRate('19:quiet@thread.tacv2').count, 0);
  });

  it('enforces Teams ceilings on request with 429s', async () => {
    const limited = await startBotConnector({ enforceTeamsLimits: [{ windowMs: 60_000, max: 3 }] });
    try {
      const url = `${limited.url}v3/conversations/${encodeURIComponent(CHANNEL_ID)}/activities`;
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        statuses.push(res.status);
      }
      assert.deepEqual(statuses, [201, 201, 201, 429, 429]);
      const other = await fetch(`${limited.url}v3/conversations/a%3A1other/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(other.status, 201, 'limits are per conversation');
    } finally {
      await limited.close();
    }
  });

  it('records the Authorization header when asked, and can require one', async () => {
    const strict = await startBotConnector({ requireAuth: true, recordAuthorization: true });
    try {
      const url = `${strict.url}v3/conversations/${encodeURIComponent(CHANNEL_ID)}/activities`;
      const anonymous = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(anonymous.status, 401);
      const signed = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer any-token' }, body: '{}' });
      assert.equal(signed.status, 201);
      assert.equal(strict.activities()[0].headers.authorization, 'Bearer any-token');
    } finally {
      await strict.close();
    }
  });

  it('redacts the token by default but shows that one was sent', async () => {
    const url = `${emu.url}v3/conversations/${encodeURIComponent(CHANNEL_ID)}/activities`;
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer secret' }, body: '{}' });
    assert.equal(emu.calls[0].headers.authorization, 'Bearer <redacted>');
  });

  it('records calls to APIs it does not emulate, answering in the Bot Connector error shape', async () => {
    const res = await fetch(`${emu.url}v1/meetings/abc`, { headers: { authorization: 'Bearer x' } });
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: { code: 'NotFound', message: 'The emulation has no GET /v1/meetings/abc' } });
    const wrongMethod = await fetch(`${emu.url}v3/conversations/x/activities`);
    assert.equal(wrongMethod.status, 405);
    assert.deepEqual(
      emu.calls.map((c) => [c.kind, c.status, c.method, c.path]),
      [
        ['unknown', 404, 'GET', '/v1/meetings/abc'],
        ['unknown', 405, 'GET', '/v3/conversations/x/activities'],
      ],
    );
  });
});
