import type { Subscription } from '../../src/alerts/subscription';
import { ALL_EVENT_KINDS } from '../../src/alerts/issue-event';

let sequence = 0;

/** A subscription with every event type on the ALERT project unless told otherwise. */
export function subscription(overrides: Partial<Subscription> = {}): Subscription {
  sequence += 1;
  return {
    id: `sub-${sequence}`,
    target: { tenantId: 'tenant-1', conversationId: '19:channel@thread.tacv2' },
    site: 'https://acme.atlassian.net',
    projects: ['ALERT'],
    eventKinds: [...ALL_EVENT_KINDS],
    statuses: [],
    fields: [],
    muted: false,
    twoWayThreads: false,
    changedBy: 'aad-owner',
    createdAt: '2026-11-28T10:00:00.000Z',
    updatedAt: '2026-11-28T10:00:00.000Z',
    ...overrides,
  };
}
