// Plain SQL on the hot paths (a sign-in, a token, a SCIM create), straight on the driver
// connection Sequelize holds: Sequelize's query pipeline costs ~3× the CPU of the driver
// call itself per statement (bench:oidc, bench:scim), and a sign-in runs dozens.
// Statements use `?` placeholders and must be valid on both dialects. A statement joins the
// context's transaction when it has one (the same connection), else runs on its own.
//
// Values are written as Sequelize writes them, so rows stay readable by the models: on
// SQLite a Date becomes Sequelize's text form ('2030-01-01 09:00:00.000 +00:00') and a
// boolean 0/1; MySQL's driver formats them itself (UTC, as the pool is configured).
// Results are the driver's: on SQLite dates come back as that text (see `sqlDate`).
import type { Model, ModelStatic, Sequelize, Transaction } from 'sequelize';
import type { Dialect } from './database-target.js';
import type { TransactionRunner } from './transaction-runner.js';

export type Param = string | number | boolean | Date | null | Buffer;

export interface WriteResult {
  /** Rows the statement changed (an UPDATE writing the values a row already has counts 0 on MySQL, as in Sequelize). */
  affectedRows: number;
}

/** One statement with its `?` parameters. */
export interface Statement {
  sql: string;
  params: Param[];
}

export interface Sql {
  select<T extends object>(sql: string, params: readonly Param[], ctx?: { transaction?: Transaction | null }): Promise<T[]>;
  write(sql: string, params: readonly Param[], ctx?: { transaction?: Transaction | null }): Promise<WriteResult>;
  /**
   * Writes whose results nobody reads, in order, in the transaction, one statement per
   * query (the first that fails throws and the rest are not sent).
   */
  writeAll(statements: readonly Statement[], ctx: { transaction: Transaction }): Promise<void>;
}

interface MysqlConnection {
  query(sql: string, values: unknown[], callback: (err: Error | null, result: unknown) => void): void;
}
interface SqliteConnection {
  all(sql: string, values: unknown[], callback: (err: Error | null, rows: unknown[]) => void): void;
  run(sql: string, values: unknown[], callback: (this: { changes: number }, err: Error | null) => void): void;
}
interface ConnectionManager {
  getConnection(options?: object): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<void> | void;
}

/** A Date or SQLite's stored text as a Date (null stays null). */
export function sqlDate(value: Date | string | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(value);
}

function sqliteValue(value: Param): unknown {
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', ' +00:00');
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

export function createSql(sequelize: Sequelize, dialect: Dialect, transactions: TransactionRunner): Sql {
  const manager = (sequelize as unknown as { connectionManager: ConnectionManager }).connectionManager;

  /** The transaction's connection, or one borrowed from the pool for this statement. */
  async function withConnection<T>(transaction: Transaction | null | undefined, use: (connection: unknown) => Promise<T>): Promise<T> {
    const held = (transaction as unknown as { connection?: unknown } | null | undefined)?.connection;
    if (held) return use(held);
    // SQLite: Sequelize's shared 'default' connection (it is never released); MySQL: the pool.
    const connection = await manager.getConnection(dialect === 'sqlite' ? { uuid: 'default' } : { type: 'write' });
    try {
      return await use(connection);
    } finally {
      if (dialect === 'mysql') await manager.releaseConnection(connection);
    }
  }

  if (dialect === 'mysql') {
    const run = (connection: unknown, sql: string, params: readonly Param[]) =>
      new Promise<unknown>((resolve, reject) => (connection as MysqlConnection).query(sql, params as unknown[], (err, result) => (err ? reject(err) : resolve(result))));
    return {
      select: <T extends object>(sql: string, params: readonly Param[], ctx?: { transaction?: Transaction | null }) =>
        withConnection(ctx?.transaction, (c) => run(c, sql, params) as Promise<T[]>),
      write: (sql, params, ctx) => {
        const write = () => withConnection(ctx?.transaction, async (c) => ({ affectedRows: ((await run(c, sql, params)) as { affectedRows: number }).affectedRows }));
        // Outside a transaction the statement is its own unit of work: retried on 1213.
        return ctx?.transaction ? write() : transactions.queuedWrite(write);
      },
      writeAll: async (statements, ctx) => {
        // One statement per query, in order, on the transaction's connection: the connection
        // does not accept several statements in one query, so a value that ever slipped into
        // SQL text could not append statements of its own.
        for (const s of statements) await withConnection(ctx.transaction, (c) => run(c, s.sql, s.params));
      },
    };
  }
  const sqliteWrite: Sql['write'] = (sql, params, ctx) => {
    const write = () =>
      withConnection(ctx?.transaction, (c) =>
        new Promise<WriteResult>((resolve, reject) =>
          (c as SqliteConnection).run(sql, params.map(sqliteValue), function (err) {
            if (err) reject(err);
            else resolve({ affectedRows: this.changes });
          }),
        ),
      );
    // Outside a transaction, behind this process's write transactions (transaction-runner.ts).
    return ctx?.transaction ? write() : transactions.queuedWrite(write);
  };
  return {
    select: <T extends object>(sql: string, params: readonly Param[], ctx?: { transaction?: Transaction | null }) =>
      withConnection(ctx?.transaction, (c) => new Promise<T[]>((resolve, reject) => (c as SqliteConnection).all(sql, params.map(sqliteValue), (err, rows) => (err ? reject(err) : resolve(rows as T[]))))),
    write: sqliteWrite,
    writeAll: async (statements, ctx) => {
      for (const s of statements) await sqliteWrite(s.sql, s.params, ctx);
    },
  };
}

/**
 * A (multi-row) INSERT of a model's rows, named by the model's attributes and written in its
 * column names. Every row must carry the same attributes, in the same order. With `onlyIf`
 * (one row), an INSERT … SELECT that writes the row only when its FROM … WHERE finds one.
 */
export function insertInto(model: ModelStatic<Model>, rows: ReadonlyArray<Record<string, Param>>, onlyIf?: Statement): { statement: string; params: Param[] } {
  const attributes = Object.keys(rows[0]!);
  const definitions = model.getAttributes();
  const columns = attributes.map((a) => {
    const definition = definitions[a];
    if (!definition) throw new Error(`${model.name} has no attribute ${a}`);
    return definition.field ?? a;
  });
  const placeholders = columns.map(() => '?').join(',');
  if (onlyIf) {
    if (rows.length !== 1) throw new Error('A conditional INSERT writes one row');
    return {
      statement: `INSERT INTO ${model.getTableName() as string} (${columns.join(', ')}) SELECT ${placeholders} ${onlyIf.sql}`,
      params: [...attributes.map((a) => rows[0]![a] as Param), ...onlyIf.params],
    };
  }
  const tuple = `(${placeholders})`;
  return {
    statement: `INSERT INTO ${model.getTableName() as string} (${columns.join(', ')}) VALUES ${rows.map(() => tuple).join(',')}`,
    params: rows.flatMap((row) => attributes.map((a) => row[a] as Param)),
  };
}

/**
 * The unique index (MySQL) or column (SQLite) a driver error says was violated, or null
 * when it is another error. Only the name: MySQL's message also quotes the duplicate value.
 */
export function uniqueViolation(err: unknown): string | null {
  const e = err as { code?: string; message?: string };
  if (e?.code === 'ER_DUP_ENTRY') return /for key '([^']+)'/.exec(e.message ?? '')?.[1] ?? '';
  if (e?.code === 'SQLITE_CONSTRAINT' && /UNIQUE constraint failed/.test(e.message ?? '')) return /failed: (.*)$/.exec(e.message ?? '')?.[1] ?? '';
  return null;
}
