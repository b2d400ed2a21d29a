import type { AlertOutbox, OutboxRow } from './alert-outbox';

/**
 * Marks rows as being sent by this worker (ETag-checked), in order, up to the first one changed
 * since it was read: sending the rows after it would overtake it. The rest is read again on the
 * next look.
 */
export async function claimRows(outbox: Pick<AlertOutbox, 'claimAll'>, rows: readonly OutboxRow[], workerId: string): Promise<OutboxRow[]> {
  return outbox.claimAll(rows, workerId);
}
