// The baseline of bench:scim: rows written straight into `users` through the database's own
// driver, bypassing Gatehouse — mysql2 pools on MariaDB/MySQL, one sqlite3 handle on the
// bench's SQLite file (a second connection beside the server's, as another writer would be).
// Both take the same columns as the seeding, so the baseline measures one single-row INSERT.
import sqlite3 from 'sqlite3';
import mysql from 'mysql2/promise';
import type { DatabaseConfig } from '../../config/index.js';

export const USER_COLUMNS = 'id, username, username_normalized, email, email_normalized, given_name, family_name, kind, source, status, email_verified, version, created_at, updated_at';
const TUPLE = `(${USER_COLUMNS.split(',').map(() => '?').join(', ')})`;
type Row = unknown[];

export interface RawUsersTable {
  /** Many rows per statement (seeding). */
  insertMany(rows: Row[]): Promise<void>;
  /** One row per statement, with `inFlight` connections available (the measured baseline). */
  inserter(inFlight: number): (row: Row) => Promise<void>;
  analyze(): Promise<void>;
  end(): Promise<void>;
}

export async function openRawUsersTable(config: DatabaseConfig): Promise<RawUsersTable> {
  if (config.dialect === 'mysql') {
    const conn = await mysql.createConnection({ uri: config.url });
    const pools: mysql.Pool[] = [];
    return {
      insertMany: async (rows) => void (await conn.query(`INSERT INTO users (${USER_COLUMNS}) VALUES ?`, [rows])),
      inserter: (inFlight) => {
        const pool = mysql.createPool({ uri: config.url, connectionLimit: inFlight });
        pools.push(pool);
        return async (row) => void (await pool.execute(`INSERT INTO users (${USER_COLUMNS}) VALUES ${TUPLE}`, row as never[]));
      },
      analyze: async () => void (await conn.query('ANALYZE TABLE users')),
      end: async () => {
        for (const p of pools) await p.end();
        await conn.end();
      },
    };
  }
  const db = new sqlite3.Database(config.storage);
  const run = (sql: string, params: unknown[]) => new Promise<void>((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())));
  db.configure('busyTimeout', 10_000);
  // Values as the server's own writes store them: dates in Sequelize's text form.
  const value = (v: unknown) => (v instanceof Date ? v.toISOString().replace('T', ' ').replace('Z', ' +00:00') : v);
  return {
    insertMany: async (rows) => {
      for (let i = 0; i < rows.length; i += 60) {
        const chunk = rows.slice(i, i + 60);
        await run(`INSERT INTO users (${USER_COLUMNS}) VALUES ${chunk.map(() => TUPLE).join(', ')}`, chunk.flat().map(value));
      }
    },
    inserter: () => async (row) => run(`INSERT INTO users (${USER_COLUMNS}) VALUES ${TUPLE}`, row.map(value)),
    analyze: () => run('ANALYZE', []),
    end: () => new Promise<void>((resolve) => db.close(() => resolve())),
  };
}
