import { SENT_TABLE, type OutboxEntry } from '../../src/alerts/alert-outbox';
import type { Store } from '../../src/store/store';

/**
 * Waits until the bot has recorded the card Teams answered with `activityId` (its sent record, in
 * the same turn as its thread). A person replies in a card's thread long after that; a test sees the
 * card at the Bot Connector emulation the moment Teams takes it, so it waits for the record first.
 */
export async function waitForRecordedCard(store: Store, activityId: string): Promise<void> {
  const recorded = async () => (await store.list<OutboxEntry>(SENT_TABLE)).some((item) => item.value.sent?.activityId === activityId);
  while (!(await recorded())) await new Promise((resolve) => setTimeout(resolve, 10));
}
