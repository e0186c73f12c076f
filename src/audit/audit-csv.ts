// The audit log as CSV ("Export activity log for records"), streamed batch by
// batch so a long log never sits in memory. Cells are CSV-injection safe: a spreadsheet
// would run a cell starting with = + - @ (or tab / carriage return) as a formula, so such a
// cell gets a leading apostrophe (OWASP "CSV Injection").
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { AuditEntry } from './audit-log.js';
import { targetText } from './audit-target.js';

export const CSV_COLUMNS = ['time', 'actor', 'actor_id', 'action', 'target_type', 'target_id', 'target', 'details', 'source', 'ip'] as const;

export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function row(e: AuditEntry): Record<(typeof CSV_COLUMNS)[number], string> {
  return {
    time: e.occurredAt.toISOString(),
    actor: e.actorLabel,
    actor_id: e.actorId ?? '',
    action: e.action,
    target_type: e.target?.type ?? '',
    target_id: e.target?.id ?? '',
    target: targetText(e),
    details: Object.keys(e.details).length ? JSON.stringify(e.details) : '',
    source: e.source,
    ip: e.ip ?? '',
  };
}

/** Writes every batch as CSV rows to `out`, header first, honouring back-pressure. */
export async function writeAuditCsv(batches: AsyncIterable<AuditEntry[]>, out: Writable): Promise<void> {
  async function* rows() {
    for await (const batch of batches) for (const e of batch) yield row(e);
  }
  const csv = stringify({ header: true, columns: [...CSV_COLUMNS], cast: { string: (v) => safeCell(v) } });
  await pipeline(Readable.from(rows()), csv, out);
}
