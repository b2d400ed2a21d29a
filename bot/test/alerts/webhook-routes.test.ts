import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src/start-jira-sim';
import { signWebhookJwt } from '../../../dev/jira-sim/src/webhooks/sign-webhook-jwt';
import { alertIntake, type AlertIntake } from '../../src/alerts/alert-intake';
import { ADMIN_WEBHOOK_PATH, DYNAMIC_WEBHOOK_PATH, type WebhookSite } from '../../src/http/webhook-routes';
import { createLogger } from '../../src/log/create-logger';
import type { Store } from '../../src/store/store';
import { openTestStore } from '../connections/open-test-store';
import { webhookFixture } from './webhook-fixture';
import { startWebhookServer } from './start-webhook-server';

const SECRET = 'admin-webhook-secret';
const CLIENT = { clientId: 'oauth-client-id', clientSecret: 'oauth-client-secret' };
const SITE_URL = 'https://some-instance-test.atlassian.net';

describe('Jira webhook routes', () => {
  let store: Store;
  let intake: AlertIntake;
  let server: Awaited<ReturnType<typeof startWebhookServer>>;
  let sites: Record<string, WebhookSite>;

  const adminUrl = (siteId = 'site-1') => `${server.url}${ADMIN_WEBHOOK_PATH.replace(':siteId', siteId)}`;
  const dynamicUrl = (siteId = 'site-1') => `${server.url}${DYNAMIC_WEBHOOK_PATH.replace(':siteId', siteId)}`;
  const sign = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const post = (url: string, body: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const stored = async () => (await intake.received()).map((received) => received.event);

  beforeEach(async () => {
    store = openTestStore();
    intake = alertIntake(store);
    sites = { 'site-1': { url: SITE_URL, adminSecrets: [SECRET] }, 'no-secret': { url: SITE_URL, adminSecrets: [] } };
    server = await startWebhookServer({
      site: async (id) => sites[id],
      oauthClient: CLIENT,
      intake,
      logger: createLogger({ level: 'silent' }),
    });
  });
  afterEach(async () => {
    await server.close();
    await store.close();
  });

  it('accepts each recorded payload once, however often Jira retries it', async () => {
    for (const name of ['jira-issue_created', 'jira-issue_updated.changelog-status', 'comment_created']) {
      const body = webhookFixture(name);
      const headers = { 'x-hub-signature': sign(body), 'x-atlassian-webhook-identifier': `delivery-${name}` };
      assert.equal((await post(adminUrl(), body, headers)).status, 202);
      assert.equal((await post(adminUrl(), body, { ...headers, 'x-atlassian-webhook-retry': '1' })).status, 202);
    }
    const events = await stored();
    assert.deepEqual(events.map((e) => e.id).sort(), ['10040:changelog:10228', '10040:comment:10019', '10040:created']);
    assert.ok(events.every((e) => e.site === SITE_URL && e.issue.key === 'TES-41'));
  });

  it('answers 401 to forged, unsigned or unknown-site admin webhooks and keeps nothing', async () => {
    const body = webhookFixture('jira-issue_created');
    const tampered = body.replace('Unit test summary', 'Tampered summary');
    const answers = await Promise.all([
      post(adminUrl(), body),
      post(adminUrl(), body, { 'x-hub-signature': sign(body, 'wrong-secret') }),
      post(adminUrl(), tampered, { 'x-hub-signature': sign(body) }),
      post(adminUrl(), body, { 'x-hub-signature': 'sha256=zz' }),
      post(adminUrl('unknown-site'), body, { 'x-hub-signature': sign(body) }),
      post(adminUrl('no-secret'), body, { 'x-hub-signature': sign(body, '') }),
    ]);
    assert.deepEqual(
      answers.map((a) => a.status),
      [401, 401, 401, 401, 401, 401],
    );
    assert.deepEqual(await stored(), []);
  });

  it('accepts dynamic webhooks signed with the client secret and refuses other tokens', async () => {
    const body = webhookFixture('jira-issue_updated.changelog-status');
    const claims = { clientId: CLIENT.clientId, accountId: 'acc', issuer: SITE_URL, nowMs: Date.now() };
    const good = await signWebhookJwt(CLIENT.clientSecret, claims);
    const forged = await signWebhookJwt('not-the-secret', claims);
    const expired = await signWebhookJwt(CLIENT.clientSecret, { ...claims, nowMs: Date.now() - 3_600_000 });
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${good.split('.')[1]}.`;
    const refused = await Promise.all([
      post(dynamicUrl(), body),
      post(dynamicUrl(), body, { authorization: `Bearer ${forged}` }),
      post(dynamicUrl(), body, { authorization: `Bearer ${expired}` }),
      post(dynamicUrl(), body, { authorization: `Bearer ${unsigned}` }),
      post(dynamicUrl(), body, { 'x-hub-signature': sign(body) }),
    ]);
    assert.deepEqual(
      refused.map((a) => a.status),
      [401, 401, 401, 401, 401],
    );
    assert.deepEqual(await stored(), []);
    assert.equal((await post(dynamicUrl(), body, { authorization: `Bearer ${good}` })).status, 202);
    assert.deepEqual(
      (await stored()).map((e) => e.id),
      ['10040:changelog:10228'],
    );
  });

  it('verifies the signature over the bytes Jira sent, non-ASCII text included, and refuses what it cannot read', async () => {
    const body = webhookFixture('jira-issue_updated.changelog-status').replace('Unit test summary 1', 'Résumé ✓ 1');
    assert.equal((await post(adminUrl(), body, { 'x-hub-signature': sign(body) })).status, 202);
    assert.equal((await stored())[0].issue.summary, 'Résumé ✓ 1');

    const notJson = '{"webhookEvent": ';
    assert.equal((await post(adminUrl(), notJson, { 'x-hub-signature': sign(notJson) })).status, 400);
    assert.equal((await post(adminUrl(), notJson, { 'x-hub-signature': sign('other') })).status, 401, 'not authenticated comes first');
    const gzipped = await post(adminUrl(), body, { 'x-hub-signature': sign(body), 'content-encoding': 'gzip' });
    assert.equal(gzipped.status, 415);
    const huge = JSON.stringify({ webhookEvent: 'jira:issue_updated', padding: 'x'.repeat(4 * 1024 * 1024) });
    assert.equal((await post(adminUrl(), huge, { 'x-hub-signature': sign(huge) })).status, 413);
    assert.equal((await stored()).length, 1);
  });

  it('acknowledges events it does not alert on without keeping them', async () => {
    const body = JSON.stringify({ webhookEvent: 'worklog_created', worklog: { id: '1' } });
    assert.equal((await post(adminUrl(), body, { 'x-hub-signature': sign(body) })).status, 204);
    assert.deepEqual(await stored(), []);
  });

  describe('with the Jira simulator', () => {
    let sim: JiraSim;
    before(async () => {
      sim = await startJiraSim({ webhookRetry: { attempts: 2, baseDelayMs: 5, timeoutMs: 2000 } });
    });
    after(async () => sim.close());

    it('takes the signed callbacks for changes made through the API, one event per change', async () => {
      sites['sim'] = { url: sim.url, adminSecrets: [SECRET] };
      const register = await fetch(`${sim.url}/rest/webhooks/1.0/webhook`, {
        method: 'POST',
        headers: { authorization: sim.basicAuth('alice@example.com'), 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Teams alerts',
          url: adminUrl('sim'),
          events: ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created'],
          secret: SECRET,
        }),
      });
      assert.equal(register.status, 201);
      const bob = { authorization: sim.basicAuth('bob@example.com'), 'content-type': 'application/json' };
      await fetch(`${sim.url}/rest/api/3/issue/PHX-4`, { method: 'PUT', headers: bob, body: JSON.stringify({ fields: { summary: 'Renamed' } }) });
      await fetch(`${sim.url}/rest/api/3/issue/PHX-4/comment`, {
        method: 'POST',
        headers: bob,
        body: JSON.stringify({ body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Looks good' }] }] } }),
      });
      await sim.webhooks.idle(5000);

      const deliveries = sim.webhooks.deliveries();
      assert.equal(deliveries.length, 3, 'summary change, issue_commented update, comment_created');
      assert.ok(deliveries.every((d) => d.status === 'delivered'));
      const events = await stored();
      assert.deepEqual(events.map((e) => e.kinds).sort(), [['commented'], ['fieldChanged']]);
      const commented = events.find((e) => e.kinds[0] === 'commented');
      assert.equal(commented?.comment?.excerpt, 'Looks good');
      assert.equal(commented?.actor?.displayName, 'Bob Builder');
      assert.equal(commented?.issue.url, `${sim.url}/browse/PHX-4`);
    });
  });
});
