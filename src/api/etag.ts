// Entity tags of the management API's resources: a strong tag is the hash of the JSON a
// GET answers, so any change a reader could see changes it. If-Match is compared strongly
// (RFC 9110 §13.1.1): a weak tag never matches, `*` matches any existing resource.
import { createHash } from 'node:crypto';

export function etagOf(representation: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(representation)).digest('base64url').slice(0, 27)}"`;
}

/** The tags an If-Match header lists, `*`, or null when it is not a valid list. */
export function parseIfMatch(header: string): string[] | '*' | null {
  const value = header.trim();
  if (value === '*') return '*';
  const tags = value.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (tags.length === 0 || !tags.every((t) => /^(W\/)?"[\x21\x23-\x7e]*"$/.test(t))) return null;
  return tags;
}

export function ifMatchHolds(condition: string[] | '*', current: string): boolean {
  return condition === '*' || condition.some((t) => t === current);
}
