// A fresh database per suite: an SQLite file, or a MariaDB schema when TEST_MYSQL_URL is
// set. Every database suite runs on both (describeEachDatabase); rows are cleared between
// tests while the migrated schema and the built-in roles stay.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { parsers } from '../../config/parsers.js';
import type { DatabaseConfig } from '../../config/index.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrate, MIGRATIONS_TABLE } from '../../src/db/migrator.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { requireServer } from './require-server.js';

export type TestDialect = 'sqlite' | 'mysql';
export const TEST_MYSQL_URL = process.env.TEST_MYSQL_URL;
export const DIALECTS: TestDialect[] = ['sqlite', 'mysql'];

export function testLogger(): Logger {
  return createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
}

let counter = 0;

/** A new, empty database of the dialect; `drop` removes it. */
export async function createTestDatabaseConfig(dialect: TestDialect): Promise<{ config: DatabaseConfig; drop(): Promise<void> }> {
  const suffix = `${process.pid}_${Date.now().toString(36)}_${counter++}`;
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-'));
    const config = parsers.databaseUrl('DATABASE_URL', `sqlite:${path.join(dir, 'test.sqlite')}`);
    return { config, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const base = new URL(TEST_MYSQL_URL!);
  const name = `${base.pathname.slice(1)}_${suffix}`.slice(0, 64);
  const admin = await mysql.createConnection({ uri: withoutDatabase(base) });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    config: parsers.databaseUrl('DATABASE_URL', url.toString()),
    drop: async () => {
      const conn = await mysql.createConnection({ uri: withoutDatabase(base) });
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

function withoutDatabase(url: URL): string {
  const u = new URL(url.toString());
  u.pathname = '/';
  return u.toString();
}

/** Opens and migrates a fresh database of the dialect, skipping (or failing in CI) without MariaDB. */
export async function openTestDatabase(ctx: Mocha.Context, dialect: TestDialect, logger = testLogger()): Promise<{ db: Database; config: DatabaseConfig; drop(): Promise<void> }> {
  if (dialect === 'mysql') requireServer(ctx, !!TEST_MYSQL_URL, 'MariaDB/MySQL (set TEST_MYSQL_URL=mysql://user:pass@127.0.0.1:3306/gatehouse_test)');
  const created = await createTestDatabaseConfig(dialect);
  const db = await openDatabase(created.config, logger, 5_000);
  await migrate(db);
  return {
    db,
    config: created.config,
    drop: async () => {
      await db.close().catch(() => undefined);
      await created.drop();
    },
  };
}

/** Clears every row a test may have written; keeps migrations, built-in roles and the pools. */
export async function clearDatabase(db: Database): Promise<void> {
  const tables = (await db.sequelize.getQueryInterface().showAllTables()).map((t) => (typeof t === 'string' ? t : (t as { tableName: string }).tableName));
  // Signing keys and the internal settings (encryption and cookie keys) live as long as the suite's services.
  const keep = new Set([MIGRATIONS_TABLE, 'roles', 'role_permissions', 'seat_pools', 'oidc_keys', 'settings']);
  // Unbounded: after a large import (tens of thousands of accounts and their values) the
  // deletes take longer than a request's statement timeout.
  await db.unbounded(() => db.transactions.run({ actor: { userId: null, label: 'test', permissions: new Set() }, source: 'system', ip: null }, async ({ transaction }) => {
    const run = (sql: string) => db.sequelize.query(sql, { transaction });
    if (db.dialect === 'mysql') await run('SET FOREIGN_KEY_CHECKS = 0');
    // SQLite: foreign keys checked at commit, when every referencing row is gone too, whatever the tables' order.
    else await run('PRAGMA defer_foreign_keys = ON');
    for (const table of tables) if (!keep.has(table)) await run(`DELETE FROM ${table}`);
    await run(`DELETE FROM settings WHERE ${db.sequelize.getQueryInterface().quoteIdentifier('key')} NOT LIKE 'internal.%'`);
    await run('DELETE FROM role_permissions WHERE role_id IN (SELECT id FROM roles WHERE builtin IS NULL)');
    await run('DELETE FROM roles WHERE builtin IS NULL');
    await run('UPDATE seat_pools SET seat_limit = NULL, in_use = 0, refusal_noticed_on = NULL');
    if (db.dialect === 'mysql') await run('SET FOREIGN_KEY_CHECKS = 1');
  }));
}
