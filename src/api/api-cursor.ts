// Opaque cursors for lists the domain pages by position or by id (invitations, audit): the
// position and a signature of the filters it belongs to, so a cursor replayed with other
// filters, edited or made up answers 400 (bad_cursor) instead of a wrong page.
import { ValidationError } from '../errors.js';

export function encodeApiCursor(signature: string, position: number): string {
  return Buffer.from(JSON.stringify({ s: signature, p: position }), 'utf8').toString('base64url');
}

export function decodeApiCursor(signature: string, raw: unknown): number | null {
  if (raw === undefined) return null;
  try {
    const parsed = JSON.parse(Buffer.from(String(raw), 'base64url').toString('utf8')) as { s?: unknown; p?: unknown };
    if (parsed && parsed.s === signature && Number.isSafeInteger(parsed.p) && (parsed.p as number) >= 0) return parsed.p as number;
  } catch {
    // Falls through to the refusal.
  }
  throw new ValidationError({ cursor: 'This cursor is not valid for this list and these filters; start again without one.' });
}

export function signatureOf(filters: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(filters).sort().map((k) => [k, filters[k] ?? null]));
}
