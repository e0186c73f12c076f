// ETags (RFC 7644 §3.14, RFC 7232): a resource's ETag is its `meta.version`, W/"<version>",
// and moves on every write. If-Match on a write is checked against the row locked in the
// write's transaction; If-None-Match on a read answers 304.
import { ScimError } from '../errors.js';

export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** The opaque tags of an If-Match / If-None-Match header, or '*', or null when absent. */
function parseTags(header: string | undefined): string[] | '*' | null {
  if (header === undefined || header.trim() === '') return null;
  if (header.trim() === '*') return '*';
  const tags = header.match(/(?:W\/)?"[^"]*"/g) ?? [];
  // SCIM compares versions weakly (its examples send W/ tags with If-Match).
  return tags.map((t) => t.replace(/^W\//, ''));
}

function matches(tags: string[] | '*', version: number): boolean {
  return tags === '*' || tags.includes(`"${version}"`);
}

/** Throws 412 when If-Match names other versions than the current one. */
export function checkIfMatch(header: string | undefined, version: number): void {
  const tags = parseTags(header);
  if (tags !== null && !matches(tags, version)) {
    throw new ScimError(412, null, `The resource has changed: its version is ${etagOf(version)}, not ${header}.`);
  }
}

/** True when If-None-Match names the current version: answer 304 Not Modified. */
export function notModified(header: string | undefined, version: number): boolean {
  const tags = parseTags(header);
  return tags !== null && matches(tags, version);
}
