import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

/** Kinds of Azure Tables requests, as the Table service's REST API names them. */
export type TableRequestKind = 'get' | 'query' | 'insert' | 'update' | 'upsert' | 'delete' | 'batch' | 'other';

export interface TableRequestCounter {
  /** A connection string like the upstream one, with its Table endpoint on this counter. */
  connectionString: string;
  /** Requests passed on so far, by kind. */
  counts(): Record<TableRequestKind, number>;
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

  const server = http.createServer((req, res) => {
    counts[kindOf(req)] += 1;
    const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const here = `http://127.0.0.1:${port}${upstream.pathname}`;
  return {
    connectionString: upstreamConnectionString.replace(endpoint, here),
    counts: () => ({ ...counts }),
    total: () => Object.values(counts).reduce((sum, n) => sum + n, 0),
    reset() {
      counts = zero();
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
