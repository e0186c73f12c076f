// SQLite: Sequelize opens a new connection for every transaction and closes it at the end.
// Opening one (the file, its pragmas, and the whole schema parsed again at its first
// statement) cost more CPU than the statements of a SCIM create (bench:scim). Here a
// connection whose transaction ended cleanly is kept for the next transaction instead.
// Sequelize releases a connection only after its COMMIT or ROLLBACK succeeded; one whose
// ending failed is destroyed (its state unknown), so a kept connection is never inside a
// transaction. Writes are one at a time in this process, so a couple are enough.
import type { Sequelize } from 'sequelize';

/** Kept beyond this, a released connection is closed as before (parallel read transactions). */
const MAX_IDLE = 2;

interface SqliteConnection {
  uuid?: string;
  filename?: string;
  close(callback?: (err: Error | null) => void): void;
}

interface SqliteConnectionManager {
  connections: Record<string, SqliteConnection>;
  getConnection(options?: { uuid?: string }): Promise<SqliteConnection>;
  releaseConnection(connection: SqliteConnection, force?: boolean): unknown;
  _onProcessExit(): Promise<unknown>;
}

export function reuseSqliteTransactionConnections(sequelize: Sequelize): void {
  const manager = (sequelize as unknown as { connectionManager: SqliteConnectionManager }).connectionManager;
  const idle: SqliteConnection[] = [];
  const open = manager.getConnection.bind(manager);
  const release = manager.releaseConnection.bind(manager);
  const exit = manager._onProcessExit.bind(manager);

  manager.getConnection = async (options) => {
    const uuid = options?.uuid;
    const kept = uuid && uuid !== 'default' && !Object.hasOwn(manager.connections, uuid) ? idle.pop() : undefined;
    if (!kept) return open(options);
    // Registered under the transaction's id as a new one would be: Sequelize looks it up there.
    manager.connections[uuid!] = kept;
    return kept;
  };
  manager.releaseConnection = (connection, force) => {
    const uuid = connection.uuid;
    if (!uuid || force === true || connection.filename === ':memory:' || idle.length >= MAX_IDLE) return release(connection, force);
    delete manager.connections[uuid];
    idle.push(connection);
    return undefined;
  };
  manager._onProcessExit = async () => {
    const closing = idle.splice(0).map((c) => new Promise<void>((resolve) => c.close(() => resolve())));
    await Promise.all(closing);
    return exit();
  };
}
