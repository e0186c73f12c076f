// MySQL/MariaDB connections when DATABASE_URL names several hosts (the nodes of a Galera
// cluster): each new pooled connection goes to the first host, in the order named, that
// answers and is a ready member of the cluster. A node that has left the cluster (it is
// down, or cut off from the majority and so refusing queries with 1047) is passed over; a
// host that failed is skipped for a few seconds so that every new connection does not pay
// its connect timeout again. Connections already open to a node that dies fail with a
// connection error (503 for that request) and the pool replaces them on the next host.
// No extra process sits in between: the driver does it, so there is nothing else to run.
//
// Galera is also read-your-writes only when asked: `wsrep_sync_wait = 1` makes each read
// (and each transaction's start) on a node wait until that node has applied everything the
// cluster committed before it, so a write made through one node is seen at once through
// another (a sign-in finished by a process on another node, a reset link followed at once).
// Set per connection when the server is a Galera node, so every read is causal.
import { ConnectionError, type Sequelize } from 'sequelize';
import type { Logger } from '../logger.js';

export interface Host {
  host: string;
  port: number;
}

interface SessionConnection {
  query(sql: string, cb: (err: Error | null, rows: unknown) => void): void;
  end(cb?: () => void): void;
}

interface ConnectConfig {
  host?: string;
  port?: number;
}

interface ConnectionManager {
  connect(config: ConnectConfig): Promise<unknown>;
}

/** How long a host that failed is passed over before it is tried again. */
const SKIP_FAILED_MS = 5_000;
/** Galera: the node is cut off from the primary component (or not synced yet). */
export const ER_WSREP_NOT_READY = 1047;

function query(connection: SessionConnection, sql: string): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => connection.query(sql, (err, rows) => (err ? reject(err) : resolve(rows as Array<Record<string, unknown>>))));
}

/** Whether this connection's server is a Galera node (wsrep on); false on MySQL and plain MariaDB. */
export async function isGaleraNode(connection: SessionConnection): Promise<boolean> {
  const rows = await query(connection, "SHOW VARIABLES LIKE 'wsrep_on'");
  return String(rows[0]?.Value ?? '').toUpperCase() === 'ON';
}

/** Galera: the node accepts queries (a synced member of the primary component). */
async function isReady(connection: SessionConnection): Promise<boolean> {
  if (!(await isGaleraNode(connection))) return true;
  const rows = await query(connection, "SHOW STATUS LIKE 'wsrep_ready'");
  return String(rows[0]?.Value ?? '').toUpperCase() === 'ON';
}

/** Sets causal reads on a Galera node (see the header); nothing elsewhere. */
export async function readYourWrites(connection: SessionConnection): Promise<void> {
  if (await isGaleraNode(connection)) await query(connection, 'SET SESSION wsrep_sync_wait = 1');
}

/**
 * A node that leaves the primary component keeps its connections open but refuses their
 * queries (1047): such a connection is destroyed after answering, so the pool opens its
 * replacement on the next host instead of handing the dead end out again.
 */
function dropWhenNodeLeaves(connection: SessionConnection): void {
  const live = connection as SessionConnection & { query(...args: unknown[]): unknown; destroy(): void };
  const send = live.query.bind(live) as (...args: unknown[]) => unknown;
  live.query = (...args: unknown[]) => {
    const at = args.findIndex((a) => typeof a === 'function');
    if (at >= 0) {
      const callback = args[at] as (err: { errno?: number } | null, ...rest: unknown[]) => void;
      args[at] = (err: { errno?: number } | null, ...rest: unknown[]) => {
        if (err?.errno === ER_WSREP_NOT_READY) live.destroy();
        callback(err, ...rest);
      };
    }
    return send(...args);
  };
}

/** Makes every new pooled connection try `hosts` in order (see the header). */
export function connectToFirstReadyHost(sequelize: Sequelize, hosts: readonly Host[], logger: Logger): void {
  if (hosts.length < 2) return;
  const manager = (sequelize as unknown as { connectionManager: ConnectionManager }).connectionManager;
  const connect = manager.connect.bind(manager);
  const failedAt = new Map<number, number>();
  manager.connect = async (config) => {
    const now = Date.now();
    // Hosts that failed recently go last rather than out: when every node failed, still try.
    const order = hosts.map((_, i) => i).sort((a, b) => Number(now - (failedAt.get(a) ?? -Infinity) < SKIP_FAILED_MS) - Number(now - (failedAt.get(b) ?? -Infinity) < SKIP_FAILED_MS));
    let lastError: unknown = null;
    for (const i of order) {
      const { host, port } = hosts[i]!;
      let connection: SessionConnection | null = null;
      try {
        connection = (await connect({ ...config, host, port })) as SessionConnection;
        if (await isReady(connection)) {
          failedAt.delete(i);
          dropWhenNodeLeaves(connection);
          return connection;
        }
        lastError = Object.assign(new Error(`${host}:${port} is not a ready member of its cluster`), { errno: ER_WSREP_NOT_READY });
        connection.end();
      } catch (err) {
        lastError = err;
        connection?.end();
      }
      if (!failedAt.has(i)) logger.warn({ host, port, reason: (lastError as Error).message }, 'database host not available, trying the next one');
      failedAt.set(i, Date.now());
    }
    // A connection error, so the request answers 503 like any other unreachable database.
    throw lastError instanceof ConnectionError ? lastError : new ConnectionError(lastError as Error);
  };
}
