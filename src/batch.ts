// Applies rows one by one in input order (in a batch, rows within the limit
// are created and the rest reported one by one). Each row runs its own transaction inside
// `apply`, so a refused or failed row leaves nothing behind and later rows still run.
import { DomainError } from './errors.js';

export type RowOutcome<R> =
  | { index: number; ok: true; value: R }
  | { index: number; ok: false; code: string; message: string; fields?: Record<string, string>; error?: unknown };

export async function applyInOrder<T, R>(rows: readonly T[], apply: (row: T, index: number) => Promise<R>, onProgress?: (done: number, total: number) => void): Promise<RowOutcome<R>[]> {
  const outcomes: RowOutcome<R>[] = [];
  for (let index = 0; index < rows.length; index++) {
    try {
      outcomes.push({ index, ok: true, value: await apply(rows[index]!, index) });
    } catch (err) {
      if (!(err instanceof DomainError) || !err.expose) {
        // An unexpected failure fails its row only; the caller logs `error`.
        outcomes.push({ index, ok: false, code: 'internal_error', message: 'Unexpected error; see the server log.', error: err });
        onProgress?.(index + 1, rows.length);
        continue;
      }
      const fields = (err as { fields?: Record<string, string> }).fields;
      outcomes.push({ index, ok: false, code: err.code, message: err.message, ...(fields ? { fields } : {}) });
    }
    onProgress?.(index + 1, rows.length);
  }
  return outcomes;
}
