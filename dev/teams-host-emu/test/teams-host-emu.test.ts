import assert from 'node:assert/strict';
import { startEntraEmu, type EntraEmu } from '../../entra-emu/src';
import { hostPageQuery, startTeamsHostEmu, type TeamsHostEmu } from '../src';
import { readHostPageConfig } from '../src/host-page-config';

const USER = { name: 'Megan Bowen', aadObjectId: '00000000-0000-0000-0000-0000000000021', tenantId: '00000000-0000-0000-0000-0000000000001' };

describe('teams-host-emu', () => {
  let entra: EntraEmu;
  let host: TeamsHostEmu;
  before(async () => {
    entra = await startEntraEmu();
    host = await startTeamsHostEmu({ entraUrl: entra.url, audience: 'api://localhost/test-app', defaultUser: USER });
  });
  after(async () => {
    await host?.close();
    await entra?.close();
  });

  it('serves a host page that frames the tab with the user, context and theme asked for', async () => {
    const url = host.pageUrl({ tab: 'http://127.0.0.1:1/tab/?view=config', context: 'settings', theme: 'dark', user: { ...USER, name: 'Isaiah <Langer>' } });
    const response = await fetch(url);
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /<iframe id="tab"/);
    assert.match(html, /id="save"/, "the settings context has Teams' Save button");
    assert.doesNotMatch(html, /Isaiah <Langer>/, 'names are escaped');
    const script = await fetch(`${host.url}/_host/host-page.js`);
    assert.equal(script.status, 200);
    assert.match(await script.text(), /settings\.setSettings/);
  });

  it('answers a bad parameter with 400 naming it', async () => {
    const response = await fetch(`${host.url}/?${new URLSearchParams({ tab: 'http://127.0.0.1:1/tab/', context: 'stage' })}`);
    assert.equal(response.status, 400);
    assert.match(await response.text(), /^Bad host page parameter: context/);
  });

  it("gets the SSO token from entra-emu for the tab's audience, and hands out the same one again", async () => {
    const ask = async () => {
      const response = await fetch(`${host.url}/_host/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(USER) });
      assert.equal(response.status, 200);
      return ((await response.json()) as { token: string }).token;
    };
    const token = await ask();
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    assert.equal(claims.aud, 'api://localhost/test-app');
    assert.equal(claims.oid, USER.aadObjectId);
    assert.equal(claims.tid, USER.tenantId);
    assert.equal(await ask(), token);
  });

  it("opens a meeting's saved tab instead of its setup when asked to reuse it, as Teams does for every attendee", async () => {
    const setup = {
      tab: 'http://127.0.0.1:1/tab/?view=config',
      context: 'settings' as const,
      then: 'sidePanel' as const,
      meetingId: 'meeting-reuse',
      chatId: '19:meeting_reuse@thread.v2',
    };
    const first = await fetch(host.pageUrl({ ...setup, reuse: true }), { redirect: 'manual' });
    assert.equal(first.status, 200, 'nothing saved yet: the setup');
    const saved = await fetch(`${host.url}/_host/meeting/tab`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ meetingId: 'meeting-reuse', contentUrl: 'http://127.0.0.1:1/tab/?view=backlog&backlog=b1', entityId: 'backlog-b1' }),
    });
    assert.equal(saved.status, 200);
    const again = await fetch(host.pageUrl({ ...setup, reuse: true }), { redirect: 'manual' });
    assert.equal(again.status, 302);
    const next = new URLSearchParams(again.headers.get('location')!.split('?')[1]);
    assert.equal(next.get('context'), 'sidePanel');
    assert.equal(next.get('tab'), 'http://127.0.0.1:1/tab/?view=backlog&backlog=b1');
    assert.equal(next.get('entityId'), 'backlog-b1');
    assert.equal(next.get('chat'), '19:meeting_reuse@thread.v2');
    assert.equal(next.get('reuse'), null);
    // Without reuse (the tab tests' setups) the setup opens as asked.
    assert.equal((await fetch(host.pageUrl(setup), { redirect: 'manual' })).status, 200);
    const bad = await fetch(`${host.url}/_host/meeting/stage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ meetingId: 'm', contentUrl: 'javascript:alert(1)' }),
    });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /^contentUrl/);
  });

  it("pushes a meeting's stage to every page following it: shared, then stopped; other meetings hear nothing", async () => {
    const follow = async (meeting: string) => {
      const controller = new AbortController();
      const response = await fetch(`${host.url}/_host/meeting/events?meeting=${meeting}`, { signal: controller.signal });
      assert.equal(response.status, 200);
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = '';
      const next = async (): Promise<unknown> => {
        while (!buffered.includes('\n\n')) {
          const { value, done } = await reader.read();
          if (done) throw new Error('the stream ended');
          buffered += value;
        }
        const [event, ...rest] = buffered.split('\n\n');
        buffered = rest.join('\n\n');
        return JSON.parse(event.replace(/^data: /, ''));
      };
      return { next, stop: () => controller.abort() };
    };
    const stage = (body: unknown) => fetch(`${host.url}/_host/meeting/stage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const alice = await follow('meeting-stage');
    const other = await follow('another-meeting');
    try {
      assert.deepEqual(await alice.next(), { stage: null });
      assert.deepEqual(await other.next(), { stage: null });
      assert.equal((await stage({ meetingId: 'meeting-stage', contentUrl: 'http://127.0.0.1:1/tab/?view=backlog&backlog=b2', sharedBy: 'Alice' })).status, 200);
      assert.deepEqual(await alice.next(), { stage: { contentUrl: 'http://127.0.0.1:1/tab/?view=backlog&backlog=b2', sharedBy: 'Alice' } });
      // A page that starts following later gets what is on the stage now.
      const bob = await follow('meeting-stage');
      try {
        assert.deepEqual(await bob.next(), { stage: { contentUrl: 'http://127.0.0.1:1/tab/?view=backlog&backlog=b2', sharedBy: 'Alice' } });
        assert.equal((await stage({ meetingId: 'meeting-stage', contentUrl: null })).status, 200);
        assert.deepEqual(await bob.next(), { stage: null });
        assert.deepEqual(await alice.next(), { stage: null });
      } finally {
        bob.stop();
      }
      // The other meeting's stream got nothing meanwhile: its next event is the one sent to it now.
      await stage({ meetingId: 'another-meeting', contentUrl: 'http://127.0.0.1:1/tab/?view=backlog&backlog=b3', sharedBy: 'Carol' });
      assert.deepEqual(await other.next(), { stage: { contentUrl: 'http://127.0.0.1:1/tab/?view=backlog&backlog=b3', sharedBy: 'Carol' } });
    } finally {
      alice.stop();
      other.stop();
    }
  });

  it('gives the meeting to side panel and stage contexts only, and defaults the user', () => {
    const defaults = { user: USER, meetingId: 'm-1', chatId: '19:meeting_1@thread.v2' };
    const side = readHostPageConfig(hostPageQuery({ tab: 'http://x/tab/', context: 'sidePanel' }), defaults);
    assert.equal(side.meetingId, 'm-1');
    assert.equal(side.chatId, '19:meeting_1@thread.v2');
    assert.equal(side.user.aadObjectId, USER.aadObjectId);
    const content = readHostPageConfig(hostPageQuery({ tab: 'http://x/tab/', context: 'content' }), defaults);
    assert.equal(content.meetingId, undefined);
  });
});
