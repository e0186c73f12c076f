// Keyset cursors of the users list (paging by cursor, next/previous).
// A cursor names a row by its place in the order — (group, sort value, id) — and the
// direction to read from it, so a deep page costs what the first one does (no OFFSET).
// It also carries the order it was made for: a cursor from another sort or grouping is
// ignored rather than misread.
export type CursorDirection = 'after' | 'before';
export type SortValue = string | Date | null;

export interface Cursor {
  direction: CursorDirection;
  /** The group the row is in (department, role id); null for "none"; undefined when not grouped. */
  group?: string | null;
  value: SortValue;
  id: string;
}

interface Encoded {
  s: string;
  d: 'a' | 'b';
  g?: string | null;
  v: string | null;
  t?: 'd';
  i: string;
}

export function encodeCursor(signature: string, c: Cursor): string {
  const e: Encoded = { s: signature, d: c.direction === 'after' ? 'a' : 'b', v: c.value instanceof Date ? c.value.toISOString() : c.value, i: c.id };
  if (c.value instanceof Date) e.t = 'd';
  if (c.group !== undefined) e.g = c.group;
  return Buffer.from(JSON.stringify(e), 'utf8').toString('base64url');
}

/** The cursor, or null when it is malformed or was made for another order. */
export function decodeCursor(signature: string, raw: string | null | undefined): Cursor | null {
  if (!raw || raw.length > 2000) return null;
  let e: Partial<Encoded>;
  try {
    e = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Encoded>;
  } catch {
    return null;
  }
  if (!e || typeof e !== 'object' || e.s !== signature || (e.d !== 'a' && e.d !== 'b') || typeof e.i !== 'string' || e.i.length > 64) return null;
  if (e.v !== null && typeof e.v !== 'string') return null;
  if (e.g !== undefined && e.g !== null && typeof e.g !== 'string') return null;
  let value: SortValue = e.v ?? null;
  if (e.t === 'd' && typeof e.v === 'string') {
    const d = new Date(e.v);
    if (Number.isNaN(d.getTime())) return null;
    value = d;
  }
  return { direction: e.d === 'a' ? 'after' : 'before', ...(e.g !== undefined ? { group: e.g } : {}), value, id: e.i };
}
