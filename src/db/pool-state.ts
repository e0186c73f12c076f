// What the database connections are doing, for the metrics. MySQL/MariaDB: Sequelize's
// connection pool (sequelize-pool) counts them. SQLite has no pool: Sequelize keeps one
// shared connection and opens one per transaction, and write transactions queue
// in-process for the single writer (transaction-runner.ts) — so those are what is shown.
import type { Database } from './database.js';
import type { PoolState } from '../metrics/gatehouse-metrics.js';

interface SequelizePool {
  size: number;
  available: number;
  using: number;
  waiting: number;
  maxSize: number;
}

interface ConnectionManager {
  pool?: SequelizePool;
  connections?: Record<string, unknown>;
}

export function poolState(db: Database): PoolState {
  const manager = (db.sequelize as unknown as { connectionManager: ConnectionManager }).connectionManager;
  if (db.dialect === 'mysql') {
    const pool = manager.pool;
    if (!pool) return { inUse: 0, idle: 0, waiting: 0, max: null };
    return { inUse: pool.using, idle: pool.available, waiting: pool.waiting, max: pool.maxSize };
  }
  const open = Object.keys(manager.connections ?? {});
  const shared = open.includes('default') ? 1 : 0;
  return { inUse: open.length - shared, idle: shared, waiting: db.transactions.queuedWrites, max: null };
}
