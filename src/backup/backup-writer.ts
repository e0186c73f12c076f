// `cli backup`: the whole database to one portable file, read in one consistent snapshot
// and streamed page by page, never held in memory. The file holds password hashes,
// second-factor secrets and signing keys: it is created with mode 0600, written under a
// temporary name and renamed once complete, and leaves out the stored encryption and
// cookie keys unless asked (`includeKeys`).
import fs from 'node:fs';
import { once } from 'node:events';
import { QueryTypes, Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import { MIGRATIONS_TABLE } from '../db/migrator.js';
import { refused } from './backup-refused.js';
import { STORED_KEY } from '../crypto/secret-box.js';
import { COOKIE_KEYS_SETTING } from '../crypto/cookie-keys.js';
import { BACKUP_FORMAT, BACKUP_VERSION, encodeValue, type BackupHeader, type TableMarker } from './backup-format.js';
import { describeTable, inDependencyOrder, quoted, tableNames, type TableShape } from './schema-tables.js';

const PAGE = 1000;

/** The settings rows that hold keys rather than data (left out unless asked for). */
export const KEY_SETTINGS: readonly string[] = [STORED_KEY, COOKIE_KEYS_SETTING];

export interface BackupOptions {
  includeKeys: boolean;
  /** Whether ENCRYPTION_KEY is set (then the stored encryption key, if any, seals nothing). */
  encryptionKeyConfigured: boolean;
  now: Date;
}

export interface BackupSummary {
  file: string;
  tables: number;
  rows: number;
  header: BackupHeader;
}

type Row = Record<string, unknown>;

/** Reads a table page by page: after the last key on a one-column primary key, else by offset. */
async function* tableRows(db: Database, shape: TableShape, transaction: Transaction): AsyncGenerator<Row> {
  const q = (id: string) => quoted(db, id);
  const order = (shape.primaryKey.length ? shape.primaryKey : shape.columns.map((c) => c.name)).map(q).join(', ');
  const select = (sql: string, replacements: unknown[]) => db.sequelize.query<Row>(sql, { replacements, transaction, type: QueryTypes.SELECT, raw: true });
  const single = shape.primaryKey.length === 1 ? shape.primaryKey[0]! : null;
  let last: unknown = undefined;
  for (let offset = 0; ; offset += PAGE) {
    const rows = single
      ? await select(`SELECT * FROM ${q(shape.name)}${last === undefined ? '' : ` WHERE ${q(single)} > ?`} ORDER BY ${order} LIMIT ${PAGE}`, last === undefined ? [] : [last])
      : await select(`SELECT * FROM ${q(shape.name)} ORDER BY ${order} LIMIT ${PAGE} OFFSET ${offset}`, []);
    for (const row of rows) yield row;
    if (rows.length < PAGE) return;
    if (single) last = rows[rows.length - 1]![single];
  }
}

class LineWriter {
  private constructor(private readonly out: fs.WriteStream) {}

  static async create(file: string): Promise<LineWriter> {
    // 'wx': never follow or replace what is already there; 0600 from the moment it exists.
    const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
    await once(out, 'open');
    fs.chmodSync(file, 0o600); // whatever the umask
    return new LineWriter(out);
  }

  async write(value: unknown): Promise<void> {
    if (!this.out.write(`${JSON.stringify(value)}\n`)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    this.out.end();
    await once(this.out, 'finish');
  }

  destroy(): void {
    this.out.destroy();
  }
}

export async function writeBackup(db: Database, file: string, options: BackupOptions): Promise<BackupSummary> {
  if (fs.existsSync(file)) throw refused(`${file} exists already: name a new file (a backup never replaces one).`);
  const partial = `${file}.partial`;
  const writer = await LineWriter.create(partial);
  try {
    // One snapshot for every table: REPEATABLE READ on MySQL/MariaDB (the server's consistent
    // read), a read transaction on SQLite (WAL keeps its view while others write).
    const snapshot = db.dialect === 'mysql' ? { isolationLevel: Transaction.ISOLATION_LEVELS.REPEATABLE_READ } : { type: Transaction.TYPES.DEFERRED };
    const summary = await db.unbounded(() =>
      db.sequelize.transaction(snapshot, async (transaction) => {
        const applied = await db.sequelize.query<{ name: string }>(`SELECT name FROM ${quoted(db, MIGRATIONS_TABLE)} ORDER BY name`, { transaction, type: QueryTypes.SELECT, raw: true });
        const shapes: TableShape[] = [];
        for (const name of await inDependencyOrder(db, await tableNames(db))) shapes.push(await describeTable(db, name));
        const header: BackupHeader = {
          format: BACKUP_FORMAT,
          version: BACKUP_VERSION,
          createdAt: options.now.toISOString(),
          sourceDialect: db.dialect,
          migrations: applied.map((m) => m.name),
          tables: shapes.map((s) => ({ name: s.name, columns: s.columns.map((c) => c.name) })),
          keys: options.includeKeys ? 'included' : 'excluded',
          encryptionKey: options.encryptionKeyConfigured ? 'configured' : 'stored',
        };
        await writer.write(header);
        let total = 0;
        for (const shape of shapes) {
          await writer.write({ table: shape.name, columns: header.tables.find((t) => t.name === shape.name)!.columns } satisfies TableMarker);
          let rows = 0;
          for await (const row of tableRows(db, shape, transaction)) {
            if (shape.name === 'settings' && !options.includeKeys && KEY_SETTINGS.includes(String(row.key))) continue;
            await writer.write(shape.columns.map((c) => encodeValue(row[c.name], c.kind)));
            rows++;
          }
          await writer.write({ end: shape.name, rows } satisfies TableMarker);
          total += rows;
        }
        await writer.write({ complete: true } satisfies TableMarker);
        return { file, tables: shapes.length, rows: total, header };
      }),
    );
    await writer.close();
    fs.renameSync(partial, file);
    return summary;
  } catch (err) {
    writer.destroy();
    fs.rmSync(partial, { force: true });
    throw err;
  }
}
