import type { TableClient } from '@azure/data-tables';
import { splitPartitionKey } from './azure-key-codec';
import { statusOf } from './azure-status';

/** Entities moved at a time: one page of the old table, each entity's copy and delete in parallel. */
const PAGE = 100;

/**
 * Moves what earlier versions stored in their one table (every logical table in it, the logical
 * table leading each PartitionKey, as now) into the table of each entity's logical table, so an
 * upgraded service finds its connections, subscriptions and outbox where it now reads them.
 * Each entity is copied insert-only, then removed from the old table if unchanged since read: a
 * copy that is already there (another instance moving the same entities as it starts, or a newer
 * write) is kept, and the old entity goes either way. Resolves with the number of entities moved;
 * 0, after one answered query, when there is no old table.
 */
export async function moveLegacyEntities(legacy: TableClient, tableFor: (table: string) => Promise<TableClient>, requestOptions: { timeout: number }): Promise<number> {
  let moved = 0;
  try {
    for await (const page of legacy.listEntities<Record<string, unknown>>({ requestOptions }).byPage({ maxPageSize: PAGE })) {
      await Promise.all(
        page.map(async (entity) => {
          const { etag, timestamp: _timestamp, partitionKey, rowKey, ...properties } = entity;
          if (partitionKey === undefined || rowKey === undefined) throw new Error('Azure Tables answered an entity without its keys');
          const target = await tableFor(splitPartitionKey(partitionKey).table);
          await ignoring(409, target.createEntity({ partitionKey, rowKey, ...properties }, { requestOptions }));
          await ignoring(404, ignoring(412, legacy.deleteEntity(partitionKey, rowKey, { etag, requestOptions })));
          moved++;
        }),
      );
    }
  } catch (error) {
    // No old table (a deployment that started on this version): the only request here whose 404 is not ignored is the listing.
    if (statusOf(error) === 404) return moved;
    throw error;
  }
  return moved;
}

async function ignoring(status: number, request: Promise<unknown>): Promise<void> {
  try {
    await request;
  } catch (error) {
    if (statusOf(error) !== status) throw error;
  }
}
