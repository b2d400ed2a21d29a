import { RestError, TableClient, TableServiceClient, odata, type TableEntityResult, type TableServiceClientOptions, type TransactionAction } from '@azure/data-tables';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { StoreConflictError, type ItemKey, type NewItem, type PutItem, type PutOptions, type Store, type StoredItem, type ListOptions } from './store';
import { composePartitionKey, encodeAzureKey, decodeAzureKey, splitPartitionKey, tablePartitionRange } from './azure-key-codec';
import { moveLegacyEntities } from './azure-legacy-table';
import { statusOf } from './azure-status';
import { azureTableNameOf, checkBaseTableName } from './azure-table-names';
import { fromValueProperties, toValueProperties } from './azure-value-properties';
import { groupCommit } from './group-commit';

export interface AzureTableStoreOptions {
  /** Azurite or an account key, for development. Wins over accountUrl. */
  connectionString?: string;
  /** The account's Table endpoint, reached with an Entra credential (managed identity in Azure). */
  accountUrl?: string;
  /** Defaults to DefaultAzureCredential, which picks the user-assigned identity named by AZURE_CLIENT_ID. */
  credential?: TokenCredential;
  /**
   * Base of the Azure tables' names: each logical table is the Azure table of this name followed by
   * the logical table's letters and digits (azure-table-names), created on first use. It is also the
   * whole name of the one table earlier versions kept everything in, whose entities are moved on open.
   */
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
 * An entity group transaction: at most 100 entities of one PartitionKey, each at most once, in
 * at most 4 MiB of request (Performing Entity Group Transactions, Azure Storage REST reference).
 */
const MAX_TRANSACTION_ENTITIES = 100;
/**
 * Bytes of request a transaction's values may take: a stored character costs at most 3 bytes of
 * UTF-8 on the wire once the SDK escapes it again, and 1 KiB per entity covers its MIME headers
 * and keys; well under 4 MiB, so one item of the largest size (MAX_JSON_CHARS) always fits.
 */
const TRANSACTION_BUDGET_BYTES = 3.5 * 1024 * 1024;
const entityBytes = (jsonChars: number) => 1024 + 3 * jsonChars;
/** Discrete comparisons one $filter may hold (Querying Tables and Entities): PartitionKey plus 14 RowKeys. */
const ROW_KEYS_PER_QUERY = 14;

/** One write or delete of a putAll or insertNew, with its entity keys worked out. */
interface PutStep {
  kind: 'put';
  key: ItemKey;
  partitionKey: string;
  rowKey: string;
  options: PutOptions;
  properties: Record<string, string>;
  bytes: number;
}
interface DeleteStep {
  kind: 'delete';
  key: ItemKey;
  partitionKey: string;
  rowKey: string;
  bytes: number;
}
type Step = PutStep | DeleteStep;

/**
 * The Store on Azure Storage Tables, for several service instances sharing one account.
 *
 * Each logical table lives in an Azure table of its own (azure-table-names), created the first
 * time this process uses it, and the logical table also leads the PartitionKey (see
 * azure-key-codec), so a name two logical tables might share costs no correctness. Azure returns
 * entities ordered by PartitionKey then RowKey, so list(table) is one range query on PartitionKey
 * that comes back already ordered by partition then row, and list(table, partition) is one
 * partition query; a transaction holds one partition, so always one table.
 * Azure's ETags are the store's ETags: conditional writes are the service's own If-Match and
 * insert-only operations, so concurrency holds across processes without any locking here.
 * One caveat of any retrying client: when a conditional write succeeds but its answer is lost,
 * the retry reports a conflict, so callers treat a conflict as "re-read and decide", never as
 * "nothing was written".
 */
export async function openAzureTableStore(options: AzureTableStoreOptions): Promise<Store> {
  const base = checkBaseTableName(options.tableName ?? DEFAULT_AZURE_TABLE_NAME);
  const connect = tableConnector(options);
  const requestOptions = { timeout: options.requestTimeoutMs ?? 10_000 };
  /** Each Azure table once created (409, created by another instance, is fine), by name; a failed creation is tried again next use. */
  const tables = new Map<string, Promise<TableClient>>();
  const tableFor = (table: string): Promise<TableClient> => {
    const name = azureTableNameOf(base, table);
    let ready = tables.get(name);
    if (!ready) {
      const client = connect.table(name);
      const creating = client.createTable({ requestOptions }).then(() => client);
      creating.catch(() => {
        if (tables.get(name) === creating) tables.delete(name);
      });
      tables.set(name, (ready = creating));
    }
    return ready;
  };
  await moveLegacyEntities(connect.table(base), tableFor, requestOptions);

  const entityKeys = (key: ItemKey) => {
    const partitionKey = checkKeyLength(composePartitionKey(key.table, key.partition), key);
    const rowKey = checkKeyLength(encodeAzureKey(key.row), key);
    return { partitionKey, rowKey };
  };
  const toKey = (entity: Entity): ItemKey => {
    if (entity.partitionKey === undefined || entity.rowKey === undefined) throw new Error('Azure Tables answered an entity without its keys');
    return { ...splitPartitionKey(entity.partitionKey), row: decodeAzureKey(entity.rowKey) };
  };
  const toItem = <T>(entity: Entity): StoredItem<T> => ({ key: toKey(entity), value: JSON.parse(fromValueProperties(entity)) as T, etag: requireEtag(entity.etag) });

  // submitTransaction takes a timeout only at the top level of its options (it spreads them into
  // the pipeline request), not in requestOptions as the single-entity calls do.
  const transactionOptions = { requestOptions, timeout: requestOptions.timeout } as Parameters<TableClient['submitTransaction']>[1];

  let open = true;
  const whileOpen = () => {
    if (!open) throw new Error('The Azure Table store is closed');
  };

  /** One write; resolves with the new ETag. `properties` is the value as toValueProperties spread it. */
  const putProperties = async (key: ItemKey, properties: Record<string, string>, putOptions: PutOptions): Promise<string> => {
    const entity = { ...entityKeys(key), ...properties };
    if (putOptions.ifMatch !== undefined && !isAzureEtag(putOptions.ifMatch)) throw new StoreConflictError(key, 'etag-mismatch');
    const client = await tableFor(key.table);
    try {
      let response: { etag?: string };
      if (putOptions.ifNoneMatch === '*') response = await client.createEntity(entity, { requestOptions });
      // An If-Match update of a missing entity is a 404, which the contract treats as a conflict.
      else if (putOptions.ifMatch !== undefined) response = await client.updateEntity(entity, 'Replace', { etag: putOptions.ifMatch, requestOptions });
      else response = await client.upsertEntity(entity, 'Replace', { requestOptions });
      return requireEtag(response.etag);
    } catch (error) {
      const status = statusOf(error);
      if (status === 409 && putOptions.ifNoneMatch === '*') throw new StoreConflictError(key, 'exists');
      if ((status === 412 || status === 404) && putOptions.ifMatch !== undefined) throw new StoreConflictError(key, 'etag-mismatch');
      throw error;
    }
  };

  const stepOf = <T>(item: PutItem<T>): PutStep => {
    const json = JSON.stringify(item.value);
    const options = item.options ?? {};
    return { kind: 'put', key: item.key, options, ...entityKeys(item.key), properties: toValueProperties(json, describe(item.key)), bytes: entityBytes(json.length) };
  };

  /**
   * Several steps of one partition as one entity group transaction: resolves with the ETags of its
   * writes by step, or, when the service refused it for a precondition or a missing entity (then
   * nothing of it was done), with the index of the refused step where the service names it.
   */
  const submit = async (run: readonly Step[]): Promise<{ etags: Map<Step, string> } | { refused?: number }> => {
    // A tag that is not Azure's matches nothing; the service would answer 400 rather than 412.
    const malformed = run.findIndex((step) => step.kind === 'put' && step.options.ifMatch !== undefined && !isAzureEtag(step.options.ifMatch));
    if (malformed >= 0) return { refused: malformed };
    const actions = run.map((step): TransactionAction => {
      const entity = { partitionKey: step.partitionKey, rowKey: step.rowKey };
      if (step.kind === 'delete') return ['delete', entity];
      const withValue = { ...entity, ...step.properties };
      if (step.options.ifNoneMatch === '*') return ['create', withValue];
      if (step.options.ifMatch !== undefined) return ['update', withValue, 'Replace', { etag: step.options.ifMatch }];
      return ['upsert', withValue, 'Replace'];
    });
    const client = await tableFor(run[0].key.table);
    try {
      const response = await client.submitTransaction(actions, transactionOptions);
      const etags = new Map<Step, string>();
      run.forEach((step, i) => {
        if (step.kind === 'put') etags.set(step, requireEtag(response.subResponses[i]?.etag?.trim()));
      });
      return { etags };
    } catch (error) {
      const status = statusOf(error);
      if (status !== 409 && status !== 412 && status !== 404) throw error;
      // The service starts its message with the index of the action it refused ("3:The specified entity already exists.").
      const index = error instanceof RestError ? Number(/^(\d+):/.exec(error.message)?.[1] ?? NaN) : NaN;
      return Number.isInteger(index) && index < run.length ? { refused: index } : {};
    }
  };

  /**
   * The entities stored under these keys, by idOf: a get for a lone key of a partition, else one
   * query per partition and 14 keys. `select` narrows what comes back (RowKey, for existence).
   */
  const fetchMany = async (keys: readonly ItemKey[], select?: string[]): Promise<Map<string, Entity>> => {
    const found = new Map<string, Entity>();
    const byPartition = new Map<string, Array<{ id: string; rowKey: string; key: ItemKey }>>();
    for (const key of keys) {
      const { partitionKey, rowKey } = entityKeys(key);
      byPartition.set(partitionKey, [...(byPartition.get(partitionKey) ?? []), { id: idOf(key), rowKey, key }]);
    }
    const queries = [...byPartition].flatMap(([partitionKey, wanted]) => chunks(wanted, ROW_KEYS_PER_QUERY).map((chunk) => ({ partitionKey, chunk })));
    await eachLimited(queries, async ({ partitionKey, chunk }) => {
      const client = await tableFor(chunk[0].key.table);
      if (chunk.length === 1) {
        try {
          found.set(
            chunk[0].id,
            await client.getEntity<Record<string, unknown>>(partitionKey, chunk[0].rowKey, { requestOptions, ...(select ? { queryOptions: { select } } : {}) }),
          );
        } catch (error) {
          if (statusOf(error) !== 404) throw error;
        }
        return;
      }
      const rows = chunk.map((w) => odata`RowKey eq ${w.rowKey}`).join(' or ');
      const filter = `${odata`PartitionKey eq ${partitionKey}`} and (${rows})`;
      const ids = new Map(chunk.map((w) => [w.rowKey, w.id]));
      for await (const entity of client.listEntities<Record<string, unknown>>({ queryOptions: { filter, ...(select ? { select } : {}) }, requestOptions })) {
        const id = entity.rowKey === undefined ? undefined : ids.get(entity.rowKey);
        if (id !== undefined) found.set(id, entity);
      }
    });
    return found;
  };
  const existing = async (keys: readonly ItemKey[]): Promise<Set<string>> => new Set((await fetchMany(keys, ['RowKey'])).keys());

  /**
   * The RowKeys of `steps` (one partition) that hold an entity now: one range query from the least
   * to the greatest, keys only (an index range on the service, where an `or` of RowKeys is a
   * partition scan). Asked once a transaction is refused for one of them, so the rest are dropped
   * together instead of one refused round trip each. Its first page only: a range may span many
   * other rows (ids claimed in a day's partition), and a key past that page that exists is still
   * refused on its own, as before.
   */
  const presentRows = async (steps: readonly Step[]): Promise<Set<string>> => {
    let [low, high] = [steps[0].rowKey, steps[0].rowKey];
    for (const { rowKey } of steps) {
      if (rowKey < low) low = rowKey;
      if (rowKey > high) high = rowKey;
    }
    const filter = odata`PartitionKey eq ${steps[0].partitionKey} and RowKey ge ${low} and RowKey le ${high}`;
    const wanted = new Set(steps.map((step) => step.rowKey));
    const present = new Set<string>();
    const first = await (
      await tableFor(steps[0].key.table)
    )
      .listEntities({ queryOptions: { filter, select: ['RowKey'] }, requestOptions })
      .byPage({ maxPageSize: 1000 })
      .next();
    for (const entity of first.done ? [] : first.value) {
      if (entity.rowKey !== undefined && wanted.has(entity.rowKey)) present.add(entity.rowKey);
    }
    return present;
  };

  /**
   * A run of one partition as entity group transactions until one goes through. When the service
   * refuses a step, `refused` either lets the run go on without it or stops (it may also throw, for
   * a conflict the caller reports); the first time, the rows of `looked(left)` are read in one range
   * query (presentRows) and every step `stale` picks from them goes too, instead of one refused round
   * trip each. Resolves with the ETags written, or, where the transactions stopped or the service named
   * no step, the steps still to do one by one (a single step, or what a refusal left).
   */
  const submitDroppingRefused = async <S extends Step>(
    run: readonly S[],
    rules: { refused(step: S): 'drop' | 'stop'; looked(left: readonly S[]): S[]; stale(step: S, present: ReadonlySet<string>): boolean },
  ): Promise<{ etags: Map<Step, string>; left: readonly S[] }> => {
    let left = run;
    let looked = false;
    while (left.length > 1) {
      const outcome = await submit(left);
      if ('etags' in outcome) return { etags: outcome.etags, left: [] };
      if (outcome.refused === undefined) break;
      const refused = left[outcome.refused];
      if (rules.refused(refused) === 'stop') break;
      const range = looked ? [] : rules.looked(left);
      const present = range.length === 0 ? undefined : await presentRows(range);
      looked = true;
      left = left.filter((step) => step !== refused && (present === undefined || !rules.stale(step, present)));
    }
    return { etags: new Map(), left };
  };

  /** One insertNew as the contract describes it; `groupFor` merges concurrent calls into one of these. */
  const insertNow = async <T>(items: ReadonlyArray<NewItem<T>>): Promise<Array<StoredItem<T> | undefined>> => {
    const results: Array<StoredItem<T> | undefined> = items.map(() => undefined);
    const byKey = new Map<string, number[]>();
    items.forEach((item, i) => byKey.set(idOf(item.key), [...(byKey.get(idOf(item.key)) ?? []), i]));
    const single = [...byKey.values()].filter((indexes) => indexes.length === 1).map(([i]) => i);
    const repeated = [...byKey.values()].filter((indexes) => indexes.length > 1);

    /**
     * Checked after the insert, not before: a writer that puts the marker before deleting the item
     * at `key` cannot slip between. Claims are inserted (a transaction per partition, no read): an
     * item whose claim was taken already goes again.
     */
    const withdrawIfDone = async (indexes: readonly number[]) => {
      const marked = indexes.filter((i) => results[i] && items[i].unlessExists);
      const claiming = indexes.filter((i) => results[i] && items[i].claim);
      if (marked.length === 0 && claiming.length === 0) return;
      const [done, claimed] = await Promise.all([
        marked.length === 0 ? new Set<string>() : existing(marked.map((i) => items[i].unlessExists as ItemKey)),
        claiming.length === 0 ? [] : insertNow(claiming.map((i) => items[i].claim as PutItem<unknown>)),
      ]);
      const taken = new Set(claiming.filter((_, n) => claimed[n] === undefined));
      await Promise.all(
        indexes
          .filter((i) => taken.has(i) || (results[i] && items[i].unlessExists && done.has(idOf(items[i].unlessExists))))
          .map(async (i) => {
            const stored = results[i] as StoredItem<T>;
            results[i] = undefined;
            await store.delete(stored.key, { ifMatch: stored.etag }).catch((error: unknown) => {
              if (!(error instanceof StoreConflictError)) throw error;
            });
          }),
      );
    };

    /** Keys given once: inserted together per partition, one transaction per run; a key that exists is skipped. */
    const insertBatch = async (indexes: number[]) => {
      const steps = indexes.map((i) => stepOf({ key: items[i].key, value: items[i].value, options: { ifNoneMatch: '*' } }));
      const position = new Map<Step, number>(steps.map((step, n) => [step, indexes[n]]));
      const keep = (i: number, etag: string | undefined) => {
        results[i] = etag === undefined ? undefined : { key: { ...items[i].key }, value: items[i].value, etag };
      };
      const one = async (step: PutStep) => {
        const i = position.get(step) as number;
        try {
          keep(i, await putProperties(step.key, step.properties, step.options));
        } catch (error) {
          if (!(error instanceof StoreConflictError)) throw error;
        }
      };
      await eachLimited(sortedRuns(steps), async (run) => {
        // A key that exists already fails the whole transaction; the service names it, so it is
        // dropped (a duplicate), and the first time with every other key of the run that exists
        // (a burst's retries and re-routed events bring many), and the rest tried again.
        const { etags, left } = await submitDroppingRefused(run, { refused: () => 'drop', looked: (rest) => [...rest], stale: (step, present) => present.has(step.rowKey) });
        for (const [step, etag] of etags) keep(position.get(step) as number, etag);
        await Promise.all(left.map(one));
      });
      await withdrawIfDone(indexes);
    };

    /** A key given several times: its items one after another until one is stored, so the first wins as on SQLite. */
    const insertInTurn = async (indexes: readonly number[]) => {
      for (const i of indexes) {
        try {
          const etag = await putProperties(items[i].key, toValueProperties(JSON.stringify(items[i].value), describe(items[i].key)), { ifNoneMatch: '*' });
          results[i] = { key: { ...items[i].key }, value: items[i].value, etag };
        } catch (error) {
          if (!(error instanceof StoreConflictError)) throw error;
          return;
        }
        await withdrawIfDone([i]);
        if (results[i]) return;
      }
    };

    await Promise.all([insertBatch(single), ...repeated.map(insertInTurn)]);
    return results;
  };
  /**
   * insertNew calls made together (in one turn of the event loop, or while INSERTS_IN_FLIGHT of its
   * table run) go as one (a group commit), each caller told its own items' outcome: under a webhook
   * burst each instance's intake and outbox flushed a row or two per call, a request and a dedupe read
   * each on the account, where one merged call sends a transaction and a query per partition and 14
   * rows. One group per logical table of a call's first item: a webhook's inbox row never waits behind
   * a routing batch's outbox rows for a hundred conversations, only behind other inbox rows.
   */
  const groups = new Map<string, (items: ReadonlyArray<NewItem<unknown>>) => Promise<Array<StoredItem<unknown> | undefined>>>();
  const groupFor = (items: ReadonlyArray<NewItem<unknown>>) => {
    const table = items[0]?.key.table ?? '';
    let found = groups.get(table);
    if (!found) {
      found = groupCommit<ReadonlyArray<NewItem<unknown>>, Array<StoredItem<unknown> | undefined>>(
        async (calls) => {
          const results = await insertNow(calls.flat());
          let at = 0;
          return calls.map((call) => results.slice(at, (at += call.length)));
        },
        { inFlight: INSERTS_IN_FLIGHT, maxSize: MAX_MERGED_ITEMS, size: (call) => call.length },
      );
      groups.set(table, found);
    }
    return found;
  };

  /** The entities of a table or partition in key order, a page of them per `options`; `select` narrows what comes back. */
  const listEntities = async (table: string, partition: string | undefined, options: ListOptions, select?: string[]): Promise<Entity[]> => {
    whileOpen();
    let filter: string;
    if (partition === undefined) {
      const { from, to } = tablePartitionRange(table);
      filter = odata`PartitionKey ge ${from} and PartitionKey lt ${to}`;
    } else {
      filter = odata`PartitionKey eq ${composePartitionKey(table, partition)}`;
    }
    if (options.after) {
      // A key range: the service's own index on PartitionKey and RowKey.
      const { partitionKey, rowKey } = entityKeys({ table, ...options.after });
      filter += odata` and (PartitionKey gt ${partitionKey} or (PartitionKey eq ${partitionKey} and RowKey gt ${rowKey}))`;
    }
    const limit = options.limit ?? Infinity;
    const items: Entity[] = [];
    if (limit <= 0) return items;
    // The SDK follows continuation tokens; the service returns each page in key order.
    const pages = (await tableFor(table))
      .listEntities<Record<string, unknown>>({ queryOptions: { filter, ...(select ? { select } : {}) }, requestOptions })
      .byPage({ maxPageSize: Math.min(limit, 1000) });
    for await (const page of pages) {
      for (const entity of page) {
        items.push(entity);
        if (items.length >= limit) return items;
      }
    }
    return items;
  };

  const store: Store = {
    async get<T>(key: ItemKey) {
      whileOpen();
      const { partitionKey, rowKey } = entityKeys(key);
      try {
        return toItem<T>(await (await tableFor(key.table)).getEntity<Record<string, unknown>>(partitionKey, rowKey, { requestOptions }));
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },

    async getMany<T>(keys: readonly ItemKey[]) {
      whileOpen();
      const found = await fetchMany(keys);
      return keys.map((key) => {
        const entity = found.get(idOf(key));
        return entity ? toItem<T>(entity) : undefined;
      });
    },

    async put<T>(key: ItemKey, value: T, putOptions: PutOptions = {}) {
      whileOpen();
      const etag = await putProperties(key, toValueProperties(JSON.stringify(value), describe(key)), putOptions);
      return { key: { ...key }, value, etag };
    },

    async putAll<T>(items: ReadonlyArray<PutItem<T>>, deletes: readonly ItemKey[] = []) {
      whileOpen();
      const steps: Step[] = [...items.map(stepOf), ...deletes.map((key): Step => ({ kind: 'delete', key, ...entityKeys(key), bytes: entityBytes(0) }))];
      const etags = new Map<Step, string>();
      // In order, one run of consecutive steps on one partition at a time, each run of several as
      // one entity group transaction (one round trip, all or nothing): whatever a conflict or a
      // crash leaves done is still a prefix of the steps, as the contract asks, and a conflict
      // within a partition leaves that partition's steps undone, as on SQLite.
      for (const run of transactionRuns(steps)) {
        const submitted = await submitDroppingRefused(run, {
          refused: (step) => {
            if (step.kind === 'put' && step.options.ifNoneMatch === '*') throw new StoreConflictError(step.key, 'exists');
            if (step.kind === 'put' && step.options.ifMatch !== undefined) throw new StoreConflictError(step.key, 'etag-mismatch');
            // A delete of a missing key, which the contract lets pass: the rest go without it, and the
            // first time without every other delete of the run whose key is missing (events routed twice make many).
            return step.kind === 'put' ? 'stop' : 'drop';
          },
          looked: (rest) => rest.filter((step) => step.kind === 'delete'),
          stale: (step, present) => step.kind === 'delete' && !present.has(step.rowKey),
        });
        for (const [step, etag] of submitted.etags) etags.set(step, etag);
        const { left } = submitted;
        // One step, or a refusal the service did not name: step by step, which names the conflicting key.
        for (const step of left) {
          if (step.kind === 'put') etags.set(step, await putProperties(step.key, step.properties, step.options));
          else await store.delete(step.key);
        }
      }
      return items.map((item, i) => ({ key: { ...item.key }, value: item.value, etag: etags.get(steps[i]) as string }));
    },

    insertNew<T>(items: ReadonlyArray<NewItem<T>>) {
      whileOpen();
      return groupFor(items)(items) as Promise<Array<StoredItem<T> | undefined>>;
    },

    async delete(key: ItemKey, deleteOptions: { ifMatch?: string } = {}) {
      whileOpen();
      const { partitionKey, rowKey } = entityKeys(key);
      if (deleteOptions.ifMatch !== undefined && !isAzureEtag(deleteOptions.ifMatch)) throw new StoreConflictError(key, 'etag-mismatch');
      const client = await tableFor(key.table);
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

    async list<T>(table: string, partition?: string, options: ListOptions = {}) {
      return (await listEntities(table, partition, options)).map((entity) => toItem<T>(entity));
    },

    async listKeys(table: string, partition?: string, options: ListOptions = {}) {
      return (await listEntities(table, partition, options, ['PartitionKey', 'RowKey'])).map((entity) => toKey(entity));
    },

    async ping() {
      whileOpen();
      // Listing one table needs only the role the service already holds (it creates its tables),
      // and proves the account answers and the credential works.
      await connect.service().listTables({ requestOptions }).byPage({ maxPageSize: 1 }).next();
    },

    async close() {
      // The SDK keeps no connections of its own to release; refuse further use, as SQLite does.
      open = false;
    },
  };
  return store;
}

/**
 * Splits steps, in order, into runs a transaction can carry: consecutive steps of one partition,
 * each key once, within the entity and byte limits. A run of one is a single request.
 */
function transactionRuns<S extends Step>(steps: readonly S[]): S[][] {
  const runs: S[][] = [];
  let run: S[] = [];
  let bytes = 0;
  let rows = new Set<string>();
  for (const step of steps) {
    const fits =
      run.length > 0 &&
      run[0].partitionKey === step.partitionKey &&
      !rows.has(step.rowKey) &&
      run.length < MAX_TRANSACTION_ENTITIES &&
      bytes + step.bytes <= TRANSACTION_BUDGET_BYTES;
    if (!fits) {
      if (run.length > 0) runs.push(run);
      run = [];
      bytes = 0;
      rows = new Set();
    }
    run.push(step);
    bytes += step.bytes;
    rows.add(step.rowKey);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** Runs for steps whose order does not matter (distinct keys): each partition's steps together. */
function sortedRuns<S extends Step>(steps: readonly S[]): S[][] {
  const byPartition = new Map<string, S[]>();
  for (const step of steps) byPartition.set(step.partitionKey, [...(byPartition.get(step.partitionKey) ?? []), step]);
  return [...byPartition.values()].flatMap((partition) => transactionRuns(partition));
}

/**
 * Requests one call sends at a time. A routing batch spans a hundred conversations (partitions):
 * sent all at once, three instances queued hundreds of requests on one Azurite, which then let
 * some wait past the request timeout on a loaded machine.
 */
const PARALLEL_REQUESTS = 8;

/** Runs `work` over `items`, at most PARALLEL_REQUESTS at a time, as Promise.all does (the first failure rejects). */
async function eachLimited<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_REQUESTS, items.length) }, lane));
}

/** insertNew writes running at once per logical table; calls made meanwhile wait and go together. */
const INSERTS_IN_FLIGHT = 2;
/** Items one merged insertNew carries at most; a single call is never split. */
const MAX_MERGED_ITEMS = 1_000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const idOf = (key: ItemKey) => JSON.stringify([key.table, key.partition, key.row]);
const describe = (key: ItemKey) => `${key.table}/${key.partition}/${key.row}`;

/** Clients of the account's tables and of its Table service, all with one credential (one token cache). */
function tableConnector(options: AzureTableStoreOptions): { table(name: string): TableClient; service(): TableServiceClient } {
  const clientOptions: TableServiceClientOptions = {
    retryOptions: { maxRetries: 4, retryDelayInMs: 500, maxRetryDelayInMs: 8_000, ...options.retry },
  };
  const { connectionString, accountUrl } = options;
  if (connectionString) {
    // Azurite speaks plain HTTP; the SDK refuses to sign such requests unless told they are local.
    const withKey = { ...clientOptions, allowInsecureConnection: isLoopbackHttp(connectionString) };
    const service = once(() => TableServiceClient.fromConnectionString(connectionString, withKey));
    return { table: (name) => TableClient.fromConnectionString(connectionString, name, withKey), service };
  }
  if (accountUrl) {
    const credential = options.credential ?? new DefaultAzureCredential();
    const service = once(() => new TableServiceClient(accountUrl, credential, clientOptions));
    return { table: (name) => new TableClient(accountUrl, name, credential, clientOptions), service };
  }
  throw new Error('STORE=azure needs AZURE_STORAGE_ACCOUNT_URL (managed identity) or AZURE_STORAGE_CONNECTION_STRING');
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
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
