import { TableClient, odata, type TableEntityResult, type TableServiceClientOptions } from '@azure/data-tables';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { StoreConflictError, type ItemKey, type NewItem, type PutItem, type PutOptions, type Store, type StoredItem } from './store';
import { composePartitionKey, encodeAzureKey, decodeAzureKey, splitPartitionKey, tablePartitionRange } from './azure-key-codec';
import { fromValueProperties, toValueProperties } from './azure-value-properties';

export interface AzureTableStoreOptions {
  /** Azurite or an account key, for development. Wins over accountUrl. */
  connectionString?: string;
  /** The account's Table endpoint, reached with an Entra credential (managed identity in Azure). */
  accountUrl?: string;
  /** Defaults to DefaultAzureCredential, which picks the user-assigned identity named by AZURE_CLIENT_ID. */
  credential?: TokenCredential;
  /** The one physical table; created on open if missing. */
  tableName?: string;
  /** Per attempt. A request that hangs this long is abandoned, not retried, so a caller never waits unbounded. */
  requestTimeoutMs?: number;
  /**
   * The SDK's retry policy: 408 and 5xx with exponential backoff, 429 and 503 after Retry-After,
   * and dropped connections. The defaults wait at most about 15 s in all between four retries.
   */
  retry?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
}

export const DEFAULT_AZURE_TABLE_NAME = 'jirateams';

/** Azure Tables: 1 KiB per key, UTF-16. */
const MAX_KEY_CHARS = 512;

type Entity = TableEntityResult<Record<string, unknown>>;

/**
 * The Store on Azure Storage Tables, for several service instances sharing one account.
 *
 * Every logical table lives in one physical table, with the logical table leading the
 * PartitionKey (see azure-key-codec). Azure returns entities ordered by PartitionKey then
 * RowKey, so list(table) is one range query on PartitionKey that comes back already ordered by
 * partition then row, and list(table, partition) is one partition query; there are no tables to
 * create on first use, no table-name sanitising that could collide, and no per-table 404s.
 * Azure's ETags are the store's ETags: conditional writes are the service's own If-Match and
 * insert-only operations, so concurrency holds across processes without any locking here.
 * One caveat of any retrying client: when a conditional write succeeds but its answer is lost,
 * the retry reports a conflict, so callers treat a conflict as "re-read and decide", never as
 * "nothing was written".
 */
export async function openAzureTableStore(options: AzureTableStoreOptions): Promise<Store> {
  const client = createTableClient(options);
  const requestOptions = { timeout: options.requestTimeoutMs ?? 10_000 };
  await client.createTable({ requestOptions });

  const entityKeys = (key: ItemKey) => {
    const partitionKey = checkKeyLength(composePartitionKey(key.table, key.partition), key);
    const rowKey = checkKeyLength(encodeAzureKey(key.row), key);
    return { partitionKey, rowKey };
  };
  const toItem = <T>(entity: Entity): StoredItem<T> => {
    if (entity.partitionKey === undefined || entity.rowKey === undefined) throw new Error('Azure Tables answered an entity without its keys');
    return {
      key: { ...splitPartitionKey(entity.partitionKey), row: decodeAzureKey(entity.rowKey) },
      value: JSON.parse(fromValueProperties(entity)) as T,
      etag: requireEtag(entity.etag),
    };
  };

  let open = true;
  const whileOpen = () => {
    if (!open) throw new Error('The Azure Table store is closed');
  };

  const store: Store = {
    async get<T>(key: ItemKey) {
      whileOpen();
      const { partitionKey, rowKey } = entityKeys(key);
      try {
        return toItem<T>(await client.getEntity<Record<string, unknown>>(partitionKey, rowKey, { requestOptions }));
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },

    async put<T>(key: ItemKey, value: T, putOptions: PutOptions = {}) {
      whileOpen();
      const where = `${key.table}/${key.partition}/${key.row}`;
      const entity = { ...entityKeys(key), ...toValueProperties(JSON.stringify(value), where) };
      if (putOptions.ifMatch !== undefined && !isAzureEtag(putOptions.ifMatch)) throw new StoreConflictError(key, 'etag-mismatch');
      try {
        let response: { etag?: string };
        if (putOptions.ifNoneMatch === '*') response = await client.createEntity(entity, { requestOptions });
        // An If-Match update of a missing entity is a 404, which the contract treats as a conflict.
        else if (putOptions.ifMatch !== undefined) response = await client.updateEntity(entity, 'Replace', { etag: putOptions.ifMatch, requestOptions });
        else response = await client.upsertEntity(entity, 'Replace', { requestOptions });
        return { key: { ...key }, value, etag: requireEtag(response.etag) };
      } catch (error) {
        const status = statusOf(error);
        if (status === 409 && putOptions.ifNoneMatch === '*') throw new StoreConflictError(key, 'exists');
        if ((status === 412 || status === 404) && putOptions.ifMatch !== undefined) throw new StoreConflictError(key, 'etag-mismatch');
        throw error;
      }
    },

    async putAll<T>(items: ReadonlyArray<PutItem<T>>, deletes: readonly ItemKey[] = []) {
      // One after another, in order, stopping at the first conflict. An entity group transaction
      // would be atomic only within one partition of at most 100 entities; callers get the same
      // contract either way (a conflict means "re-read and decide").
      const stored: Array<StoredItem<T>> = [];
      for (const item of items) stored.push(await store.put(item.key, item.value, item.options));
      for (const key of deletes) await store.delete(key);
      return stored;
    },

    async insertNew<T>(items: ReadonlyArray<NewItem<T>>) {
      const results: Array<StoredItem<T> | undefined> = items.map(() => undefined);
      // Items of one key one after another, so the first wins as on SQLite; other keys in parallel.
      const byKey = new Map<string, number[]>();
      items.forEach((item, i) => {
        const id = JSON.stringify([item.key.table, item.key.partition, item.key.row]);
        byKey.set(id, [...(byKey.get(id) ?? []), i]);
      });
      const insertOne = async (item: NewItem<T>): Promise<StoredItem<T> | undefined> => {
        let stored: StoredItem<T>;
        try {
          stored = await store.put(item.key, item.value, { ifNoneMatch: '*' });
        } catch (error) {
          if (error instanceof StoreConflictError) return undefined;
          throw error;
        }
        // Checked after the insert, not before: a writer that puts the marker before deleting the
        // item at `key` cannot slip between the check and the insert.
        if (item.unlessExists && (await store.get(item.unlessExists))) {
          await store.delete(item.key, { ifMatch: stored.etag }).catch((error: unknown) => {
            if (!(error instanceof StoreConflictError)) throw error;
          });
          return undefined;
        }
        return stored;
      };
      await Promise.all(
        [...byKey.values()].map(async (indexes) => {
          for (const i of indexes) {
            results[i] = await insertOne(items[i]);
            if (results[i]) return;
          }
        }),
      );
      return results;
    },

    async delete(key: ItemKey, deleteOptions: { ifMatch?: string } = {}) {
      whileOpen();
      const { partitionKey, rowKey } = entityKeys(key);
      if (deleteOptions.ifMatch !== undefined && !isAzureEtag(deleteOptions.ifMatch)) throw new StoreConflictError(key, 'etag-mismatch');
      try {
        await client.deleteEntity(partitionKey, rowKey, { etag: deleteOptions.ifMatch ?? '*', requestOptions });
        return true;
      } catch (error) {
        const status = statusOf(error);
        // As SQLite does: a precondition on a missing item fails rather than reporting nothing deleted.
        if (status === 404) {
          if (deleteOptions.ifMatch !== undefined) throw new StoreConflictError(key, 'etag-mismatch');
          return false;
        }
        if (status === 412) throw new StoreConflictError(key, 'etag-mismatch');
        throw error;
      }
    },

    async list<T>(table: string, partition?: string) {
      whileOpen();
      let filter: string;
      if (partition === undefined) {
        const { from, to } = tablePartitionRange(table);
        filter = odata`PartitionKey ge ${from} and PartitionKey lt ${to}`;
      } else {
        filter = odata`PartitionKey eq ${composePartitionKey(table, partition)}`;
      }
      const items: Array<StoredItem<T>> = [];
      // The SDK follows continuation tokens; the service returns each page in key order.
      for await (const entity of client.listEntities<Record<string, unknown>>({ queryOptions: { filter }, requestOptions })) {
        items.push(toItem<T>(entity));
      }
      return items;
    },

    async ping() {
      whileOpen();
      // Reading one entity needs only the data-plane role the service already holds, and proves
      // the account answers, the credential works and the table exists.
      const pages = client.listEntities({ queryOptions: { select: ['PartitionKey'] }, requestOptions }).byPage({ maxPageSize: 1 });
      await pages.next();
    },

    async close() {
      // The SDK keeps no connections of its own to release; refuse further use, as SQLite does.
      open = false;
    },
  };
  return store;
}

function createTableClient(options: AzureTableStoreOptions): TableClient {
  const tableName = options.tableName ?? DEFAULT_AZURE_TABLE_NAME;
  const clientOptions: TableServiceClientOptions = {
    retryOptions: { maxRetries: 4, retryDelayInMs: 500, maxRetryDelayInMs: 8_000, ...options.retry },
  };
  if (options.connectionString) {
    return TableClient.fromConnectionString(options.connectionString, tableName, {
      ...clientOptions,
      // Azurite speaks plain HTTP; the SDK refuses to sign such requests unless told they are local.
      allowInsecureConnection: isLoopbackHttp(options.connectionString),
    });
  }
  if (options.accountUrl) {
    return new TableClient(options.accountUrl, tableName, options.credential ?? new DefaultAzureCredential(), clientOptions);
  }
  throw new Error('STORE=azure needs AZURE_STORAGE_ACCOUNT_URL (managed identity) or AZURE_STORAGE_CONNECTION_STRING');
}

function isLoopbackHttp(connectionString: string): boolean {
  if (/(^|;)\s*UseDevelopmentStorage=true/i.test(connectionString)) return true;
  const endpoint = /(?:^|;)\s*TableEndpoint=([^;]+)/i.exec(connectionString)?.[1];
  if (!endpoint?.startsWith('http://')) return false;
  const host = new URL(endpoint).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

function checkKeyLength(encoded: string, key: ItemKey): string {
  if (encoded.length > MAX_KEY_CHARS) {
    throw new Error(`Store key ${key.table}/${key.partition}/${key.row} is too long for Azure Tables (${encoded.length} > ${MAX_KEY_CHARS} characters once encoded)`);
  }
  return encoded;
}

function requireEtag(etag: string | undefined): string {
  if (!etag) throw new Error('Azure Tables answered without an ETag');
  return etag;
}

/**
 * The service answers an If-Match it cannot parse with 400 rather than 412, yet such a tag
 * (one from another store, say) matches no entity: refuse it as the mismatch it is.
 */
function isAzureEtag(etag: string): boolean {
  return /^W\/"datetime'[^'"]+'"$/.test(etag);
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : undefined;
}
