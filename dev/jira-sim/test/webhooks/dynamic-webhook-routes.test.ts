import assert from 'node:assert/strict';
import { ALICE_APP, ALICE_BASIC, BOB_APP, startSim, type SimHarness } from './webhook-harness';
import { assertConforms } from '../../src/conformance/check-conformance';
import type { SimAuth } from '../../src/sim-auth';

const DAY = 24 * 60 * 60 * 1000;
const URL = 'https://bot.example.com/jira/webhook';

function registration(...jqlFilters: string[]) {
  return { url: URL, webhooks: jqlFilters.map((jqlFilter) => ({ events: ['jira:issue_created', 'jira:issue_updated'], jqlFilter })) };
}

describe('dynamic webhook API (/rest/api/3/webhook)', () => {
  let sim: SimHarness;
  beforeEach(async () => {
    sim = await startSim();
  });
  afterEach(() => sim.close());

  /** Calls a route and checks the exchange against Jira's platform spec (request too, unless it is deliberately bad). */
  async function checked(as: SimAuth, method: string, route: string, body?: unknown, options: { invalidRequest?: boolean } = {}) {
    const res = await sim.call(as, method, route, body);
    assertConforms({ method, path: route, requestBody: options.invalidRequest ? undefined : body, status: res.status, responseBody: res.body });
    return res;
  }

  async function register(body: unknown, as = ALICE_APP) {
    const res = await checked(as, 'POST', '/rest/api/3/webhook', body);
    assert.equal(res.status, 200);
    return (res.body as { webhookRegistrationResult: Array<{ createdWebhookId?: number; errors?: string[] }> }).webhookRegistrationResult;
  }

  async function list(as = ALICE_APP, query = '') {
    const res = await checked(as, 'GET', `/rest/api/3/webhook${query}`);
    assert.equal(res.status, 200);
    return res.body as { total: number; isLast: boolean; startAt: number; maxResults: number; nextPage?: string; values: Array<Record<string, unknown>> };
  }

  it('registers webhooks and lists them with a 30-day expirationDate', async () => {
    const body = {
      url: URL,
      webhooks: [
        { events: ['jira:issue_updated'], jqlFilter: 'project = ABC', fieldIdsFilter: ['status'] },
        { events: ['comment_created'], jqlFilter: 'project IN (ABC, DEF)' },
      ],
    };
    const result = await register(body);
    assert.equal(result.length, 2);
    assert.ok(result.every((item) => Number.isInteger(item.createdWebhookId)));
    const page = await list();
    assert.equal(page.total, 2);
    assert.equal(page.isLast, true);
    assert.deepEqual(page.values[0], {
      id: result[0].createdWebhookId,
      jqlFilter: 'project = ABC',
      events: ['jira:issue_updated'],
      expirationDate: sim.clock.now + 30 * DAY,
      url: URL,
      fieldIdsFilter: ['status'],
    });
  });

  it('answers each webhook in order: an id, or the errors of an unsupported JQL clause', async () => {
    const result = await register(registration('project = ABC', 'project = ABC AND watchCount > 3', 'summary ~ "x"', 'assignee = currentUser()'));
    assert.ok(result[0].createdWebhookId);
    assert.deepEqual(result[1], { errors: ['The clause watchCount is unsupported'] });
    assert.deepEqual(result[2], { errors: ['The clause summary is unsupported'] });
    assert.ok(result[3].createdWebhookId);
    assert.equal((await list()).total, 2);
  });

  it('uses the JQL check the simulator core supplies', async () => {
    await sim.close();
    sim = await startSim({ checkJql: (jql) => (jql.includes('(') && !jql.includes(')') ? ["Error in the JQL Query: Expecting ')'"] : []) });
    const result = await register(registration('project IN (A', 'project = A'));
    assert.deepEqual(result[0], { errors: ["Error in the JQL Query: Expecting ')'"] });
    assert.ok(result[1].createdWebhookId);
  });

  it('rejects unsupported events per webhook', async () => {
    const result = await register({ url: URL, webhooks: [{ events: ['jira:issue_created'], jqlFilter: 'project = A' }] });
    assert.ok(result[0].createdWebhookId);
    const res = await checked(
      ALICE_APP,
      'POST',
      '/rest/api/3/webhook',
      { url: URL, webhooks: [{ events: ['project_created'], jqlFilter: 'project = A' }] },
      { invalidRequest: true },
    );
    assert.deepEqual(res.body, { webhookRegistrationResult: [{ errors: ['The event project_created is unsupported'] }] });
  });

  it('limits an app to 5 live webhooks per user on the site', async () => {
    const result = await register(registration('project = A', 'project = B', 'project = C', 'project = D', 'project = E', 'project = F'));
    assert.equal(result.filter((item) => item.createdWebhookId).length, 5);
    assert.match(result[5].errors?.[0] ?? '', /limit of 5 webhooks/);
    // Another user of the same app has a quota of their own.
    assert.ok((await register(registration('project = A'), BOB_APP))[0].createdWebhookId);
  });

  it('scopes webhooks to the app and user that registered them', async () => {
    const [{ createdWebhookId }] = await register(registration('project = A'));
    assert.equal((await list(BOB_APP)).total, 0);
    const otherApp = { ...ALICE_APP, clientId: 'other-app' };
    assert.equal((await list(otherApp)).total, 0);
    // Deleting someone else's id is ignored, as Jira does.
    assert.equal((await checked(BOB_APP, 'DELETE', '/rest/api/3/webhook', { webhookIds: [createdWebhookId] })).status, 202);
    assert.equal((await list()).total, 1);
  });

  it('pages the list', async () => {
    await register(registration('project = A', 'project = B', 'project = C'));
    const first = await list(ALICE_APP, '?startAt=0&maxResults=2');
    assert.equal(first.values.length, 2);
    assert.equal(first.isLast, false);
    assert.match(first.nextPage ?? '', /startAt=2/);
    const second = await list(ALICE_APP, '?startAt=2&maxResults=2');
    assert.equal(second.values.length, 1);
    assert.equal(second.isLast, true);
  });

  it('refresh extends expiry by 30 days from now', async () => {
    const [{ createdWebhookId }, other] = await register(registration('project = A', 'project = B'));
    sim.clock.now += 20 * DAY;
    const body = { webhookIds: [createdWebhookId, 999_999] };
    const res = await checked(ALICE_APP, 'PUT', '/rest/api/3/webhook/refresh', body);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { expirationDate: sim.clock.now + 30 * DAY });
    const values = (await list()).values;
    assert.equal(values.find((w) => w.id === createdWebhookId)?.expirationDate, sim.clock.now + 30 * DAY);
    assert.equal(values.find((w) => w.id === other.createdWebhookId)?.expirationDate, sim.clock.now + 10 * DAY);
  });

  it('deletes by id with 202', async () => {
    const [a, b] = await register(registration('project = A', 'project = B'));
    const body = { webhookIds: [a.createdWebhookId] };
    const res = await checked(ALICE_APP, 'DELETE', '/rest/api/3/webhook', body);
    assert.equal(res.status, 202);
    assert.equal(res.body, undefined);
    assert.deepEqual(
      (await list()).values.map((w) => w.id),
      [b.createdWebhookId],
    );
  });

  it('answers a missing webhookIds list with 400 and an ErrorCollection', async () => {
    for (const [method, route] of [
      ['DELETE', '/rest/api/3/webhook'],
      ['PUT', '/rest/api/3/webhook/refresh'],
    ]) {
      const res = await checked(ALICE_APP, method, route, {}, { invalidRequest: true });
      assert.equal(res.status, 400);
    }
  });

  it('answers a malformed registration with 400', async () => {
    for (const body of [{ webhooks: [] }, { url: 'not a url', webhooks: [{ events: ['jira:issue_created'], jqlFilter: 'project = A' }] }]) {
      const res = await checked(ALICE_APP, 'POST', '/rest/api/3/webhook', body, { invalidRequest: true });
      assert.equal(res.status, 400);
    }
    const res = await fetch(`${sim.base}/rest/api/3/webhook`, {
      method: 'POST',
      headers: { 'x-test-auth': JSON.stringify(ALICE_APP), 'content-type': 'application/json' },
      body: '{not json',
    });
    assert.equal(res.status, 400);
  });

  it('is for OAuth 2.0 apps only: Basic auth gets 403', async () => {
    for (const [method, route, body] of [
      ['POST', '/rest/api/3/webhook', registration('project = A')],
      ['GET', '/rest/api/3/webhook', undefined],
      ['DELETE', '/rest/api/3/webhook', { webhookIds: [1] }],
      ['PUT', '/rest/api/3/webhook/refresh', { webhookIds: [1] }],
    ] as const) {
      const res = await checked(ALICE_BASIC, method, route, body);
      assert.equal(res.status, 403, `${method} ${route}`);
    }
  });

  it('needs the manage:jira-webhook scope', async () => {
    const res = await sim.call({ ...ALICE_APP, scopes: ['read:jira-work'] }, 'POST', '/rest/api/3/webhook', registration('project = A'));
    assert.equal(res.status, 401);
  });

  it('needs a caller', async () => {
    assert.equal((await sim.call(undefined, 'GET', '/rest/api/3/webhook')).status, 401);
  });

  it('lists failed deliveries for the app (getFailedWebhooks)', async () => {
    const res = await checked(ALICE_APP, 'GET', '/rest/api/3/webhook/failed');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { maxResults: 100, values: [] });
  });
});
