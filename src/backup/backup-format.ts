// The backup file: JSON lines, portable between SQLite and MySQL/MariaDB.
//   line 1   the header (format, version, source dialect, migrations applied, tables)
//   then per table, in an order where every table comes after those it references:
//            {"table": name, "columns": [...]}, one JSON array of values per row,
//            {"end": name, "rows": n}
//   last     {"complete": true}: a file without it was cut short and is refused.
// Values are dialect-neutral: date-times as ISO 8601 UTC, dates as YYYY-MM-DD, booleans
// as 0/1 (as both databases store them), binary as {"base64": "..."}.
export const BACKUP_FORMAT = 'gatehouse-backup';
export const BACKUP_VERSION = 1;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  sourceDialect: string;
  /** The migrations applied to the source, in order: a restore needs the same. */
  migrations: string[];
  tables: Array<{ name: string; columns: string[] }>;
  /** Whether the stored encryption and cookie keys are in the file (--include-keys). */
  keys: 'included' | 'excluded';
  /** Where the source's encryption key came from: ENCRYPTION_KEY, or the database. */
  encryptionKey: 'configured' | 'stored';
}

export type TableMarker = { table: string; columns: string[] } | { end: string; rows: number } | { complete: true };

export type ColumnKind = 'datetime' | 'date' | 'other';

/** How a column's values are written: by its type as the database describes it. */
export function columnKind(type: string): ColumnKind {
  if (/^(DATETIME|TIMESTAMP)/i.test(type)) return 'datetime';
  if (/^DATE$/i.test(type)) return 'date';
  return 'other';
}

/** A value as read from either database, in the file's neutral form. */
export function encodeValue(value: unknown, kind: ColumnKind): unknown {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return { base64: value.toString('base64') };
  if (kind === 'datetime') {
    // SQLite holds Sequelize's text form ('2030-01-01 09:00:00.000 +00:00'); MySQL's driver gives a Date.
    const d = value instanceof Date ? value : new Date(typeof value === 'number' ? value : String(value));
    if (Number.isNaN(d.getTime())) throw new Error(`unreadable date-time ${JSON.stringify(value)}`);
    return d.toISOString();
  }
  if (kind === 'date') return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** A value from the file as the target database's driver takes it. */
export function decodeValue(value: unknown, kind: ColumnKind): unknown {
  if (value === null) return null;
  if (typeof value === 'object' && value !== null && 'base64' in value) return Buffer.from(String((value as { base64: string }).base64), 'base64');
  if (kind === 'datetime') return new Date(String(value));
  return value;
}
