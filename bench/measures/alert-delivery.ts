import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TurnContext, type Activity } from 'botbuilder';
import { TEAMS_SEND_LIMITS, installationUpdateAdd, type SendLimit } from '@jira-teams/bot-connector-emu';
import { alertOutbox } from '../../bot/src/alerts/alert-outbox';
import { adapterAlertSender } from '../../bot/src/teams/alerts/adapter-alert-sender';
import { alertThreads } from '../../bot/src/alerts/alert-threads';
import { startDeliveryWorker } from '../../bot/src/alerts/delivery-worker';
import type { IssueEvent } from '../../bot/src/alerts/issue-event';
import { readConfig } from '../../bot/src/config';
import { conversationReferences } from '../../bot/src/conversations/conversation-references';
import { createLogger } from '../../bot/src/log/create-logger';
import { openSqliteStore } from '../../bot/src/store/sqlite-store';
import { createAdapter } from '../../bot/src/teams/create-teams-app';
import type { MeasureRow, MeasureScenario } from '../measure';
import { startConnectorProcess } from './start-connector-process';

const CHANNELS = Number(process.env.BENCH_DELIVERY_CHANNELS ?? 100);
/**
 * DESIGN's burst is 10,000 events over 100 channels, but Teams' own windows make 100 messages in
 * one channel take at least 39 s (60 per 30 s), more than the bench can spend, and the burst runs
 * three times for a median. 40 per channel fills the 1 s and 2 s windows and then runs at the
 * sustained 8 per 2 s for about 9 s; BENCH_DELIVERY_EVENTS=6000 also reaches the 60 per 30 s cap
 * (about 14 s a run), 10000 is the full burst (about a minute a run).
 */
const EVENTS = Number(process.env.BENCH_DELIVERY_EVENTS ?? 4_000);
/** Past this the run stops and counts what is missing as lost, so the bench stays bounded. */
const LIMIT_MS = Number(process.env.BENCH_DELIVERY_LIMIT_MS ?? (EVENTS > 6_000 ? 90_000 : 30_000));
const SITE = 'https://bench.atlassian.net';
/** DESIGN's delivery target: this share of the shortest schedule Teams' windows allow. */
const CEILING_SHARE = 0.97;

/**
 * The earliest times a sender that knew Teams' windows exactly, with zero latency, could make
 * `count` sends from t=0: send k waits until every window (w, max) holds fewer than max sends,
 * i.e. until send k-max has left it. The last time is the shortest possible burst.
 */
export function idealSchedule(count: number, limits: readonly SendLimit[]): number[] {
  const times: number[] = [];
  for (let k = 0; k < count; k += 1) {
    let t = k > 0 ? times[k - 1] : 0;
    for (const { windowMs, max } of limits) if (k >= max) t = Math.max(t, times[k - max] + windowMs);
    times.push(t);
  }
  return times;
}

function benchEvent(n: number): IssueEvent {
  const key = `BENCH-${n}`;
  return {
    id: `${100_000 + n}:changelog:${n}`,
    site: SITE,
    kinds: ['transitioned'],
    changes: [{ field: 'status', fieldId: 'status', from: 'To Do', to: 'In Progress' }],
    // A token without punctuation, so it survives the card's markdown escaping and can be counted.
    issue: { id: String(100_000 + n), key, summary: `Bench event e${n}z`, url: `${SITE}/browse/${key}`, projectKey: 'BENCH', labels: [] },
    actor: { accountId: 'bench-actor', displayName: 'Bench Actor' },
    occurredAt: new Date(Date.now() - 60_000 + n).toISOString(),
    source: 'webhook',
  };
}

/** The burst's untimed setup (the outbox filled, the emulation's process started, the channels' references stored); resolves with the timed burst. */
async function prepareBurst(): Promise<() => Promise<MeasureRow[]>> {
  const perChannel = Math.ceil(EVENTS / CHANNELS);
  // The emulation's process starts while the outbox fills (the enqueue figure, context only, shares the machine with that
  // start); the channels' references need its URL.
  const connecting = startConnectorProcess();
  connecting.catch(() => undefined);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-bench-'));
  const store = openSqliteStore(path.join(dataDir, 'store.db'));
  const logger = createLogger({ level: 'warn' });
  const adapter = createAdapter(readConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }).bot);
  const conversations = conversationReferences(store);

  const channels = Array.from({ length: CHANNELS }, (_, i) => ({
    tenantId: `bench-tenant-${i}`,
    conversationId: `19:bench-channel-${i}@thread.tacv2`,
  }));
  const outbox = alertOutbox(store);
  const channelOf = new Map<number, string>();
  const enqueueStart = Date.now();
  let n = 0;
  for (let round = 0; round < perChannel && n < EVENTS; round += 1) {
    // One event per channel at once, as the router enqueues a batch: one commit for the round
    // (the outbox's group commit) instead of one per event, the same rows in the store.
    const enqueued: Array<Promise<unknown>> = [];
    for (const target of channels) {
      if (n >= EVENTS) break;
      n += 1;
      channelOf.set(n, target.conversationId);
      enqueued.push(outbox.enqueue(benchEvent(n), [{ target, subscriptionIds: ['bench-subscription'] }]));
    }
    await Promise.all(enqueued);
  }
  const enqueueMs = Date.now() - enqueueStart;
  const connector = await connecting;
  for (const target of channels) {
    // The reference the install feature would store for this channel.
    const activity = installationUpdateAdd({ serviceUrl: connector.url, conversationType: 'channel', teamId: `19:team-${target.tenantId}@thread.tacv2`, ...target });
    await conversations.save({
      ...target,
      conversationType: 'channel',
      serviceUrl: connector.url,
      reference: TurnContext.getConversationReference(activity as unknown as Activity),
      updatedAt: new Date().toISOString(),
    });
  }

  return async () => {
    const t0 = Date.now();
    const cpu0 = process.cpuUsage();
    const worker = startDeliveryWorker({
      outbox,
      threads: alertThreads(store),
      sender: adapterAlertSender({ adapter, conversations }),
      logger,
      digestThreshold: Infinity,
      gatherMs: 0,
      ...(process.env.BENCH_DELIVERY_CONCURRENCY ? { concurrency: Number(process.env.BENCH_DELIVERY_CONCURRENCY) } : {}),
    });
    await connector.ask({ type: 'wait', count: EVENTS, timeoutMs: LIMIT_MS });
    const elapsedMs = Date.now() - t0;
    // This process's CPU while it delivered (the emulation runs in its own): what a send costs the
    // worker, a figure a busy machine inflates far less than it does the elapsed time.
    const cpu = process.cpuUsage(cpu0);
    await worker.stop();

    const report = await connector.ask({ type: 'report', conversationIds: channels.map((c) => c.conversationId), tokenPattern: 'Bench event e(\\d+)z' });
    if (report.type !== 'report') throw new Error('Unexpected answer from the Bot Connector emulation');

    // Every accepted message, found by its event token, must be the right channel's, once.
    const seen = new Map<number, number>();
    let misrouted = 0;
    const ratios: number[] = [];
    const peaks = TEAMS_SEND_LIMITS.map(() => 0);
    let firstSendMs = Infinity;
    const channelFirstMs: number[] = [];
    for (const { conversationId, sends, peaks: windows } of report.conversations) {
      for (const { token } of sends) {
        if (token === undefined) continue;
        const id = Number(token);
        seen.set(id, (seen.get(id) ?? 0) + 1);
        if (channelOf.get(id) !== conversationId) misrouted += 1;
      }
      windows.forEach((w, i) => (peaks[i] = Math.max(peaks[i], w.peak)));
      // Per channel: the shortest schedule Teams allows for its count over the time it took.
      if (sends.length === 0) {
        ratios.push(0);
        continue;
      }
      channelFirstMs.push(Math.min(...sends.map((s) => s.time - t0)));
      firstSendMs = Math.min(firstSendMs, channelFirstMs.at(-1)!);
      const ideal = idealSchedule(sends.length, TEAMS_SEND_LIMITS).at(-1)!;
      const actual = Math.max(...sends.map((s) => s.time)) - t0;
      ratios.push(Math.min(1, ideal / Math.max(actual, 1)));
    }
    const lost = [...channelOf.keys()].filter((id) => !seen.has(id)).length;
    const duplicates = [...seen.values()].reduce((sum, count) => sum + Math.max(0, count - 1), 0);
    const refused = report.refused;
    const meanRatio = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    const delivered = [...seen.keys()].length;
    const idealPerChannel = idealSchedule(perChannel, TEAMS_SEND_LIMITS).at(-1)!;

    connector.close();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });

    const ceilingPerSecond = perChannel / (idealPerChannel / 1000);
    const ceiling = `${ceilingPerSecond.toFixed(2)}/s per channel (${perChannel} sends in ${(idealPerChannel / 1000).toFixed(1)} s)`;
    return [
      { name: `enqueue ${EVENTS} events into the outbox, ${CHANNELS} at a time`, value: EVENTS / (enqueueMs / 1000), unit: 'events/s', target: 'context' },
      {
        name: `delivered per channel, ${EVENTS} events over ${CHANNELS} channels`,
        value: delivered / CHANNELS / (elapsedMs / 1000),
        unit: 'msg/s',
        target: `>= ${CEILING_SHARE * 100}% of Teams' ceiling in every run, ${ceiling}`,
        ratio: { value: meanRatio, of: 'ceiling (mean over channels)' },
        // DESIGN asks for it in every run, so a repeated measure passes only if each run did (no `decide`).
        pass: meanRatio >= CEILING_SHARE,
      },
      { name: 'delivered in total', value: delivered / (elapsedMs / 1000), unit: 'msg/s', target: 'context', ratio: { value: elapsedMs / 1000, of: 's elapsed' } },
      // Context for the ratio: the worker's start (its first scan of the outbox) counts in every channel's time.
      { name: "worker's CPU per message delivered", value: (cpu.user + cpu.system) / 1000 / Math.max(delivered, 1), unit: 'ms', target: 'context' },
      { name: 'first message after the worker started', value: firstSendMs, unit: 'ms', target: 'context' },
      // Every later send of a channel is chained to its first by Teams' windows, so this mean is most of what the ratio loses.
      {
        name: "a channel's first message after the worker started, mean over channels",
        value: channelFirstMs.reduce((a, b) => a + b, 0) / Math.max(channelFirstMs.length, 1),
        unit: 'ms',
        target: 'context',
      },
      { name: 'slowest channel', value: Math.min(...ratios), unit: 'of its ceiling', target: 'context' },
      { name: 'lost', value: lost, unit: 'events', target: '0', pass: lost === 0 },
      { name: 'duplicated', value: duplicates + misrouted, unit: 'messages', target: '0', pass: duplicates + misrouted === 0 },
      {
        name: 'most sends in one channel within 1 s',
        value: peaks[0],
        unit: `sends (2 s: ${peaks[1]}, 30 s: ${peaks[2]})`,
        target: `<= ${TEAMS_SEND_LIMITS.slice(0, 3)
          .map((l) => `${l.max}/${l.windowMs / 1000} s`)
          .join(', ')}`,
        pass: peaks.every((p, i) => p <= TEAMS_SEND_LIMITS[i].max),
      },
      { name: '429 answers from emulated Teams', value: refused, unit: 'answers', target: 'context' },
    ];
  };
}

/**
 * (b) Alert delivery in a burst: EVENTS alerts spread evenly over CHANNELS channels are in the
 * outbox (SQLite) when the real delivery worker starts; it sends them through the production
 * Bot Framework adapter (teams-ai's TeamsAdapter, proactive continueConversation) to the Bot
 * Connector emulation, which enforces Teams' per-conversation ceilings with 429s. Digests and
 * the gather delay are off so every event is one message. Each channel sits in its own tenant
 * so the per-tenant app limit (50/s) keeps its production value without binding; 100 channels
 * of one tenant would be held to 50/s in total by Teams itself.
 *
 * The ceiling is the shortest schedule Teams' windows (7/1 s, 8/2 s, 60/30 s) allow for a
 * channel's messages, not 7/s, which only holds for one second: past it 8 per 2 s caps a channel
 * at 4/s, and 60 per 30 s at 2/s. Latency is part of the measured time, as it is in production:
 * the worker counts a send against the window from its start until its answer.
 */
export const alertDelivery: MeasureScenario = {
  name: 'alert delivery burst',
  // One burst's ratio moves with what else the machine does; DESIGN's target holds only if it holds in each of the three.
  runs: 3,
  // Set up apart so that run-bench sets up the three runs at once and times them one after the other.
  prepare: prepareBurst,
  async run() {
    return (await prepareBurst())();
  },
};
