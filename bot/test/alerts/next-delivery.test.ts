import assert from 'node:assert/strict';
import type { OutboxRow } from '../../src/alerts/alert-outbox';
import { nextDelivery, type DeliveryPolicy } from '../../src/alerts/next-delivery';
import { issueEvent } from './issue-event-builder';

const T = 1_800_000_000_000;
const policy: DeliveryPolicy = { gatherMs: 1_000, digestThreshold: 5, digestMax: 50, burstWindowMs: 60_000, burstQuietMs: 1_200, burstMaxHoldMs: 60_000 };

let rowId = 0;
function row(enqueuedAt: number, extra: Partial<OutboxRow['entry']> = {}): OutboxRow {
  rowId += 1;
  const event = issueEvent();
  return {
    key: { table: 'alert-outbox', partition: 'c', row: String(rowId).padStart(6, '0') },
    etag: `e${rowId}`,
    entry: {
      eventId: event.id,
      target: { tenantId: 't', conversationId: 'c' },
      event,
      subscriptionIds: ['s1'],
      state: 'pending',
      attempts: 0,
      notBefore: 0,
      enqueuedAt,
      ...extra,
    },
  };
}

const sentKeys = (step: ReturnType<typeof nextDelivery>) => (step.kind === 'send' ? step.rows.map((r) => r.entry.event.issue.key) : step.kind);

describe('nextDelivery (burst and digest decision)', () => {
  it('waits for the oldest row to gather company, then sends alerts one by one while the conversation is quiet', () => {
    const rows = [row(T), row(T + 5)];
    assert.deepEqual(nextDelivery(rows, T + 999, 0, policy), { kind: 'wait', until: T + 1_000 });
    assert.deepEqual(sentKeys(nextDelivery(rows, T + 1_000, 0, policy)), [rows[0].entry.event.issue.key]);
    assert.deepEqual(nextDelivery([], T, 0, policy), { kind: 'idle' });
  });

  it('holds a burst until it goes quiet, then sends everything as one digest', () => {
    // Three alerts went out this minute; two more arrive, then four.
    const rows = [row(T), row(T + 1), row(T + 400), row(T + 401), row(T + 402), row(T + 403)];
    assert.deepEqual(nextDelivery(rows, T + 1_001, 3, policy), { kind: 'wait', until: T + 403 + 1_200 });
    const digest = nextDelivery(rows, T + 403 + 1_200, 3, policy);
    assert.deepEqual(
      sentKeys(digest),
      rows.map((r) => r.entry.event.issue.key),
    );
  });

  it('puts rows still inside their gather delay into a digest that goes now, so a bulk change is one card', () => {
    // Five of six rows are past their gather delay when the drain looks (it woke a little late):
    // the sixth, enqueued 10 ms after them, must not follow as a card of its own.
    const rows = [...Array.from({ length: 5 }, (_, i) => row(T + i)), row(T + 10)];
    const step = nextDelivery(rows, T + 1_005, 3, policy);
    assert.deepEqual(
      sentKeys(step),
      rows.map((r) => r.entry.event.issue.key),
    );
  });

  it('keeps rows that back off out of a digest, but not a row a stopped worker was sending', () => {
    // Only the conversation's owner looks: a row marked sending by another worker is one that worker died sending.
    const rows = [row(T, { sending: { owner: 'dead', at: T + 1_000 } }), ...Array.from({ length: 4 }, (_, i) => row(T + 1 + i)), row(T + 6, { notBefore: T + 9_000 })];
    const step = nextDelivery(rows, T + 1_010, 0, policy);
    assert.deepEqual(
      sentKeys(step),
      rows.slice(0, 5).map((r) => r.entry.event.issue.key),
    );
  });

  it('lets a backing-off oldest row hold the whole conversation, in order, and looks again when it is ready', () => {
    // The row behind is ready already; waking for it would only find the head still waiting.
    const rows = [row(T, { notBefore: T + 5_000 }), row(T + 1)];
    assert.deepEqual(nextDelivery(rows, T + 2_000, 0, policy), { kind: 'wait', until: T + 5_000 });
  });
});
