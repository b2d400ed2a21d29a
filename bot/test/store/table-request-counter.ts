import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { splitPartitionKey } from '../../src/store/azure-key-codec';

/** Kinds of Azure Tables requests, as the Table service's REST API names them. */
export type TableRequestKind = 'get' | 'query' | 'insert' | 'update' | 'upsert' | 'delete' | 'batch' | 'other';

export interface TableRequestCounter {
  /** A connection string like the upstream one, with its Table endpoint on this counter. */
  connectionString: string;
  /** Requests passed on so far, by kind. */
  counts(): Record<TableRequestKind, number>;
  /**
   * The same requests by kind and the store's logical table they address ("batch alert-outbox"; a
   * transaction also by its first operation: "batch:create alert-inbox"), most first.
   */
  byTable(): Array<[string, number]>;
  total(): number;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A loopback HTTP front for Azurite that counts every request the store sends by kind, so a test
 * measures round trips on the wire (an entity group transaction is one request, however many
 * entities it carries) instead of trusting the code's own idea of them. Requests pass unchanged:
 * Azurite checks each one's shared-key signature, which covers the path, not the host.
 */
export async function startTableRequestCounter(upstreamConnectionString: string): Promise<TableRequestCounter> {
  const endpoint = /(?:^|;)\s*TableEndpoint=([^;]+)/i.exec(upstreamConnectionString)?.[1];
  if (!endpoint) throw new Error('The upstream connection string names no TableEndpoint');
  const upstream = new URL(endpoint);
  const agent = new http.Agent({ keepAlive: true });
  const zero = (): Record<TableRequestKind, number> => ({ get: 0, query: 0, insert: 0, update: 0, upsert: 0, delete: 0, batch: 0, other: 0 });
  let counts = zero();
  let tables = new Map<string, number>();

  const server = http.createServer((req, res) => {
    const kind = kindOf(req);
    counts[kind] += 1;
    const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    // Inserts and transactions name their partition in the body: it is held until complete, then passed on.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const label = labelOf(kind, safeDecode(req.url ?? ''), body);
      tables.set(label, (tables.get(label) ?? 0) + 1);
      forward.end(body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const here = `http://127.0.0.1:${port}${upstream.pathname}`;
  return {
    connectionString: upstreamConnectionString.replace(endpoint, here),
    counts: () => ({ ...counts }),
    byTable: () => [...tables].sort((a, b) => b[1] - a[1]),
    total: () => Object.values(counts).reduce((sum, n) => sum + n, 0),
    reset() {
      counts = zero();
      tables = new Map();
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
      agent.destroy();
    },
  };
}

/** Classifies one request by the Table service's REST operations (Query Entities, Insert Entity, ...). */
function kindOf(req: http.IncomingMessage): TableRequestKind {
  const url = req.url ?? '';
  const path = url.split('?')[0];
  // An entity's address ends in (PartitionKey='...',RowKey='...').
  const entity = /\)$/.test(decodeURIComponent(path)) && /PartitionKey/.test(decodeURIComponent(path));
  switch (req.method) {
    case 'GET':
      return entity ? 'get' : 'query';
    case 'POST':
      if (path.endsWith('/$batch')) return 'batch';
      return entity || /\/Tables$/.test(path) ? 'other' : 'insert';
    case 'PUT':
    case 'MERGE':
    case 'PATCH':
      return req.headers['if-match'] === undefined || req.headers['if-match'] === '*' ? 'upsert' : 'update';
    case 'DELETE':
      return 'delete';
    default:
      return 'other';
  }
}

const BATCH_OPERATIONS: Record<string, string> = { POST: 'create', PUT: 'put', MERGE: 'merge', PATCH: 'merge', DELETE: 'delete' };

/** "kind table": the logical table of the first PartitionKey the request names (its URL, $filter or body). */
function labelOf(kind: TableRequestKind, url: string, body: string): string {
  const literal = /PartitionKey(?:='| (?:eq|ge|gt) ')((?:[^']|'')*)'/.exec(url)?.[1]?.replace(/''/g, "'") ?? /"PartitionKey":\s*"((?:[^"\\]|\\.)*)"/.exec(body)?.[1];
  let table = literal === undefined ? '?' : tableOf(literal.includes('\\') ? (JSON.parse(`"${literal}"`) as string) : literal);
  // An existence check reads keys only.
  if (kind !== 'batch') return `${kind}${/[?&]\$select=RowKey(&|$)/.test(url) ? ':keys' : ''} ${table}`;
  const first = /^(POST|PUT|MERGE|PATCH|DELETE) http/m.exec(body)?.[1];
  // A transaction's URLs carry the keys too: a delete's body is empty.
  const inBody = table === '?' ? /PartitionKey='((?:[^']|'')*)'/.exec(safeDecode(body))?.[1] : undefined;
  if (inBody !== undefined) table = tableOf(inBody.replace(/''/g, "'"));
  return `batch:${first ? BATCH_OPERATIONS[first] : '?'} ${table}`;
}

function tableOf(partitionKey: string): string {
  try {
    return splitPartitionKey(partitionKey).table;
  } catch {
    return '?';
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
