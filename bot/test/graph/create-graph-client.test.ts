import assert from 'node:assert/strict';
import { TEAM_ID, startBotConnector, teamAadGroupId, teamsMember, type BotConnector } from '../../../dev/bot-connector-emu/src';
import { conversationRoles } from '../../src/graph/conversation-roles';
import { createGraphClient } from '../../src/graph/create-graph-client';
import { GraphErrorCode, type GraphError } from '../../src/graph/graph-error';
import { graphTokenSource } from '../../src/graph/graph-token-source';

const TENANT = '00000000-0000-4000-8000-0000000000aa';

describe('Graph client', () => {
  let emu: BotConnector;
  const owner = teamsMember({ givenName: 'Olga', surname: 'Owner' });
  const members = Array.from({ length: 5 }, (_, i) => teamsMember({ givenName: `M${i}`, surname: 'Member' }));
  const groupId = teamAadGroupId(TEAM_ID);
  const waits: number[] = [];
  const client = (extra: Partial<Parameters<typeof createGraphClient>[0]> = {}) =>
    createGraphClient({ baseUrl: emu.graphUrl, token: async () => 'app-token', sleep: async (ms) => void waits.push(ms), random: () => 0.5, ...extra });

  before(async () => {
    emu = await startBotConnector({ graphPageSize: 2, requireAuth: true });
    emu.seedTeam({ id: TEAM_ID, name: 'Platform', members: [owner, ...members], owners: [owner.aadObjectId] });
  });
  after(() => emu.close());
  beforeEach(() => {
    emu.clear();
    waits.length = 0;
  });

  it('follows @odata.nextLink through every page, sending the app token', async () => {
    const all = await client().list<{ userId: string }>(TENANT, `/teams/${groupId}/members`);
    assert.equal(all.length, 6);
    assert.equal(emu.graphCalls().length, 3);
    assert.ok(emu.graphCalls().every((c) => c.headers.authorization === 'Bearer <redacted>'));
  });

  it('waits out a short Retry-After, but fails at once when Graph asks for a long wait', async () => {
    emu.failGraphNext(1, 429, { retryAfter: 2 });
    assert.equal((await client().list(TENANT, `/teams/${groupId}/members?$top=10`)).length, 6);
    assert.deepEqual(waits, [2_000]);

    emu.failGraphNext(1, 429, { retryAfter: 120 });
    await assert.rejects(client().get(TENANT, `/teams/${groupId}/members`), (error: GraphError) => error.code === GraphErrorCode.Throttled && error.status === 429);
    assert.deepEqual(
      emu.graphCalls().map((c) => c.status),
      [429, 200, 429],
      'no retry into a two-minute wait',
    );
  });

  it('retries 5xx with backoff a bounded number of times, then reports Graph unavailable', async () => {
    emu.failGraphNext(2, 503);
    assert.ok(await client().get(TENANT, `/teams/${groupId}/members`));
    emu.clear();
    emu.failGraphFor(10_000, 502);
    await assert.rejects(client().get(TENANT, `/teams/${groupId}/members`), (error: GraphError) => error.code === GraphErrorCode.Unavailable && error.status === 502);
    assert.equal(emu.graphCalls().length, 3);
  });

  it('reports unreachable Graph as unavailable, and 401, 403 and 404 by their codes without retrying', async () => {
    const unreachable = createGraphClient({ baseUrl: 'http://127.0.0.1:9/graph/v1.0', token: async () => undefined, sleep: async () => undefined });
    await assert.rejects(unreachable.get(TENANT, '/teams/x/members'), (error: GraphError) => error.code === GraphErrorCode.Unavailable);
    await assert.rejects(client({ token: async () => undefined }).get(TENANT, `/teams/${groupId}/members`), (error: GraphError) => error.code === GraphErrorCode.Unauthenticated);
    await assert.rejects(
      client().get(TENANT, '/teams/00000000-0000-4000-8000-000000000000/members'),
      (error: GraphError) => error.code === GraphErrorCode.NotFound && error.graphCode === 'NotFound',
    );
    emu.seedTeam({ id: '19:locked@thread.tacv2', name: 'Locked', members: [owner], consented: false });
    await assert.rejects(
      conversationRoles(client()).teamMember(TENANT, teamAadGroupId('19:locked@thread.tacv2'), owner.aadObjectId),
      (error: GraphError) => error.code === GraphErrorCode.Forbidden && error.permission === 'TeamMember.Read.Group',
    );
    assert.deepEqual(
      emu.graphCalls().map((c) => c.status),
      [401, 404, 403],
    );
  });

  it('refuses a next link that points away from Graph, so the token never leaves it', async () => {
    const rogue: typeof fetch = async () =>
      new Response(JSON.stringify({ value: [], '@odata.nextLink': 'https://elsewhere.example/steal' }), { status: 200, headers: { 'content-type': 'application/json' } });
    await assert.rejects(client({ fetch: rogue }).list(TENANT, '/teams/x/members'), (error: GraphError) => error.code === GraphErrorCode.BadResponse);
  });

  it('remembers a role for a minute per team and person, and asks again after', async () => {
    let clock = 0;
    const roles = conversationRoles(client(), () => clock);
    assert.deepEqual((await roles.teamMember(TENANT, groupId, owner.aadObjectId))?.roles, ['owner']);
    assert.deepEqual((await roles.teamMember(TENANT, groupId, members[0].aadObjectId))?.roles, []);
    assert.equal(await roles.teamMember(TENANT, groupId, '00000000-0000-4000-8000-00000000dead'), undefined);
    await roles.teamMember(TENANT, groupId, owner.aadObjectId);
    assert.equal(emu.graphCalls().length, 3);
    clock += 60_000;
    await roles.teamMember(TENANT, groupId, owner.aadObjectId);
    assert.equal(emu.graphCalls().length, 4);
  });

  it('gets no token in local mode, and refuses a multi-tenant lookup without a tenant id', async () => {
    assert.equal(await graphTokenSource({ type: 'MultiTenant' }, 'https://graph.microsoft.com/v1.0')(TENANT), undefined);
    const multi = graphTokenSource({ id: '00000000-0000-4000-8000-0000000000b1', password: 'secret', type: 'MultiTenant' }, 'https://graph.microsoft.com/v1.0');
    await assert.rejects(multi('not-a-tenant'), (error: GraphError) => error.code === GraphErrorCode.Unauthenticated);
  });
});
