// Reads a backup file line by line (never whole), checking its shape as it goes: the
// header first, rows only inside a table's section, and the closing line at the end.
import fs from 'node:fs';
import readline from 'node:readline';
import { refused } from './backup-refused.js';
import { BACKUP_FORMAT, BACKUP_VERSION, type BackupHeader } from './backup-format.js';

export type BackupEvent =
  | { type: 'header'; header: BackupHeader }
  | { type: 'table'; table: string; columns: string[] }
  | { type: 'row'; table: string; columns: string[]; values: unknown[] }
  | { type: 'end'; table: string; rows: number };

/** The file's header (the rest is read when restoring). */
export async function readHeader(file: string): Promise<BackupHeader> {
  for await (const event of readBackup(file)) if (event.type === 'header') return event.header;
  throw refused(`${file} is empty.`);
}

/** Yields the header, then the file's tables and rows; throws on a file that is not a complete backup. */
export async function* readBackup(file: string): AsyncGenerator<BackupEvent> {
  if (!fs.existsSync(file)) throw refused(`No file at ${file}.`);
  const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let header: BackupHeader | null = null;
  let section: { table: string; columns: string[]; rows: number } | null = null;
  let complete = false;
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (!line.trim()) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw refused(`Line ${n} of ${file} is not JSON: the file is damaged.`);
      }
      if (!header) {
        const h = value as Partial<BackupHeader>;
        if (h?.format !== BACKUP_FORMAT) throw refused(`${file} is not a Gatehouse backup.`);
        if (h.version !== BACKUP_VERSION) throw refused(`${file} is a backup of format version ${h.version}; this Gatehouse reads version ${BACKUP_VERSION}.`);
        header = h as BackupHeader;
        yield { type: 'header', header };
        continue;
      }
      if (complete) throw refused(`Line ${n} of ${file} follows the end of the backup.`);
      if (Array.isArray(value)) {
        if (!section) throw refused(`Line ${n} of ${file} is a row outside any table.`);
        if (value.length !== section.columns.length) throw refused(`Line ${n} of ${file} has ${value.length} values for ${section.columns.length} columns of ${section.table}.`);
        section.rows++;
        yield { type: 'row', table: section.table, columns: section.columns, values: value };
        continue;
      }
      const marker = value as { table?: string; columns?: string[]; end?: string; rows?: number; complete?: boolean };
      if (typeof marker.table === 'string' && Array.isArray(marker.columns) && !section) {
        section = { table: marker.table, columns: marker.columns, rows: 0 };
        yield { type: 'table', table: marker.table, columns: marker.columns };
      } else if (typeof marker.end === 'string' && section && marker.end === section.table) {
        if (marker.rows !== section.rows) throw refused(`${file} says ${marker.rows} rows of ${section.table} but holds ${section.rows}: the file is damaged.`);
        yield { type: 'end', table: section.table, rows: section.rows };
        section = null;
      } else if (marker.complete === true && !section) {
        complete = true;
      } else {
        throw refused(`Line ${n} of ${file} is not what a backup holds there: the file is damaged.`);
      }
    }
  } finally {
    lines.close();
  }
  if (!header) throw refused(`${file} is empty.`);
  if (!complete) throw refused(`${file} ends before the backup does: it was cut short (copy it again, or make a new backup).`);
}
