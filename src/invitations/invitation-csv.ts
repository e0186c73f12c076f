// The bulk-invitation CSV: the template, and parsing an upload into rows. A file
// that cannot be read as a whole (empty, not UTF-8, broken quotes, wrong header, too
// large) is refused with one clear message before anything is sent; row-level problems
// are left to the review. Parsed with csv-parse (RFC 4180 quoting).
import { CsvError, parse } from 'csv-parse/sync';
import { DomainError } from '../errors.js';
import { describeCsvError } from '../csv-errors.js';

export const CSV_HEADER = ['email', 'role', 'first name', 'last name', 'kind'] as const;
/** 10,000-row files work; larger ones are split by the admin. */
export const CSV_MAX_ROWS = 10_000;
export const CSV_MAX_BYTES = 5 * 1024 * 1024;

export type CsvField = 'email' | 'role' | 'givenName' | 'familyName' | 'kind' | 'accessEndsAt';

const HEADER_NAMES: Record<string, CsvField> = {
  email: 'email',
  emailaddress: 'email',
  role: 'role',
  roles: 'role',
  firstname: 'givenName',
  givenname: 'givenName',
  lastname: 'familyName',
  familyname: 'familyName',
  surname: 'familyName',
  kind: 'kind',
  // Optional, not in the template: when the account's access ends (the organization's time zone).
  accessends: 'accessEndsAt',
  enddate: 'accessEndsAt',
  accessenddate: 'accessEndsAt',
};

export interface CsvInviteRow {
  /** Line in the file where the row ends (1 = the header). */
  line: number;
  email: string;
  role: string;
  givenName: string;
  familyName: string;
  kind: string;
  /** The access end date as written, or empty. */
  accessEndsAt: string;
  /** More values than the header has columns. */
  extraValues: boolean;
}

export class InvalidCsv extends DomainError {
  constructor(message: string) {
    super('invalid_csv', `${message} Nothing was sent.`, 400);
  }
}

const HEADER_HINT = `The first line must be the header ${CSV_HEADER.join(',')} (download the template).`;

export function csvTemplate(): string {
  return CSV_HEADER.join(',') + '\r\n';
}

export function parseInvitationCsv(content: Buffer | string): CsvInviteRow[] {
  const text = decode(content);
  if (!text.trim()) throw new InvalidCsv('The file is empty.');
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof records;
  } catch (err) {
    if (err instanceof CsvError) throw new InvalidCsv(describeCsvError(err));
    throw err;
  }
  const [header, ...rows] = records;
  if (!header) throw new InvalidCsv('The file is empty.');
  const columns = readHeader(header.record);
  if (rows.length === 0) throw new InvalidCsv('The file has a header but no rows.');
  if (rows.length > CSV_MAX_ROWS) throw new InvalidCsv(`The file has ${rows.length} rows; at most ${CSV_MAX_ROWS} can be sent at once. Split it into smaller files.`);
  return rows.map(({ record, info }) => {
    const value = (field: CsvField) => {
      const i = columns.indexOf(field);
      return i >= 0 ? (record[i] ?? '') : '';
    };
    return {
      line: info.lines,
      email: value('email'),
      role: value('role'),
      givenName: value('givenName'),
      familyName: value('familyName'),
      kind: value('kind'),
      accessEndsAt: value('accessEndsAt'),
      extraValues: record.length > columns.length && record.slice(columns.length).some((v) => v !== ''),
    };
  });
}

function decode(content: Buffer | string): string {
  if (typeof content === 'string') return content.replace(/^\uFEFF/, '');
  if (content.length > CSV_MAX_BYTES) throw new InvalidCsv(`The file is larger than ${CSV_MAX_BYTES / 1024 / 1024} MB.`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    throw new InvalidCsv('The file is not UTF-8 text. In your spreadsheet, save it as "CSV UTF-8" and upload it again.');
  }
}

function readHeader(cells: string[]): CsvField[] {
  const fields: CsvField[] = [];
  for (const cell of cells) {
    const key = cell.toLowerCase().replace(/[^a-z]/g, '');
    if (cell.includes('@')) throw new InvalidCsv(`The first line looks like data, not a header. ${HEADER_HINT}`);
    // Own names only: a header cell such as "constructor" is an unknown column, not Object's.
    const field = Object.hasOwn(HEADER_NAMES, key) ? HEADER_NAMES[key] : undefined;
    if (!field) throw new InvalidCsv(`Unknown column "${cell}". ${HEADER_HINT}`);
    if (fields.includes(field)) throw new InvalidCsv(`The column "${cell}" appears twice. ${HEADER_HINT}`);
    fields.push(field);
  }
  for (const required of ['email', 'role'] as const) {
    if (!fields.includes(required)) throw new InvalidCsv(`The header has no "${required}" column. ${HEADER_HINT}`);
  }
  return fields;
}
