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
      outcomes.push(failedOutcome(index, err));
    }
    onProgress?.(index + 1, rows.length);
  }
  return outcomes;
}

/** A row's refusal as the report shows it: a domain error's code, message and fields; anything else an internal error the caller logs. */
export function failedOutcome(index: number, err: unknown): RowOutcome<never> {
  if (!(err instanceof DomainError) || !err.expose) return { index, ok: false, code: 'internal_error', message: 'Unexpected error; see the server log.', error: err };
  const fields = (err as { fields?: Record<string, string> }).fields;
  return { index, ok: false, code: err.code, message: err.message, ...(fields ? { fields } : {}) };
}
