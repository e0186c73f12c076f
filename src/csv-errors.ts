// What to tell an admin whose CSV upload csv-parse refused (bulk invitations, account
// import): the line, and the usual spreadsheet mistake behind each error code.
import type { CsvError } from 'csv-parse';

export function describeCsvError(err: CsvError, maxRecordBytes?: number): string {
  const line = (err as CsvError & { lines?: number }).lines;
  const where = line ? ` (line ${line})` : '';
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `A quoted value is never closed${where}: check for a missing closing quote (").`;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return `A quote (") is misplaced${where}: a value containing quotes must be wholly quoted, with inner quotes doubled ("").`;
    case 'CSV_MAX_RECORD_SIZE':
      return `A row is larger than ${(maxRecordBytes ?? 0) / 1024} kB${where}: probably a quote that is never closed.`;
    default:
      return `The file is not valid CSV${where}: ${err.message}`;
  }
}
