import type { AlertOutbox, OutboxRow } from './alert-outbox';

/**
 * Leases each row to this worker (ETag-checked), in order. Rows another worker changed first
 * are left out: they are that worker's now, or changed and read again on the next look.
 */
export async function claimRows(outbox: Pick<AlertOutbox, 'claim'>, rows: readonly OutboxRow[], workerId: string, until: number): Promise<OutboxRow[]> {
  const claimed: OutboxRow[] = [];
  for (const row of rows) {
    const mine = await outbox.claim(row, workerId, until);
    if (mine) claimed.push(mine);
  }
  return claimed;
}
