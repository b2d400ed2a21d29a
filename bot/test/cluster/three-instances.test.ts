import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { TurnContext, type Activity } from 'botbuilder';
import { TEAMS_SEND_LIMITS, installationUpdateAdd, startBotConnector, type BotConnector } from '../../../dev/bot-connector-emu/src';
import { startEntraEmu, type EntraEmu } from '../../../dev/entra-emu/src';
import { startJiraSim, type JiraSim, type WebhookEventPayload } from '../../../dev/jira-sim/src';
import { alertIntake } from '../../src/alerts/alert-intake';
import { OUTBOX_TABLE, SENT_TABLE, type OutboxEntry } from '../../src/alerts/alert-outbox';
import { ALL_EVENT_KINDS } from '../../src/alerts/issue-event';
import { subscriptionRepository } from '../../src/alerts/subscription-repository';
import { readConfig, type Env } from '../../src/config';
import { createConnectionServices } from '../../src/connections/create-connection-services';
import { conversationReferences } from '../../src/conversations/conversation-references';
import { ADMIN_WEBHOOK_PATH } from '../../src/http/webhook-routes';
import { openStore } from '../../src/store/open-store';
import type { Store } from '../../src/store/store';
import { siteIdOf } from '../../src/wiring/site-directory';
import { seatMeeting } from '../meetings/seat-meeting';
import { openEventStream, tabClient } from '../meetings/tab-client';
import { startAzurite, type Azurite } from '../support/azurite';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { startTableRequestCounter, type TableRequestCounter } from '../store/table-request-counter';
import { findProcess, processCpuSeconds } from './support/process-cpu';
import { startBotCluster, type BotCluster } from './support/start-bot-cluster';

/**
 * DESIGN's burst is 10,000 events over 100 channels (CLUSTER_BURST_EVENTS=10000); `npm test` runs 500
 * (5 per channel, under the digest threshold of 10 a minute, so every alert goes as a card of its own,
 * the dearest path). What limits the burst is CPU work, not a timeout, and most of it Azurite's: its
 * Loki store scans every entity of a table for each query (a point read uses its index), so a query's
 * cost grows with its table. Since each logical table has an Azure table of its own, a listing of the
 * outbox no longer passes over every sent record and claimed id; what still grows are the tables a
 * burst fills: the sent records (one per event) and the outbox while routing runs ahead of Teams'
 * windows. Measured on 2 cores loaded 11-17 by other work (nice 10, so wall times are the machine's):
 * 500 events, 5,861 requests (11.7 per event), Azurite 5.3 CPU-s (13.9 per event and 6.8 CPU-s with
 * one table for all); 2,000 events (digests from 20 a channel), 11,288 requests (5.6 per event),
 * Azurite 13.9 CPU-s, all sent at 148 s; 10,000 events, 56,927 requests (5.7 per event) before its
 * webhooks timed out at 796 s, Azurite 219 CPU-s, 3.8 ms a request against 1.2 at 2,000: a tenth of
 * them were queries on the sent table (a conversation's recent sends, the sent check of a claim),
 * and a sixth on the outbox. The test counts what the instances send to Azurite (a counting front,
 * by kind and logical table) and the CPU each process spent, and prints both, also when the burst does
 * not get through: on a loaded machine intake slows past the simulator's 10 s webhook timeout and
 * Jira's retries of webhooks already accepted add to the load.
 */
const EVENTS = Number(process.env.CLUSTER_BURST_EVENTS ?? 500);
/**
 * The waits below are sized for 2,000 events; a larger burst run by hand (DESIGN's 10,000) gets them
 * in proportion, so it reports what it cost instead of a timeout.
 */
const WAIT_SCALE = Math.max(1, EVENTS / 2_000);
const CHANNELS = 100;
/** The burst's share of webhooks accepted when one instance is killed. */
const KILL_AT = 0.4;
const POLL_INTERVAL_S = 10;
const SECRET = 'cluster-burst-webhook-secret';
const AUDIENCE = 'api://localhost/00000000-0000-0000-0000-0000000000c3';
const MEETING = '19:meeting_three-instances@thread.v2';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ALICE = { oid: 'a11ce000-0000-4000-8000-0000000000c1', name: 'Alice Admin', jiraUser: 'alice' };
const BOB = { oid: 'b0b00000-0000-4000-8000-0000000000c2', name: 'Bob Builder', jiraUser: 'bob' };
/** Owns the one subscription on the second site, which only the poller watches. */
const POLL_OWNER = 'c0c00000-0000-4000-8000-0000000000c3';
/** Each channel in its own tenant, so Teams' per-app limit (per tenant) does not decide the pace. */
const channel = (c: number) => ({ tenantId: `cluster-tenant-${c}`, conversationId: `19:cluster-channel-${c}@thread.tacv2` });
const projectOf = (c: number) => `Q${c}`;

/**
 * Cluster mode as deployed at scale (issue 13): three bot instances, each its own process, on one
 * Azurite (Azure Tables) and one redis-server, behind a round-robin front on loopback. The Jira
 * simulator signs and delivers a burst of webhooks (with Jira's retries) through the front to
 * every instance; one instance is killed with SIGKILL mid-burst. The Bot Connector emulation
 * records every message Teams would have shown.
 */
describe('cluster mode: three instances, a webhook burst and kill -9', function () {
  this.timeout(240_000 * WAIT_SCALE);
  let azurite: Azurite;
  let redis: RedisServer;
  let sim: JiraSim;
  let pollSim: JiraSim;
  let emu: EntraEmu;
  let connector: BotConnector;
  let cluster: BotCluster;
  let store: Store;
  /** Between the instances and Azurite: every request they send, by kind and logical table. */
  let counter: TableRequestCounter;
  const polls: number[] = [];
  const tokens = new Map<string, string>();

  before(async () => {
    // Each kept as it starts, and all awaited before a failure is thrown, so the after hook stops those
    // that did start (a redis-server missing from the machine left Azurite and the simulators running).
    const started = await Promise.allSettled([
      startAzurite().then((s) => (azurite = s)),
      startRedisServer().then((s) => (redis = s)),
      // Jira's retry policy (5xx, refused connections), in milliseconds instead of minutes.
      startJiraSim({ port: 0, webhookRetry: { attempts: 8, baseDelayMs: 250, timeoutMs: 10_000 } }).then((s) => (sim = s)),
      startJiraSim({ port: 0 }).then((s) => (pollSim = s)),
      startEntraEmu().then((s) => (emu = s)),
      // Records without refusing: a send past Teams' limits shows in its record instead of being answered 429.
      startBotConnector().then((s) => (connector = s)),
    ]);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    // Every search on the second site: only the poller searches it (GET /search/jql, as jira.js sends it).
    const take = pollSim.faults.take.bind(pollSim.faults);
    pollSim.faults.take = (method, path) => {
      if (path === '/rest/api/3/search/jql') polls.push(Date.now());
      return take(method, path);
    };

    counter = await startTableRequestCounter(azurite.connectionString);
    const env: Env = {
      STORE: 'azure',
      AZURE_STORAGE_CONNECTION_STRING: counter.connectionString,
      REDIS_URL: redis.url,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      JIRA_BASE_URL: sim.url,
      JIRA_WEBHOOK_SECRET: SECRET,
      JIRA_ALLOWED_SITES: 'http://127.0.0.1:*',
      GRAPH_BASE_URL: connector.graphUrl,
      ALERT_POLL_INTERVAL_SECONDS: String(POLL_INTERVAL_S),
      TAB_SSO_AUDIENCE: AUDIENCE,
      TAB_SSO_JWKS_URL: emu.jwksUrl,
      TAB_SSO_ISSUER: emu.issuerTemplate,
    };
    // The shared state the instances read, written as the features write it: references, subscriptions, connections.
    // The test's own reads and writes go straight to Azurite: the counter sees the instances' only.
    const config = readConfig({ ...env, AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, PORT: '0', HOST: '127.0.0.1' });
    store = await openStore(config.store);
    await seed(store, config);

    cluster = await startBotCluster({
      instances: 3,
      env,
      // Seconds instead of the production 15-30 s, so the survivors take the victim's work over quickly; not
      // 3 s: each sweep lists the inbox and the outbox and has every instance look at all 100 conversations (a
      // lease read each where another instance holds it), and heartbeats renew each owned lease every third.
      timings: { deliveryLeaseMs: 9_000, deliverySweepMs: 10_000, routerSweepMs: 10_000, pollerLeaseMs: 1.5 * POLL_INTERVAL_S * 1000 },
    });
  });
  afterEach(function () {
    if (this.currentTest?.state !== 'failed') return;
    for (const instance of cluster?.instances ?? []) process.stderr.write(`--- ${instance.name} (${instance.alive ? 'alive' : 'exited'}):\n${instance.output().slice(-4_000)}\n`);
  });
  after(async () => {
    await cluster?.close();
    await store?.close();
    await Promise.all([connector?.close(), emu?.close(), sim?.close(), pollSim?.close()]);
    await counter?.close();
    await redis?.stop();
    await azurite?.stop();
  });

  async function seed(into: Store, config: ReturnType<typeof readConfig>): Promise<void> {
    const conversations = conversationReferences(into);
    const subscriptions = subscriptionRepository(into);
    const now = new Date().toISOString();
    const targets = [...Array.from({ length: CHANNELS }, (_, c) => channel(c)), { tenantId: TENANT, conversationId: '19:cluster-poll@thread.tacv2' }];
    await Promise.all(
      targets.map(async (target, c) => {
        const activity = installationUpdateAdd({ serviceUrl: connector.url, conversationType: 'channel', teamId: `19:team-${c}@thread.tacv2`, ...target });
        await conversations.save({
          ...target,
          conversationType: 'channel',
          serviceUrl: connector.url,
          reference: TurnContext.getConversationReference(activity as unknown as Activity),
          updatedAt: now,
        });
        const polled = c === CHANNELS;
        await subscriptions.save({
          id: `cluster-sub-${c}`,
          target,
          site: polled ? pollSim.url : sim.url,
          projects: [polled ? 'PHX' : projectOf(c)],
          eventKinds: [...ALL_EVENT_KINDS],
          statuses: [],
          fields: [],
          muted: false,
          twoWayThreads: false,
          changedBy: polled ? POLL_OWNER : ALICE.oid,
          createdAt: now,
          updatedAt: now,
        });
      }),
    );
    const connections = await createConnectionServices(config, into);
    for (const who of [ALICE, BOB]) {
      await connections.connectWithApiToken(
        { tenantId: TENANT, userId: who.oid },
        { siteUrl: sim.url, email: `${who.jiraUser}@example.com`, apiToken: `sim-token-${who.jiraUser}` },
      );
    }
    await connections.connectWithApiToken({ tenantId: TENANT, userId: POLL_OWNER }, { siteUrl: pollSim.url, email: 'alice@example.com', apiToken: 'sim-token-alice' });
  }

  it('spreads requests over every instance', async () => {
    for (let i = 0; i < 6; i++) assert.equal((await fetch(`${cluster.url}/healthz`)).status, 200);
    assert.deepEqual([...cluster.forwarded.values()], [2, 2, 2]);
  });

  it('delivers a burst over 100 channels with an instance killed midway: none lost, duplicates only from sends in flight, Teams limits kept', async () => {
    const webhookUrl = `${cluster.url}${ADMIN_WEBHOOK_PATH.replace(':siteId', siteIdOf(sim.url))}`;
    const basic = `Basic ${Buffer.from('alice@example.com:sim-token-alice').toString('base64')}`;
    const registered = await fetch(`${sim.url}/rest/webhooks/1.0/webhook`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Jira for Teams', url: webhookUrl, events: ['jira:issue_updated'], filters: { 'issue-related-events-section': '' }, secret: SECRET }),
    });
    assert.equal(registered.status, 201, await registered.text());
    // One real change gives the simulator's own webhook body; the burst varies its issue.
    const changed = await fetch(`${sim.url}/rest/api/3/issue/PHX-1`, {
      method: 'PUT',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { summary: 'Template change' } }),
    });
    assert.equal(changed.status, 204, await changed.text());
    await sim.webhooks.idle(10_000);
    const template = JSON.parse(sim.webhooks.deliveries().at(-1)!.body) as WebhookEventPayload & { changelog: NonNullable<WebhookEventPayload['changelog']> };

    const azuritePid = findProcess(['azurite', `--tablePort ${new URL(/TableEndpoint=([^;]+)/.exec(azurite.connectionString)![1]).port} `]);
    const cpu = () => [
      ...cluster.instances.map((i) => processCpuSeconds(i.pid) ?? NaN),
      azuritePid === undefined ? NaN : (processCpuSeconds(azuritePid) ?? NaN),
      process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
    ];
    counter.reset();
    const cpuAtStart = cpu();
    const started = Date.now();
    const channelOfKey = new Map<string, string>();
    for (let n = 0; n < EVENTS; n++) {
      const c = n % CHANNELS;
      const key = `${projectOf(c)}-${n + 1}`;
      channelOfKey.set(key, channel(c).conversationId);
      const issue = structuredClone(template.issue) as any;
      issue.id = String(500_000 + n);
      issue.key = key;
      issue.self = `${sim.url}/rest/api/2/issue/${issue.id}`;
      issue.fields.summary = `Burst e${n}z`;
      issue.fields.project = { ...issue.fields.project, key: projectOf(c), id: String(20_000 + c), name: `Channel ${c}` };
      sim.webhooks.publish(
        { ...template, timestamp: Date.now(), webhookEvent: 'jira:issue_updated', issue, changelog: { ...template.changelog, id: String(900_000 + n) } },
        () => true,
      );
    }

    // Kill one instance once part of the burst is in: it holds accepted events not yet routed,
    // conversations it owns, and sends in flight.
    const victim = cluster.instances[0];
    const pending = () => sim.webhooks.deliveries().filter((d) => d.status === 'pending').length;
    await until(() => pending() <= EVENTS * (1 - KILL_AT), 'the first part of the burst to be accepted', 120_000 * WAIT_SCALE);
    const victimCpu = processCpuSeconds(victim.pid) ?? 0;
    await victim.kill();
    const killedAt = Date.now();

    // What the burst cost, written whether or not it got through: CPU per process and Azure requests by table.
    const report = (end: string) => {
      const cpuAtEnd = cpu();
      cpuAtEnd[0] = victimCpu;
      const burst = sim.webhooks.deliveries().slice(-EVENTS);
      const accepted = burst.filter((d) => d.status !== 'pending' && d.responses.at(-1) === 202);
      const lastAccepted = Math.max(...accepted.map((d) => d.settledAt ?? 0));
      const requests = counter.total();
      process.stdout.write(
        `      ${end}: ${accepted.length} of ${burst.length} webhooks accepted (${burst.reduce((n, d) => n + d.attempts, 0)} attempts; the simulator keeps the last 1,000 settled), the last at ` +
          `${((lastAccepted - started) / 1000).toFixed(1)} s; CPU s (bots, Azurite, test): ${cpuAtEnd.map((at, i) => (at - cpuAtStart[i]).toFixed(1)).join(', ')}; ` +
          `Azure requests ${requests} (${(requests / EVENTS).toFixed(2)} per event): ${counter
            .byTable()
            .map(([label, n]) => `${label} ${n}`)
            .join(', ')}\n`,
      );
    };
    const reportFailure = (error: unknown) => {
      report(`failed at ${((Date.now() - started) / 1000).toFixed(1)} s`);
      throw error;
    };

    await sim.webhooks.idle(120_000 * WAIT_SCALE).catch(reportFailure);
    const intake = alertIntake(store);
    let left = '';
    // One row of each table is enough to know whether work is left: a full listing of the inbox and
    // the outbox every poll was, at thousands of rows, the test's own load on Azurite, which scans
    // every entity of the account's table per query.
    await until(
      async () => {
        const [inbox, rows] = await Promise.all([intake.received({ limit: 1 }), store.list<OutboxEntry>(OUTBOX_TABLE, undefined, { limit: 1 })]);
        left = `${inbox.length > 0 ? 'events in the inbox' : 'an empty inbox'}, outbox rows such as ${JSON.stringify(rows.map(({ value: r }) => ({ to: r.target.conversationId, state: r.state, attempts: r.attempts, error: r.lastError, sending: r.sending })))}`;
        return inbox.length === 0 && rows.length === 0;
      },
      () => `every event routed and sent: ${left}`,
      150_000 * WAIT_SCALE,
      2_000,
    ).catch(reportFailure);
    const finished = Date.now();
    report(`all sent at ${((finished - started) / 1000).toFixed(1)} s`);

    // Each event's alert: its sent record names the message (one alert or a digest) it went out in.
    let sent: Awaited<ReturnType<typeof store.list<OutboxEntry>>> = [];
    await until(async () => ((sent = await store.list<OutboxEntry>(SENT_TABLE)), true), 'the sent records', 60_000, 1_000);
    const delivered = new Map<string, string[]>();
    for (const { value } of sent) {
      const key = value.event.issue.key;
      if (!channelOfKey.has(key)) continue;
      assert.equal(value.target.conversationId, channelOfKey.get(key), `${key} went to the wrong channel`);
      delivered.set(key, [...(delivered.get(key) ?? []), value.sent!.activityId]);
    }
    const lost = [...channelOfKey.keys()].filter((key) => !delivered.has(key));
    const shown = new Map<string, Set<string>>();
    for (let c = 0; c < CHANNELS; c++) {
      const { conversationId } = channel(c);
      shown.set(conversationId, new Set(connector.activities(conversationId).map((call) => String((call.response as { id?: string })?.id))));
    }
    const notShown = [...delivered].filter(([key, ids]) => !ids.some((id) => shown.get(channelOfKey.get(key)!)!.has(id)));
    // A message Teams accepted that no sent record names: the victim's send in flight, sent again by its successor.
    const named = new Set([...delivered.values()].flat());
    const orphans = [...shown.entries()].flatMap(([conversationId, ids]) => [...ids].filter((id) => !named.has(id)).map(() => conversationId));
    const perConversation = new Map<string, number>();
    for (const id of orphans) perConversation.set(id, (perConversation.get(id) ?? 0) + 1);

    const rates = Array.from({ length: CHANNELS }, (_, c) => connector.sendRate(channel(c).conversationId, TEAMS_SEND_LIMITS));
    const messages = rates.reduce((sum, r) => sum + r.count, 0);
    process.stdout.write(
      `      burst: ${EVENTS} events, ${messages} messages, killed ${victim.name} at ${((killedAt - started) / 1000).toFixed(1)} s, ` +
        `all sent at ${((finished - started) / 1000).toFixed(1)} s; repeated messages ${orphans.length}; front: ${JSON.stringify(Object.fromEntries(cluster.forwarded))}\n`,
    );

    assert.deepEqual(lost.slice(0, 10), [], `${lost.length} events lost`);
    assert.deepEqual(notShown.slice(0, 10), [], `${notShown.length} events recorded as sent in messages Teams never accepted`);
    // One send per conversation is in flight at a time, cluster-wide: a crash repeats at most one message per conversation.
    for (const [conversationId, count] of perConversation) assert.ok(count <= 1, `${conversationId} got ${count} repeated messages`);
    const overLimit = rates.map((r, c) => ({ c, windows: r.windows.filter((w) => w.peak > w.max) })).filter((r) => r.windows.length > 0);
    assert.deepEqual(overLimit, [], 'Teams per-conversation limits exceeded');
  });

  it('polls the site only webhooks do not cover once per interval, cluster-wide', async () => {
    // Polls went on through the burst and the kill; another one after this test started shows the poller is alive.
    const before = polls.length;
    await until(() => polls.length > before, `another poll of the second site (${polls.length} so far)`, 3 * POLL_INTERVAL_S * 1000);
    const gaps = polls.slice(1).map((t, i) => t - polls[i]);
    assert.ok(polls.length >= 2, `polled ${polls.length} times`);
    // Each instance's loop runs every interval; were two instances polling, two polls would fall within one interval.
    assert.ok(
      gaps.every((gap) => gap >= POLL_INTERVAL_S * 1000 * 0.8),
      `polls closer than one interval: ${gaps.map((g) => (g / 1000).toFixed(1)).join(', ')} s`,
    );
  });

  it('shows a panel streaming from one instance an edit made through another', async () => {
    const [, a, b] = cluster.instances;
    await seatMeeting(
      `${b.url}/api/messages`,
      connector,
      MEETING,
      [ALICE, BOB].map((p) => ({ tenantId: TENANT, aadObjectId: p.oid, name: p.name })),
    );
    for (const who of [ALICE, BOB]) tokens.set(who.oid, await emu.issueToken({ tenantId: TENANT, aadObjectId: who.oid, name: who.name, audience: AUDIENCE }));
    const onB = tabClient(b.url);
    const alice = tokens.get(ALICE.oid)!;
    const bob = tokens.get(BOB.oid)!;
    const created = await onB(bob, 'POST', '/backlogs', { name: 'Cluster grooming', jql: 'project = PHX', conversationId: MEETING });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const backlogId = created.body.backlog.id as string;
    const panel = await openEventStream(`${a.url}/api/tab/backlogs/${backlogId}/events`, alice);
    try {
      await panel.next('ready');
      const list = await onB(alice, 'GET', `/backlogs/${backlogId}/issues`);
      assert.equal(list.status, 200, JSON.stringify(list.body));
      const [first] = (list.body.issues as Array<{ key: string }>).map((i) => i.key);
      const edit = await onB(bob, 'PATCH', `/backlogs/${backlogId}/issues/${first}`, { priorityId: '2' });
      assert.equal(edit.status, 200, JSON.stringify(edit.body));
      // Jira's webhook about the same edit may reach the panel first, through any instance's intake, as an
      // unattributed outside change; only the hub's event from B names the editor, so wait for that one.
      assert.deepEqual((await panel.next('issue-changed', (d) => d.key === first && d.by !== undefined)).data, { key: first, by: BOB.name });
    } finally {
      await panel.close();
    }
  });
});

/** Waits for a condition the system reaches by itself, checking every `everyMs`; fails after `timeoutMs`. */
async function until(condition: () => boolean | Promise<boolean>, what: string | (() => string), timeoutMs = 120_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let failure = '';
  // A store read that times out (Azurite on a busy machine) is asked again, like the instances do.
  const met = () =>
    Promise.resolve()
      .then(condition)
      .catch((error: unknown) => ((failure = ` (last check failed: ${(error as Error).message})`), false));
  while (!(await met())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${typeof what === 'string' ? what : what()}${failure}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
