import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { jwtVerify } from 'jose';
import sinon from 'sinon';
import type { JqlMatcher } from '../../src/webhook-event';
import { ALICE_APP, ALICE_BASIC, APP, BOB_APP, fixture, startReceiver, startSim, type Receiver, type SimHarness } from './webhook-harness';

const DAY = 24 * 60 * 60 * 1000;
const created = fixture('webhook.jira-issue_created.json');
const resolved = fixture('webhook.jira-issue_updated.changelog-status.json');
/** Stands in for the core's JQL evaluator: the changed issue is in project ABC. */
const inProjectAbc = (jql: string) => jql === 'project = ABC';

/** What a receiver does to trust an admin webhook: HMAC the raw body, compare in constant time. */
function signatureValid(secret: string, rawBody: string, header: string | string[] | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`);
  const given = Buffer.from(String(header ?? ''));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

describe('webhook delivery', () => {
  let sim: SimHarness;
  let receiver: Receiver;
  beforeEach(async () => {
    sim = await startSim();
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  async function registerDynamic(jqlFilter: string, as = ALICE_APP, extra: Record<string, unknown> = {}): Promise<number> {
    const res = await sim.call(as, 'POST', '/rest/api/3/webhook', {
      url: receiver.url,
      webhooks: [{ events: ['jira:issue_created', 'jira:issue_updated'], jqlFilter, ...extra }],
    });
    const id = (res.body as { webhookRegistrationResult: Array<{ createdWebhookId: number }> }).webhookRegistrationResult[0].createdWebhookId;
    assert.ok(id);
    return id;
  }

  async function registerAdmin(body: Record<string, unknown>) {
    const res = await sim.call(ALICE_BASIC, 'POST', '/rest/webhooks/1.0/webhook', { name: 'Teams alerts', url: receiver.url, ...body });
    assert.equal(res.status, 201);
    return res.body as Record<string, unknown>;
  }

  describe('dynamic (OAuth 2.0 app) webhooks', () => {
    it('delivers only to webhooks whose JQL filter matches, naming them in matchedWebhookIds', async () => {
      const matching = await registerDynamic('project = ABC');
      await registerDynamic('project = XYZ');
      sim.hub.publish(created, inProjectAbc);
      const [call] = await receiver.waitForCalls(1);
      await sim.hub.idle();
      assert.equal(receiver.calls.length, 1);
      const body = JSON.parse(call.rawBody) as Record<string, unknown>;
      assert.deepEqual(body.matchedWebhookIds, [matching]);
      assert.equal(body.webhookEvent, 'jira:issue_created');
      assert.deepEqual(body.issue, created.issue);
      assert.match(String(call.headers['content-type']), /application\/json/);
      assert.ok(call.headers['x-atlassian-webhook-identifier']);
      assert.equal(call.headers['x-atlassian-webhook-flow'], 'Primary');
      assert.equal(call.headers['x-atlassian-webhook-retry'], undefined);
      assert.equal(call.headers['x-hub-signature'], undefined);
    });

    it('sends one callback per app user naming every matched webhook', async () => {
      const a = await registerDynamic('project = ABC');
      const b = await registerDynamic('project = ABC', ALICE_APP, { fieldIdsFilter: ['status'] });
      sim.hub.publish(resolved, inProjectAbc);
      const [call] = await receiver.waitForCalls(1);
      await sim.hub.idle();
      assert.equal(receiver.calls.length, 1);
      assert.deepEqual((JSON.parse(call.rawBody) as { matchedWebhookIds: number[] }).matchedWebhookIds, [a, b]);
    });

    it('honours fieldIdsFilter on jira:issue_updated', async () => {
      await registerDynamic('project = ABC', ALICE_APP, { fieldIdsFilter: ['summary'] });
      sim.hub.publish(resolved, inProjectAbc);
      await sim.hub.idle();
      assert.equal(receiver.calls.length, 0);
    });

    it('carries a JWT signed HS256 with the app client secret', async () => {
      await registerDynamic('project = ABC');
      sim.hub.publish(created, inProjectAbc);
      const [call] = await receiver.waitForCalls(1);
      const match = /^Bearer (.+)$/.exec(String(call.headers.authorization));
      assert.ok(match, 'Authorization: Bearer <jwt>');
      const { payload, protectedHeader } = await jwtVerify(match[1], new TextEncoder().encode(APP.clientSecret), {
        algorithms: ['HS256'],
        audience: APP.clientId,
        currentDate: new Date(sim.clock.now),
      });
      assert.equal(protectedHeader.alg, 'HS256');
      assert.equal(payload.sub, 'acc-alice');
      assert.equal(payload.iss, 'https://acme.atlassian.net');
      await assert.rejects(jwtVerify(match[1], new TextEncoder().encode('another secret'), { currentDate: new Date(sim.clock.now) }));
    });

    it('delivers nothing to an expired webhook, and again after a refresh', async () => {
      const id = await registerDynamic('project = ABC');
      sim.clock.now += 30 * DAY;
      sim.hub.publish(created, inProjectAbc);
      await sim.hub.idle();
      assert.equal(receiver.calls.length, 0);
      assert.equal(sim.hub.deliveries().length, 0);
      await sim.call(ALICE_APP, 'PUT', '/rest/api/3/webhook/refresh', { webhookIds: [id] });
      sim.hub.publish(created, inProjectAbc);
      await receiver.waitForCalls(1);
    });

    it('keeps a refreshed webhook alive past its first 30 days', async () => {
      const id = await registerDynamic('project = ABC');
      sim.clock.now += 29 * DAY;
      await sim.call(ALICE_APP, 'PUT', '/rest/api/3/webhook/refresh', { webhookIds: [id] });
      sim.clock.now += 29 * DAY;
      sim.hub.publish(created, inProjectAbc);
      await receiver.waitForCalls(1);
    });

    it('stops delivering once the webhook is deleted', async () => {
      const id = await registerDynamic('project = ABC');
      await sim.call(ALICE_APP, 'DELETE', '/rest/api/3/webhook', { webhookIds: [id] });
      sim.hub.publish(created, inProjectAbc);
      await sim.hub.idle();
      assert.equal(receiver.calls.length, 0);
    });

    it('asks the matcher as the user who registered, so currentUser() and visibility can be theirs', async () => {
      await registerDynamic('assignee = currentUser()');
      await registerDynamic('assignee = currentUser()', BOB_APP);
      const askedAs: Array<string | undefined> = [];
      sim.hub.publish(created, (jql, asAccountId) => {
        askedAs.push(asAccountId);
        return jql === 'assignee = currentUser()' && asAccountId === 'acc-bob';
      });
      const [call] = await receiver.waitForCalls(1);
      await sim.hub.idle();
      assert.deepEqual(askedAs.sort(), ['acc-alice', 'acc-bob']);
      assert.equal(receiver.calls.length, 1);
      const token = String(call.headers.authorization).slice('Bearer '.length);
      const { payload } = await jwtVerify(token, new TextEncoder().encode(APP.clientSecret), { currentDate: new Date(sim.clock.now) });
      assert.equal(payload.sub, 'acc-bob');
    });

    it('accepts a plain JqlMatcher', async () => {
      await registerDynamic('project = ABC');
      const plain: JqlMatcher = inProjectAbc;
      sim.hub.publish(created, plain);
      await receiver.waitForCalls(1);
    });

    it('treats a filter the matcher cannot evaluate as no match', async () => {
      await registerDynamic('project = ABC');
      await registerDynamic('status = Done', BOB_APP);
      sim.hub.publish(created, (jql) => {
        if (jql.startsWith('status')) throw new Error('unknown field');
        return true;
      });
      await receiver.waitForCalls(1);
      await sim.hub.idle();
      assert.equal(sim.hub.deliveries().length, 1);
    });
  });

  describe('admin webhooks (/rest/webhooks/1.0/webhook)', () => {
    it('creates, reads, lists, updates and deletes, never showing the secret', async () => {
      const made = await registerAdmin({ events: ['jira:issue_created'], filters: { 'issue-related-events-section': 'project = ABC' }, secret: 'shh' });
      assert.equal(made.name, 'Teams alerts');
      assert.deepEqual(made.filters, { 'issue-related-events-section': 'project = ABC' });
      assert.equal(made.enabled, true);
      assert.equal(made.secret, undefined);
      const id = String(made.self).split('/').pop();
      assert.match(String(made.self), /\/rest\/webhooks\/1\.0\/webhook\/\d+$/);
      assert.deepEqual((await sim.call(ALICE_BASIC, 'GET', `/rest/webhooks/1.0/webhook/${id}`)).body, made);
      assert.equal(((await sim.call(ALICE_BASIC, 'GET', '/rest/webhooks/1.0/webhook')).body as unknown[]).length, 1);
      const updated = await sim.call(ALICE_BASIC, 'PUT', `/rest/webhooks/1.0/webhook/${id}`, { events: ['jira:issue_created', 'jira:issue_updated'] });
      assert.equal(updated.status, 200);
      assert.deepEqual((updated.body as { events: string[] }).events, ['jira:issue_created', 'jira:issue_updated']);
      assert.equal((await sim.call(ALICE_BASIC, 'DELETE', `/rest/webhooks/1.0/webhook/${id}`)).status, 204);
      assert.equal((await sim.call(ALICE_BASIC, 'GET', `/rest/webhooks/1.0/webhook/${id}`)).status, 404);
    });

    it('rejects a webhook without a name or a valid URL, and callers without credentials', async () => {
      const res = await sim.call(ALICE_BASIC, 'POST', '/rest/webhooks/1.0/webhook', { url: 'ftp://x', events: [] });
      assert.equal(res.status, 400);
      assert.ok((res.body as { errors: Record<string, string> }).errors.name);
      assert.ok((res.body as { errors: Record<string, string> }).errors.url);
      assert.equal((await sim.call(undefined, 'GET', '/rest/webhooks/1.0/webhook')).status, 401);
    });

    it('is for Jira administrators, and for OAuth apps with manage:jira-configuration', async () => {
      await sim.close();
      sim = await startSim({ isAdmin: (accountId) => accountId === 'acc-alice' });
      const body = { name: 'x', url: receiver.url, events: ['jira:issue_created'] };
      assert.equal((await sim.call({ kind: 'basic', accountId: 'acc-bob' }, 'POST', '/rest/webhooks/1.0/webhook', body)).status, 403);
      assert.equal((await sim.call({ kind: 'basic', accountId: 'acc-bob' }, 'GET', '/rest/webhooks/1.0/webhook')).status, 403);
      assert.equal((await sim.call(ALICE_APP, 'POST', '/rest/webhooks/1.0/webhook', body)).status, 401);
      const withScope = { ...ALICE_APP, scopes: ['manage:jira-configuration'] };
      assert.equal((await sim.call(withScope, 'POST', '/rest/webhooks/1.0/webhook', body)).status, 201);
      assert.equal((await sim.call(ALICE_BASIC, 'GET', '/rest/webhooks/1.0/webhook')).status, 200);
    });

    it('signs deliveries with X-Hub-Signature over the raw body, verifiable by the receiver', async () => {
      await registerAdmin({ events: ['jira:issue_created'], secret: 'shh' });
      sim.hub.publish({ ...created, matchedWebhookIds: [1] }, inProjectAbc);
      const [call] = await receiver.waitForCalls(1);
      assert.ok(signatureValid('shh', call.rawBody, call.headers['x-hub-signature']));
      assert.ok(!signatureValid('wrong', call.rawBody, call.headers['x-hub-signature']));
      const body = JSON.parse(call.rawBody) as Record<string, unknown>;
      assert.equal(body.matchedWebhookIds, undefined, 'admin webhooks carry no matchedWebhookIds');
      assert.equal(call.headers.authorization, undefined);
      assert.ok(call.headers['x-atlassian-webhook-identifier']);
    });

    it('substitutes ${issue.key} and ${project.key} in the URL', async () => {
      await registerAdmin({ url: `${receiver.url}?issue=\${issue.key}&project=\${project.key}&sprint=\${sprint.id}`, events: ['jira:issue_created'] });
      sim.hub.publish(created, inProjectAbc);
      const [call] = await receiver.waitForCalls(1);
      const issue = created.issue as { key: string; fields: { project: { key: string } } };
      const query = new URLSearchParams(call.url.split('?')[1]);
      assert.equal(query.get('issue'), issue.key);
      assert.equal(query.get('project'), issue.fields.project.key);
      assert.equal(query.get('sprint'), '${sprint.id}');
    });

    it('sends unsigned deliveries when no secret was set', async () => {
      await registerAdmin({ events: ['jira:issue_created'] });
      sim.hub.publish(created, inProjectAbc);
      const [call] = await receiver.waitForCalls(1);
      assert.equal(call.headers['x-hub-signature'], undefined);
    });

    it('honours the event list and the JQL filter', async () => {
      await registerAdmin({ events: ['jira:issue_created'], filters: { 'issue-related-events-section': 'project = XYZ' } });
      await registerAdmin({ events: ['comment_created'] });
      sim.hub.publish(created, inProjectAbc);
      await sim.hub.idle();
      assert.equal(receiver.calls.length, 0);
    });

    it('delivers nothing while disabled', async () => {
      await registerAdmin({ events: ['jira:issue_created'], enabled: false });
      sim.hub.publish(created, inProjectAbc);
      await sim.hub.idle();
      assert.equal(receiver.calls.length, 0);
    });
  });

  describe('retries', () => {
    it('retries after 500s with X-Atlassian-Webhook-Retry, then succeeds', async () => {
      await registerAdmin({ events: ['jira:issue_created'], secret: 'shh' });
      receiver.answers.push(500, 503);
      sim.hub.publish(created, inProjectAbc);
      const calls = await receiver.waitForCalls(3);
      await sim.hub.idle();
      assert.deepEqual(
        calls.map((call) => call.headers['x-atlassian-webhook-retry']),
        [undefined, '1', '2'],
      );
      assert.equal(new Set(calls.map((call) => call.headers['x-atlassian-webhook-identifier'])).size, 1);
      assert.ok(calls.every((call) => signatureValid('shh', call.rawBody, call.headers['x-hub-signature'])));
      const [delivery] = sim.hub.deliveries();
      assert.equal(delivery.status, 'delivered');
      assert.equal(delivery.attempts, 3);
      assert.deepEqual(delivery.responses, [500, 503, 200]);
    });

    it('backs off exponentially between attempts', async () => {
      await sim.close();
      sim = await startSim({ retry: { attempts: 4, baseDelayMs: 60_000, timeoutMs: 1000 } });
      await registerAdmin({ events: ['jira:issue_created'] });
      receiver.answers.push(500, 500, 500);
      // The retry timers run on a fake clock: the test moves it, so the gaps are exact and take no time.
      const timers = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        sim.hub.publish(created, inProjectAbc);
        for (const [retry, gap] of [
          [1, 60_000],
          [2, 120_000],
          [3, 240_000],
        ]) {
          await until(() => sim.hub.deliveries()[0].responses.length === retry);
          await timers.tickAsync(gap - 1);
          assert.equal(sim.hub.deliveries()[0].attempts, retry, `no retry ${retry} before ${gap / 60_000} min`);
          await timers.tickAsync(1);
          assert.equal(sim.hub.deliveries()[0].attempts, retry + 1, `retry ${retry} after ${gap / 60_000} min`);
        }
        const calls = await receiver.waitForCalls(4);
        assert.deepEqual(
          calls.map((call) => call.headers['x-atlassian-webhook-retry']),
          [undefined, '1', '2', '3'],
        );
      } finally {
        timers.restore();
      }
    });

    it('gives up after 5 retries and reports the failure to the app', async () => {
      await registerDynamic('project = ABC');
      receiver.answers.push(500, 500, 500, 500, 500, 500, 500);
      sim.hub.publish(created, inProjectAbc);
      await sim.hub.idle();
      assert.equal(receiver.calls.length, 6);
      const [delivery] = sim.hub.deliveries();
      assert.equal(delivery.status, 'failed');
      assert.equal(delivery.attempts, 6);
      assert.equal(receiver.calls[5].headers['x-atlassian-webhook-retry'], '5');
      const failed = await sim.call(ALICE_APP, 'GET', '/rest/api/3/webhook/failed');
      const values = (failed.body as { values: Array<{ id: string; url: string }> }).values;
      assert.deepEqual(
        values.map((value) => [value.id, value.url]),
        [[delivery.id, receiver.url]],
      );
    });

    it('does not retry a 4xx other than 408, 409, 425 and 429', async () => {
      await registerAdmin({ events: ['jira:issue_created'] });
      receiver.answers.push(400);
      sim.hub.publish(created, inProjectAbc);
      await sim.hub.idle();
      assert.equal(receiver.calls.length, 1);
      assert.equal(sim.hub.deliveries()[0].status, 'failed');
    });

    it('retries a 429', async () => {
      await registerAdmin({ events: ['jira:issue_created'] });
      receiver.answers.push(429);
      sim.hub.publish(created, inProjectAbc);
      await sim.hub.idle();
      assert.deepEqual(sim.hub.deliveries()[0].responses, [429, 200]);
    });

    it('retries when the receiver times out or refuses the connection', async () => {
      await sim.close();
      sim = await startSim({ retry: { attempts: 2, baseDelayMs: 5, timeoutMs: 100 } });
      await registerAdmin({ events: ['jira:issue_created'] });
      receiver.hang = true;
      sim.hub.publish(created, inProjectAbc);
      await sim.hub.idle();
      const [delivery] = sim.hub.deliveries();
      assert.equal(delivery.status, 'failed');
      assert.equal(receiver.calls.length, 2);
      assert.deepEqual(delivery.responses, [0, 0]);

      const gone = receiver.url;
      await receiver.close();
      await sim.call(ALICE_BASIC, 'POST', '/rest/webhooks/1.0/webhook', { name: 'gone', url: gone, events: ['jira:issue_updated'] });
      sim.hub.publish(resolved, inProjectAbc);
      await sim.hub.idle();
      const refused = sim.hub.deliveries()[1];
      assert.equal(refused.status, 'failed');
      assert.equal(refused.attempts, 2);
      receiver = await startReceiver();
    });
  });

  describe('asynchrony', () => {
    it('publish returns before anything is sent', async () => {
      await registerAdmin({ events: ['jira:issue_created'] });
      sim.hub.publish(created, inProjectAbc);
      assert.equal(receiver.calls.length, 0);
      assert.equal(sim.hub.deliveries()[0].status, 'pending');
      await receiver.waitForCalls(1);
    });

    it('keeps only the most recent finished deliveries', async () => {
      await sim.close();
      sim = await startSim({ retainDeliveries: 2 });
      await registerAdmin({ events: ['jira:issue_created', 'jira:issue_updated'] });
      sim.hub.publish(created, inProjectAbc);
      await sim.hub.idle();
      sim.hub.publish(resolved, inProjectAbc);
      sim.hub.publish(resolved, inProjectAbc);
      await sim.hub.idle();
      assert.equal(receiver.calls.length, 3);
      assert.deepEqual(
        sim.hub.deliveries().map((delivery) => delivery.event),
        ['jira:issue_updated', 'jira:issue_updated'],
      );
    });

    it('close() stops pending retries', async () => {
      await sim.close();
      sim = await startSim({ retry: { attempts: 6, baseDelayMs: 200, timeoutMs: 1000 } });
      await registerAdmin({ events: ['jira:issue_created'] });
      receiver.answers.push(500, 500);
      const timers = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        sim.hub.publish(created, inProjectAbc);
        // The first answer is recorded in the same step that schedules the retry.
        await until(() => sim.hub.deliveries()[0].responses.length === 1);
        await sim.hub.close();
        // Well past every retry the policy would make: none runs.
        await timers.tickAsync(200 * 2 ** 6);
        assert.equal(sim.hub.deliveries()[0].attempts, 1);
        assert.equal(receiver.calls.length, 1);
        assert.equal(sim.hub.deliveries()[0].status, 'cancelled');
      } finally {
        timers.restore();
      }
    });
  });
});

/** Waits, without a timer, until the simulator's own record shows what a step must do first. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
