import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../src/start-jira-sim';
import { oauthAccessToken } from './support/oauth-token';
import { simClient } from './support/sim-client';

describe('jira-sim authentication and permissions', () => {
  let sim: JiraSim;
  before(async () => {
    sim = await startJiraSim();
  });
  after(() => sim.close());

  describe('Basic auth (email + API token)', () => {
    it('answers as the user the token belongs to', async () => {
      const me = await simClient(sim, { email: 'bob@example.com' }).get('/rest/api/3/myself');
      assert.equal(me.status, 200);
      assert.equal(me.body.displayName, 'Bob Builder');
    });

    it('refuses a wrong token, an unknown email and no credentials with 401', async () => {
      const wrong = `Basic ${Buffer.from('bob@example.com:sim-token-alice').toString('base64')}`;
      const unknown = `Basic ${Buffer.from('mallory@example.com:x').toString('base64')}`;
      for (const authorization of [wrong, unknown, 'Basic !!!', undefined]) {
        const res = await fetch(`${sim.url}/rest/api/3/myself`, { headers: authorization ? { authorization } : {} });
        assert.equal(res.status, 401, String(authorization));
        assert.deepEqual(((await res.json()) as { errorMessages: string[] }).errorMessages, ['You are not authenticated. Authentication required to perform this operation.']);
      }
    });

    it('does not accept a Basic token on the OAuth gateway path', async () => {
      const res = await fetch(`${sim.gatewayUrl}/rest/api/3/myself`, { headers: { authorization: sim.basicAuth('bob@example.com') } });
      assert.equal(res.status, 401);
    });
  });

  describe('OAuth bearer tokens through /ex/jira/{cloudId}', () => {
    it('acts as the consenting user with the granted scopes', async () => {
      const token = await oauthAccessToken(sim, 'carol@example.com', ['read:jira-user', 'read:jira-work']);
      const client = simClient(sim, { bearer: token });
      assert.equal((await client.get('/rest/api/3/myself')).body.displayName, 'Carol Product');
      assert.equal((await client.get('/rest/api/3/issue/PHX-1')).status, 200);
    });

    it('refuses a route whose scope was not granted, as Jira does (401)', async () => {
      const token = await oauthAccessToken(sim, 'carol@example.com', ['read:jira-work']);
      const client = simClient(sim, { bearer: token });
      const res = await client.post('/rest/api/3/issue/PHX-1/comment', { body: { type: 'doc', version: 1, content: [] } }, { conform: false });
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, { code: 401, message: 'Unauthorized; scope does not match' });
    });

    it('ranks only with the Agile scope write:issue:jira-software, not write:jira-work (Agile spec, PUT /issue/rank)', async () => {
      const rank = { issues: ['PHX-31'], rankBeforeIssue: 'PHX-10' };
      const classic = simClient(sim, { bearer: await oauthAccessToken(sim, 'bob@example.com', ['read:jira-work', 'write:jira-work']) });
      const refused = await classic.put('/rest/agile/1.0/issue/rank', rank, { conform: false });
      assert.equal(refused.status, 401);
      assert.deepEqual(refused.body, { code: 401, message: 'Unauthorized; scope does not match' });
      const agile = simClient(sim, { bearer: await oauthAccessToken(sim, 'bob@example.com', ['write:issue:jira-software']) });
      assert.equal((await agile.put('/rest/agile/1.0/issue/rank', rank)).status, 204);
      assert.ok(sim.state.issue('PHX-31')!.rank < sim.state.issue('PHX-10')!.rank);
    });

    it("reads boards and sprints and moves issues only with the Agile spec's scopes, not the classic Jira ones", async () => {
      const classic = simClient(sim, { bearer: await oauthAccessToken(sim, 'alice@example.com', ['read:jira-work', 'write:jira-work']) });
      for (const path of ['/rest/agile/1.0/board', '/rest/agile/1.0/board/1/configuration', '/rest/agile/1.0/board/1/sprint', '/rest/agile/1.0/sprint/3']) {
        assert.equal((await classic.get(path, { conform: false })).status, 401, path);
      }
      assert.equal((await classic.post('/rest/agile/1.0/backlog/issue', { issues: ['PHX-31'] }, { conform: false })).status, 401);
      // Configuration needs the board admin scope on top of the board scope.
      const boardOnly = simClient(sim, { bearer: await oauthAccessToken(sim, 'alice@example.com', ['read:board-scope:jira-software', 'read:project:jira']) });
      assert.equal((await boardOnly.get('/rest/agile/1.0/board')).status, 200);
      assert.equal((await boardOnly.get('/rest/agile/1.0/board/1/configuration', { conform: false })).status, 401);
      const agile = simClient(sim, {
        bearer: await oauthAccessToken(sim, 'alice@example.com', [
          'read:board-scope.admin:jira-software',
          'read:project:jira',
          'read:sprint:jira-software',
          'write:board-scope:jira-software',
        ]),
      });
      assert.equal((await agile.get('/rest/agile/1.0/board/1/configuration')).status, 200);
      assert.equal((await agile.get('/rest/agile/1.0/sprint/3')).status, 200);
      assert.equal((await agile.post('/rest/agile/1.0/backlog/issue', { issues: ['PHX-31'] })).status, 204);
    });

    it('refuses an unknown token and a foreign cloudId', async () => {
      assert.equal((await fetch(`${sim.gatewayUrl}/rest/api/3/myself`, { headers: { authorization: 'Bearer nope' } })).status, 401);
      const token = await oauthAccessToken(sim, 'carol@example.com', ['read:jira-user']);
      const foreign = await fetch(`${sim.url}/ex/jira/00000000-0000-0000-0000-000000000000/rest/api/3/myself`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(foreign.status, 404);
    });
  });

  describe('permissions', () => {
    it("hides issues of a project the caller cannot browse behind Jira's 404", async () => {
      const victor = simClient(sim, { email: 'victor@example.com' });
      const res = await victor.get('/rest/api/3/issue/SUP-1');
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
      const search = await victor.get('/rest/api/3/search/jql?jql=project%20in%20(PHX,%20SUP)&maxResults=500&fields=project');
      assert.ok(search.body.issues.length > 0);
      assert.ok(search.body.issues.every((i: { fields: { project: { key: string } } }) => i.fields.project.key === 'PHX'));
    });

    it('lets a viewer read but answers 403 naming the missing right on writes', async () => {
      const victor = simClient(sim, { email: 'victor@example.com' });
      assert.equal((await victor.get('/rest/api/3/issue/PHX-1')).status, 200);
      const edit = await victor.put('/rest/api/3/issue/PHX-1', { fields: { summary: 'Changed' } });
      assert.equal(edit.status, 403);
      assert.match(edit.body.errorMessages[0], /permission to edit issues/);
      assert.equal(sim.state.issue('PHX-1')!.values.summary !== 'Changed', true);
      const transitions = await victor.get('/rest/api/3/issue/PHX-1/transitions');
      assert.deepEqual(transitions.body.transitions, []);
    });

    it('gives the site admin global ADMINISTER and others not', async () => {
      const ask = (email: string) => simClient(sim, { email }).get('/rest/api/3/mypermissions?permissions=ADMINISTER');
      assert.equal((await ask('alice@example.com')).body.permissions.ADMINISTER.havePermission, true);
      assert.equal((await ask('bob@example.com')).body.permissions.ADMINISTER.havePermission, false);
    });
  });
});
