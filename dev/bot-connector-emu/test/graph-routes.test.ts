import assert from 'node:assert/strict';
import { GROUP_CHAT_ID, TEAM_ID, messageActivity, startBotConnector, teamAadGroupId, teamsMember, type BotConnector } from '../src';

type Json = Record<string, any>;

describe('Graph routes of the Bot Connector emulation', () => {
  let emu: BotConnector;
  const owner = teamsMember({ givenName: 'Olivia', surname: 'Owner' });
  const member = teamsMember({ givenName: 'Mo', surname: 'Member' });
  const guest = teamsMember({ givenName: 'Gia', surname: 'Guest', userRole: 'guest' });

  beforeEach(async () => {
    emu = await startBotConnector({ graphPageSize: 2 });
    emu.seedTeam({ id: TEAM_ID, name: 'Platform', members: [owner, member, guest], owners: [owner.aadObjectId] });
  });
  afterEach(() => emu.close());

  const get = async (path: string) => {
    const response = await fetch(path.startsWith('http') ? path : `${emu.graphUrl}${path}`);
    return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
  };

  it("lists a team's members by its group id with Graph's roles, paged by @odata.nextLink", async () => {
    const groupId = teamAadGroupId(TEAM_ID);
    // The activity builders name the same group id the seeded team answers to.
    assert.equal(messageActivity({ text: 'x', conversationType: 'channel', serviceUrl: emu.url }).channelData.team.aadGroupId, groupId);
    const first = await get(`/teams/${groupId}/members`);
    assert.equal(first.status, 200);
    assert.equal(first.body['@odata.context'], `${emu.graphUrl}/$metadata#teams('${groupId}')/members`);
    assert.equal(first.body.value.length, 2);
    const second = await get(first.body['@odata.nextLink']);
    assert.equal(second.body['@odata.nextLink'], undefined);
    const all = [...first.body.value, ...second.body.value];
    assert.deepEqual(
      all.map((m: Json) => [m['@odata.type'], m.userId, m.roles]),
      [
        ['#microsoft.graph.aadUserConversationMember', owner.aadObjectId, ['owner']],
        ['#microsoft.graph.aadUserConversationMember', member.aadObjectId, []],
        ['#microsoft.graph.aadUserConversationMember', guest.aadObjectId, ['guest']],
      ],
    );
  });

  it('filters team members by Entra user id as Graph documents, and refuses other filters', async () => {
    const filter = encodeURIComponent(`(microsoft.graph.aadUserConversationMember/userId eq '${member.aadObjectId}')`);
    const found = await get(`/teams/${teamAadGroupId(TEAM_ID)}/members?$filter=${filter}`);
    assert.deepEqual(
      found.body.value.map((m: Json) => m.displayName),
      ['Mo Member'],
    );
    const bad = await get(`/teams/${teamAadGroupId(TEAM_ID)}/members?$filter=${encodeURIComponent("displayName eq 'x'")}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'BadRequest');
  });

  it("answers Graph's error shapes: 404 unknown team, 403 without consent, injected 429 with Retry-After", async () => {
    const unknown = await get('/teams/00000000-0000-4000-8000-000000000000/members');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'NotFound');
    assert.ok(unknown.body.error.innerError['request-id']);

    emu.seedTeam({ id: '19:other@thread.tacv2', name: 'Other', members: [owner], consented: false });
    const forbidden = await get(`/teams/${teamAadGroupId('19:other@thread.tacv2')}/members`);
    assert.equal(forbidden.status, 403);
    assert.match(forbidden.body.error.message, /TeamMember\.Read\.Group/);

    emu.failGraphNext(1, 429, { retryAfter: 1 });
    const throttled = await get(`/teams/${teamAadGroupId(TEAM_ID)}/members`);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('retry-after'), '1');
    assert.equal(throttled.body.error.code, 'TooManyRequests');
    assert.equal((await get(`/teams/${teamAadGroupId(TEAM_ID)}/members`)).status, 200);
    assert.deepEqual(
      emu.graphCalls().map((c) => c.status),
      [404, 403, 429, 200],
    );
  });

  it('serves a group chat, a meeting chat with its organizer, and their members', async () => {
    emu.seedChat({ id: GROUP_CHAT_ID, members: [owner, guest] });
    const meetingChat = '19:meeting_NjQ3YmQ5ZWMtYjFlOS00@thread.v2';
    emu.seedChat({ id: meetingChat, chatType: 'meeting', members: [owner, member], organizer: member.aadObjectId });

    const group = await get(`/chats/${encodeURIComponent(GROUP_CHAT_ID)}`);
    assert.equal(group.body.chatType, 'group');
    assert.equal(group.body.onlineMeetingInfo, null);
    const members = await get(`/chats/${encodeURIComponent(GROUP_CHAT_ID)}/members`);
    assert.deepEqual(
      members.body.value.map((m: Json) => m.roles),
      [['owner'], ['guest']],
    );

    const meeting = await get(`/chats/${encodeURIComponent(meetingChat)}`);
    assert.equal(meeting.body.chatType, 'meeting');
    assert.equal(meeting.body.onlineMeetingInfo.organizer.id, member.aadObjectId);
    assert.equal((await get(`/chats/${encodeURIComponent('19:nope@thread.v2')}`)).status, 404);
  });
});
