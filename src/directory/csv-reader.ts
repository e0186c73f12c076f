// Streams the rows of an accounts CSV (RFC 4180 quoting, via csv-parse) from any source of
// bytes, decoding UTF-8 strictly as it goes, so a 50,000-row file never sits in memory as a
// whole. A file that cannot be read (not UTF-8, broken quotes, wrong header, empty) throws
// InvalidImportFile naming the line; callers read a file through once before changing
// anything, so such a file changes nothing.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { HEADER_HINT, InvalidImportFile, readHeader, type CsvColumn } from './csv-template.js';
import { describeCsvError } from '../csv-errors.js';

export interface CsvRow {
  /** Line in the file where the row ends (1 = the header). */
  line: number;
  values: Partial<Record<CsvColumn, string>>;
  /** More non-empty values than the header has columns. */
  extraValues: boolean;
}

/** A single record larger than this is not an account: the file is refused. */
const MAX_RECORD_BYTES = 64 * 1024;

async function* decodeUtf8(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const fail = () => new InvalidImportFile('The file is not UTF-8 text. In your spreadsheet, save it as "CSV UTF-8" (not Excel or another encoding) and upload it again.');
  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      yield chunk;
      continue;
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw fail();
    }
    if (text) yield text;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw fail();
  }
  if (rest) yield rest;
}

export async function* readAccountsCsv(source: AsyncIterable<Buffer | string>): AsyncGenerator<CsvRow> {
  const parser = parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: MAX_RECORD_BYTES });
  // Errors of the source reach the loop below through the parser, which pipeline destroys with them.
  const feeding = pipeline(Readable.from(decodeUtf8(source)), parser).catch(() => undefined);
  let columns: CsvColumn[] | null = null;
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (record.every((v) => v === '')) continue;
      if (!columns) {
        columns = readHeader(record);
        continue;
      }
      rows++;
      const values: Partial<Record<CsvColumn, string>> = {};
      columns.forEach((c, i) => (values[c] = record[i] ?? ''));
      yield { line: info.lines, values, extraValues: record.slice(columns.length).some((v) => v !== '') };
    }
  } catch (err) {
    if (err instanceof CsvError) throw new InvalidImportFile(describeCsvError(err, MAX_RECORD_BYTES));
    throw err;
  } finally {
    parser.destroy();
    await feeding;
  }
  if (!columns) throw new InvalidImportFile(`The file is empty. ${HEADER_HINT}`);
  if (rows === 0) throw new InvalidImportFile('The file has a header but no rows.');
}
