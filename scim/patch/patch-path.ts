// PATCH paths (RFC 7644 §3.5.2): PATH = attrPath / valuePath [subAttr], e.g. "title",
// "name.givenName", "urn:…:enterprise:2.0:User:manager", 'emails[type eq "work"].value',
// 'members[value eq "2819c223"]'.
import { invalidPath, ScimError } from '../errors.js';
import type { AttrPath, FilterNode } from '../filter/filter-ast.js';
import { parseAttrPath, parseValueFilter } from '../filter/filter-parser.js';

export interface PatchPath {
  text: string;
  /** The attribute; `sub` set for "name.givenName" (and never with a filter). */
  attr: AttrPath;
  /** The value filter of a valuePath. */
  filter: FilterNode | null;
  /** The sub-attribute after a valuePath's "]". */
  valueSub: string | null;
}

/** The index of the "]" closing the "[" at `open`, skipping quoted strings. */
function closing(text: string, open: number): number {
  let inString = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ']') return i;
  }
  return -1;
}

export function parsePatchPath(text: string): PatchPath {
  try {
    const open = text.indexOf('[');
    if (open === -1) return { text, attr: parseAttrPath(text), filter: null, valueSub: null };
    const close = closing(text, open);
    if (close === -1) throw invalidPath(`"${text}": missing "]".`);
    const attr = parseAttrPath(text.slice(0, open));
    if (attr.sub) throw invalidPath(`"${text}": a value filter follows a multi-valued attribute.`);
    const rest = text.slice(close + 1);
    if (rest !== '' && !/^\.\$?[A-Za-z][\w-]*$/.test(rest)) throw invalidPath(`"${text}" is not a valid path.`);
    return { text, attr, filter: parseValueFilter(text.slice(open + 1, close)), valueSub: rest ? rest.slice(1) : null };
  } catch (err) {
    if (err instanceof ScimError && err.scimType !== 'invalidPath') throw invalidPath(`"${text}" is not a valid path: ${err.detail}`);
    throw err;
  }
}
