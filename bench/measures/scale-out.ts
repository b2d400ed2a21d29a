import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TurnContext, type Activity } from 'botbuilder';
import autocannon from 'autocannon';
import { installationUpdateAdd, startBotConnector } from '@jira-teams/bot-connector-emu';
import { startEntraEmu } from '@jira-teams/entra-emu';
import { startJiraSim } from '@jira-teams/jira-sim';
import type { Env } from '../../bot/src/config';
import { subscriptionRepository } from '../../bot/src/alerts/subscription-repository';
import { conversationReferences } from '../../bot/src/conversations/conversation-references';
import { ADMIN_WEBHOOK_PATH } from '../../bot/src/http/webhook-routes';
import { openAzureTableStore } from '../../bot/src/store/azure-table-store';
import { siteIdOf } from '../../bot/src/wiring/site-directory';
import { startAzurite } from '../../bot/test/support/azurite';
import { startRedisServer } from '../../bot/test/support/redis-server';
import { startBotCluster, type BotCluster } from '../../bot/test/cluster/support/start-bot-cluster';
import type { MeasureRow, MeasureScenario } from '../measure';
import { summarizeRuns } from '../summarize-runs';
import { liveUpdatesEnv, openLiveUpdatePanels, type OpenPanels } from './live-updates';
import { startConnectorProcess } from './start-connector-process';

/** DESIGN: three instances deliver at least 2.5x one instance's alert throughput where Teams' per-conversation limit does not cap it. */
const SCALE_TARGET = 2.5;
/**
 * Each delivery turn posts one alert into every channel of the cluster: one message per
 * conversation per turn, far under Teams' 7 per second and 8 per 2 s, so only the service and its
 * store bound the rate. Channels sit in tenants of their own, so the per-tenant app window (50/s)
 * does not bind either. GROUPS projects split the channels, one webhook each, so routing is spread
 * over the instances as Jira's webhooks are.
 */
const CHANNELS = 50;
const GROUPS = 10;
const TURNS = 3 * Math.max(1, Number(process.env.BENCH_REPEAT ?? 1));
/** A turn that takes longer ends the measure: its alerts would spill into the next turns. */
const TURN_LIMIT_MS = 20_000;
const INTAKE_CONNECTIONS = 12;
const SECRET = 'bench-scale-webhook-secret-0123456789';
const RECORDED_SITE = 'https://some-instance-test.atlassian.net';
const RECORDED_CHANGELOG_ID = '"id": "10228"';
const recorded = fs.readFileSync(path.join(__dirname, '../../bot/test/fixtures/jira-webhooks/webhook.jira-issue_updated.changelog-status.json'), 'utf8');

/**
 * The recorded status-change webhook for `site`, as change `changelogId` of issue `${project}-${issue}`
 * (its own issue id), signed. A new issue each turn: a second alert about one issue in a
 * conversation updates the card already there instead of posting one.
 */
function webhook(site: string, project: string, issue: number, changelogId: number): { body: string; headers: Record<string, string> } {
  const body = recorded
    .split(RECORDED_SITE)
    .join(site)
    .split('TES-41')
    .join(`${project}-${issue}`)
    .split('10040')
    .join(String(20_000 + issue))
    .replace('"key": "TES"', `"key": "${project}"`)
    .replace(RECORDED_CHANGELOG_ID, `"id": "${changelogId}"`);
  return { body, headers: { 'content-type': 'application/json', 'x-hub-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` } };
}

interface Cluster {
  name: string;
  bots: BotCluster;
  channels: string[];
  stop(): Promise<void>;
}

const projectOf = (group: number) => `B${String.fromCharCode(65 + group)}`;

/**
 * `count` instances in cluster mode on an Azurite and a redis-server of their own, with CHANNELS
 * channels (ids prefixed `name`) installed and subscribed to status changes, written to the
 * store as the install and subscribe features write them, before the instances start; `env` adds
 * settings (the tab API's, for the live-update measure on the same instances).
 */
async function startCluster(name: string, count: number, site: string, connectorUrl: string, env: Env): Promise<Cluster> {
  const [azurite, redis] = await Promise.all([startAzurite(), startRedisServer()]);
  const channels = Array.from({ length: CHANNELS }, (_, i) => ({ tenantId: `bench-${name}-tenant-${i}`, conversationId: `19:bench-${name}-channel-${i}@thread.tacv2` }));
  const store = await openAzureTableStore({ connectionString: azurite.connectionString });
  const references = conversationReferences(store);
  const subscriptions = subscriptionRepository(store);
  const now = new Date().toISOString();
  for (let from = 0; from < channels.length; from += 50) {
    await Promise.all(
      channels.slice(from, from + 50).map(async (target, i) => {
        const activity = installationUpdateAdd({ serviceUrl: connectorUrl, conversationType: 'channel', teamId: `19:team-${target.tenantId}@thread.tacv2`, ...target });
        await references.save({
          ...target,
          conversationType: 'channel',
          serviceUrl: connectorUrl,
          reference: TurnContext.getConversationReference(activity as unknown as Activity),
          updatedAt: now,
        });
        await subscriptions.save({
          id: `bench-${i + from}`,
          target,
          site,
          projects: [projectOf((i + from) % GROUPS)],
          eventKinds: ['transitioned'],
          statuses: [],
          fields: [],
          muted: false,
          twoWayThreads: false,
          changedBy: 'bench',
          createdAt: now,
          updatedAt: now,
        });
      }),
    );
  }
  await store.close();
  const bots = await startBotCluster({
    instances: count,
    env: {
      STORE: 'azure',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      REDIS_URL: redis.url,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      JIRA_BASE_URL: site,
      JIRA_ALLOWED_SITES: site,
      JIRA_WEBHOOK_SECRET: SECRET,
      ALERT_POLL_INTERVAL_SECONDS: '0',
      ...env,
    },
  }).catch(async (error: unknown) => {
    await Promise.all([redis.stop(), azurite.stop()]);
    throw error;
  });
  return {
    name,
    bots,
    channels: channels.map((c) => c.conversationId),
    async stop() {
      // Nothing of their shutdown is measured: the instances are killed rather than stopped
      // gracefully (which gives up every lease and drains first, through Azurite).
      await Promise.all(bots.instances.map((instance) => instance.kill()));
      await bots.close();
      await Promise.all([redis.stop(), azurite.stop()]);
    },
  };
}

/** Signed webhooks for a project no channel subscribes to, spread over the instances for `seconds`: accepted per second. */
async function intake(cluster: Cluster, site: string, seconds: number, next: () => number): Promise<{ rps: number; failed: number }> {
  const urls = cluster.bots.instances.map((i) => i.url);
  const webhookPath = ADMIN_WEBHOOK_PATH.replace(':siteId', encodeURIComponent(siteIdOf(site)));
  const results = await Promise.all(
    urls.map((url) =>
      autocannon({
        url: url + webhookPath,
        method: 'POST',
        connections: Math.max(1, Math.round(INTAKE_CONNECTIONS / urls.length)),
        duration: seconds,
        requests: [{ method: 'POST', path: webhookPath, setupRequest: (request: autocannon.Request) => ({ ...request, ...webhook(site, 'IDLE', 1, next()) }) }],
      }),
    ),
  );
  const total = results.reduce((sum, r) => sum + r.requests.total, 0);
  const duration = Math.max(...results.map((r) => r.duration));
  return { rps: total / Math.max(duration, 0.001), failed: results.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0) };
}

/**
 * `start` for each, all at once; resolves with all of them, or, once all have settled, stops those that
 * started (`stop`) and throws the first failure, so a failed start leaves nothing running.
 */
async function allStarted<T>(starts: ReadonlyArray<Promise<T>>, stop: (started: T) => Promise<void>): Promise<T[]> {
  const settled = await Promise.allSettled(starts);
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(started.map(stop));
    throw failed.reason;
  }
  return started;
}

/** The untimed setup: both clusters up, both clusters' panels open; resolves with the timed rest. */
async function prepareScaleOut(): Promise<() => Promise<MeasureRow[]>> {
  const began = Date.now();
  // Where the time goes, for shortening the bench further: on stderr, beside run-bench's own progress.
  const phase = (what: string) => process.stderr.write(`bench: scale out and live updates: ${what} after ${((Date.now() - began) / 1000).toFixed(0)} s\n`);
  const [sim, emu, seating, connector] = await Promise.all([startJiraSim({ port: 0, rateLimit: { mode: 'off' } }), startEntraEmu(), startBotConnector(), startConnectorProcess()]);
  let clusters: Cluster[] = [];
  let panels: OpenPanels[] = [];
  const stopAll = async () => {
    await Promise.all(panels.map((p) => p.close()));
    await Promise.all(clusters.map((c) => c.stop()));
    phase('clusters stopped');
    connector.close();
    await Promise.all([seating.close(), emu.close(), sim.close()]);
  };
  try {
    const env = liveUpdatesEnv(emu);
    clusters = await allStarted([startCluster('one', 1, sim.url, connector.url, env), startCluster('three', 3, sim.url, connector.url, env)], (c) => c.stop());
    phase('clusters up');
    // Their meeting is seated through an emulation of its own in this process (the roster), apart
    // from the one that records the alert sends.
    panels = await allStarted(
      clusters.map((c) =>
        openLiveUpdatePanels(
          c.bots.instances.map((i) => i.url),
          { sim, emu, connector: seating },
        ),
      ),
      (p) => p.close(),
    );
    phase('panels open');
  } catch (error) {
    await stopAll();
    throw error;
  }
  return async () => {
    try {
      return await measureScaleOut(clusters, panels, sim.url, connector, phase);
    } finally {
      await stopAll();
    }
  };
}

/** The timed part: live updates on each cluster in turn, then the scale-out turns, alternating between the clusters. */
async function measureScaleOut(
  clusters: readonly Cluster[],
  panels: readonly OpenPanels[],
  site: string,
  connector: Awaited<ReturnType<typeof startConnectorProcess>>,
  phase: (what: string) => void,
): Promise<MeasureRow[]> {
  const [one, three] = clusters;
  // Live updates first, on the same instances (one start of the clusters serves both measures),
  // one cluster at a time while the other idles; then their panels close, before the turns.
  const live = [...(await panels[0].measure()), ...(await panels[1].measure())];
  await Promise.all(panels.map((p) => p.close()));
  phase('live updates measured');
  let changelogId = 3_000_000;
  const next = () => (changelogId += 1);
  const webhookPath = ADMIN_WEBHOOK_PATH.replace(':siteId', encodeURIComponent(siteIdOf(site)));

  const turns: Array<{ cluster: Cluster; turn: number; start: number; end: number }> = [];
  let expected = 0;
  const intakes = new Map<Cluster, Array<{ rps: number; failed: number }>>([
    [one, []],
    [three, []],
  ]);
  let cutOff: string | undefined;
  for (let t = 0; t < TURNS && !cutOff; t++) {
    for (const cluster of t % 2 === 0 ? [one, three] : [three, one]) {
      if (cutOff) break;
      const start = Date.now();
      const urls = cluster.bots.instances.map((i) => i.url);
      const posted = await Promise.all(
        Array.from({ length: GROUPS }, (_, g) => {
          const { body, headers } = webhook(site, projectOf(g), t + 1, next());
          return fetch(urls[g % urls.length] + webhookPath, { method: 'POST', headers, body }).then((r) => r.status);
        }),
      );
      if (posted.some((status) => status >= 300)) throw new Error(`a delivery webhook answered ${posted.join(', ')}`);
      expected += CHANNELS;
      const waited = await connector.ask({ type: 'wait', count: expected, timeoutMs: TURN_LIMIT_MS });
      turns.push({ cluster, turn: t + 1, start, end: Date.now() });
      if (waited.type !== 'waited' || waited.accepted < expected) {
        // Rated on what arrived; the rest would spill into the next turns, so the turns end here.
        cutOff = `${cluster.name}: ${expected - (waited.type === 'waited' ? waited.accepted : 0)} alerts not delivered within ${TURN_LIMIT_MS / 1000} s in turn ${t + 1}`;
        break;
      }
      intakes.get(cluster)!.push(await intake(cluster, site, 1, next));
    }
  }

  phase('scale-out turns done');
  const report = await connector.ask({ type: 'report', conversationIds: [...one.channels, ...three.channels], tokenPattern: 'B[A-Z]-(\\d+)' });
  if (report.type !== 'report') throw new Error('Unexpected answer from the Bot Connector emulation');
  const sendsOf = new Map(report.conversations.map((c) => [c.conversationId, c.sends]));
  // A turn's sends, told apart by the issue key of that turn in the card, until the turn ended.
  const sendTimes = (turn: { cluster: Cluster; turn: number; end: number }) =>
    turn.cluster.channels
      .flatMap((id) => sendsOf.get(id) ?? [])
      .filter((send) => send.token === String(turn.turn) && send.time <= turn.end)
      .map((send) => send.time);
  const rateOf = (turn: { cluster: Cluster; turn: number; end: number }) => {
    const times = sendTimes(turn);
    if (times.length < 2) return 0;
    return (times.length - 1) / Math.max((Math.max(...times) - Math.min(...times)) / 1000, 0.001);
  };
  // Where a turn's time goes: its webhooks' routing and the service's gather delay (2 s) before the first send, then the sends.
  const spans = turns.map((turn) => {
    const times = sendTimes(turn);
    return times.length === 0 ? '-' : `${Math.min(...times) - turn.start}+${Math.max(...times) - Math.min(...times)}`;
  });
  phase(`turns' webhooks to first send + first to last send, ms: ${spans.join(', ')}`);
  const complete = (cluster: Cluster) =>
    turns.filter((turn) => turn.cluster === cluster).slice(0, Math.min(...[one, three].map((c) => turns.filter((turn) => turn.cluster === c).length)));
  const deliveryOf = (cluster: Cluster) => complete(cluster).map(rateOf);
  const [deliveryOne, deliveryThree] = [deliveryOf(one), deliveryOf(three)];
  const [intakeOne, intakeThree] = [intakes.get(one)!, intakes.get(three)!].map((list) => list.slice(0, Math.min(intakes.get(one)!.length, intakes.get(three)!.length)));
  const deliveredInTime = {
    name: `alerts delivered within ${TURN_LIMIT_MS / 1000} s of their turn`,
    value: turns.length - (cutOff ? 1 : 0),
    unit: `turns finished of ${TURNS * 2}${cutOff ? ` (${cutOff})` : ''}`,
    target: 'every turn',
    pass: !cutOff,
  };
  if (deliveryOne.length === 0 || intakeOne.length === 0) return [...live, deliveredInTime];
  const deliveryRatio = summarizeRuns(deliveryThree.map((rate, i) => rate / deliveryOne[i]));
  const intakeRatio = summarizeRuns(intakeThree.map((r, i) => r.rps / Math.max(intakeOne[i].rps, 0.001)));
  const failed = [...intakeOne, ...intakeThree].reduce((sum, r) => sum + r.failed, 0);
  const peaks = report.conversations.map((c) => Math.max(...c.peaks.map((w) => w.peak / w.max)));
  const uncapped = `${CHANNELS} channels in ${CHANNELS} tenants, 1 alert per channel per turn: Teams' per-conversation and per-tenant limits do not bind`;
  return [
    ...live,
    {
      name: `alert delivery, one instance (cluster mode), ${uncapped}`,
      value: summarizeRuns(deliveryOne).median,
      unit: `msg/s (median of ${deliveryOne.length} turns)`,
      target: 'context',
    },
    {
      name: 'alert delivery, three instances',
      value: summarizeRuns(deliveryThree).median,
      unit: `msg/s (median of ${deliveryThree.length} turns)`,
      target: `>= ${SCALE_TARGET}x one instance`,
      ratio: { value: deliveryRatio.median, of: 'one instance', spread: { min: deliveryRatio.min, max: deliveryRatio.max } },
      decide: { atLeast: SCALE_TARGET },
      pass: deliveryRatio.median >= SCALE_TARGET,
    },
    deliveredInTime,
    {
      name: 'most sends in one channel within a Teams window, as a share of its cap',
      value: Math.max(...peaks),
      unit: 'of the cap',
      target: '<= 1',
      pass: peaks.every((p) => p <= 1),
    },
    {
      name: `webhook intake (signed, Azure Tables), one instance, ${INTAKE_CONNECTIONS} connections`,
      value: summarizeRuns(intakeOne.map((r) => r.rps)).median,
      unit: `req/s (median of ${intakeOne.length} one-second turns)`,
      target: 'context',
    },
    {
      name: 'webhook intake, three instances, connections split over them',
      value: summarizeRuns(intakeThree.map((r) => r.rps)).median,
      unit: `req/s (${failed} failed)`,
      target: 'context (DESIGN sets no scale target for intake)',
      ratio: { value: intakeRatio.median, of: 'one instance', spread: { min: intakeRatio.min, max: intakeRatio.max } },
      pass: failed === 0,
    },
  ];
}

/**
 * Alert delivery and webhook intake at one and at three instances, each in cluster mode (Azure
 * Tables on Azurite, Redis on redis-server, one of each per cluster), both clusters up at once and
 * measured in alternating turns (the order swapped each turn), each three-instance figure as a
 * ratio to the one-instance figure of the same turn; targets are decided on the median ratio.
 *
 * Delivery: one webhook per project (GROUPS, spread over the cluster's instances) routes one alert
 * to every one of CHANNELS channels; the rate is the messages Teams accepted over the time from the
 * turn's first to its last accepted send (the emulation's own record), so the service's gather
 * delay before a conversation's first alert, the same at any scale, is not counted. Intake: signed
 * webhooks of a project no one subscribes to, accepted (stored) per second, for one second a turn.
 * Before the turns, the live-update measure (live-updates.ts) runs on each cluster in turn: the
 * clusters take seconds each to start, and sharing one start keeps the bench short. The clusters'
 * start and the live updates' panels (both clusters' at once) are the untimed setup (`prepare`):
 * run-bench makes it before the bench times anything, and the clusters wait idle until their turn.
 */
export const scaleOut: MeasureScenario = {
  name: 'scale out and live updates: one vs three instances',
  // Four service processes, two Azurites and two redis-servers start before the first turn.
  limitMs: 180_000,
  async run() {
    return (await prepareScaleOut())();
  },
  prepare: prepareScaleOut,
};
