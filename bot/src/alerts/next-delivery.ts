import type { OutboxRow } from './alert-outbox';

export interface DeliveryPolicy {
  /** A new row waits this long for others to join it, so a bulk change arrives as one digest. */
  gatherMs: number;
  /** This many due rows in one conversation go out as one digest card; Infinity turns digests off. */
  digestThreshold: number;
  digestMax: number;
  /**
   * Burst: once a conversation got `digestThreshold` alerts within this window (delivered plus
   * waiting), further ones are held until `burstQuietMs` pass without a new one (at most
   * `burstMaxHoldMs`) and go out as one digest, so 50 changes in a minute do not post 50 cards.
   */
  burstWindowMs: number;
  burstQuietMs: number;
  burstMaxHoldMs: number;
}

/** What a drain does next with a conversation's pending rows. */
export type DeliveryStep = { kind: 'idle' } | { kind: 'wait'; until: number } | { kind: 'send'; rows: OutboxRow[] };

/**
 * When a row may go: after its backoff, and after its gather delay. Only the conversation's owner
 * looks, so a row marked as sending is one its previous owner died sending: it goes again now.
 */
const blockedUntil = (row: OutboxRow) => row.entry.notBefore;
const readyAt = (row: OutboxRow, gatherMs: number) => Math.max(blockedUntil(row), row.entry.enqueuedAt + gatherMs);

/**
 * The burst and digest decision for one conversation, from its pending rows (oldest change
 * first), the time, and how many alerts it was sent within the burst window.
 */
export function nextDelivery(rows: readonly OutboxRow[], now: number, recentlyDelivered: number, policy: DeliveryPolicy): DeliveryStep {
  if (rows.length === 0) return { kind: 'idle' };
  const ready = (row: OutboxRow) => readyAt(row, policy.gatherMs);
  // Head of line: while the oldest row backs off (a 429 is about the whole conversation) or
  // gathers, later rows wait too, which also keeps them in order. So
  // the next look is when the head is ready: waking for a row behind it that is ready already
  // spun the drain on zero-length sleeps for the whole backoff.
  if (ready(rows[0]) > now) return { kind: 'wait', until: ready(rows[0]) };
  const due = rows.filter((row) => ready(row) <= now);
  const burst = recentlyDelivered + rows.length >= policy.digestThreshold;
  if (burst && due.length < policy.digestThreshold) {
    const newest = Math.max(...rows.map((r) => r.entry.enqueuedAt));
    const oldest = Math.min(...due.map((r) => r.entry.enqueuedAt));
    const release = Math.min(newest + policy.burstQuietMs, oldest + policy.burstMaxHoldMs);
    if (release > now) return { kind: 'wait', until: release };
  }
  if (!burst || due.length < 2) return { kind: 'send', rows: due.slice(0, 1) };
  // A digest goes now: rows still inside their gather delay were only waiting for others to
  // join them, so they join this one. Leaving them out posted a bulk change's last rows as a
  // card of their own whenever the drain looked between two of their gather deadlines (the
  // flaky "three alerts, then one digest" test). Rows backing off stay.
  return { kind: 'send', rows: rows.filter((row) => blockedUntil(row) <= now).slice(0, policy.digestMax) };
}
