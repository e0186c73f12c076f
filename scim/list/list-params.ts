// Query parameters of a list or search (RFC 7644 §3.4.2-3.4.3): filter, sortBy/sortOrder,
// startIndex/count paging, attributes/excludedAttributes. Read once into plain values
// (a measured pitfall: Express 5 recomputes req.query on every read, so nothing here writes
// to it), from the query string of a GET or the body of a POST …/.search.
import { invalidFilter, invalidSyntax, invalidValue } from '../errors.js';
import { LIMITS, SEARCH_REQUEST_URN } from '../urns.js';
import type { FilterNode } from '../filter/filter-ast.js';
import { parseFilter } from '../filter/filter-parser.js';

export interface ListParams {
  filter?: FilterNode;
  /** Cross-type search: attributes a type lacks are absent, not an error. */
  unknownAsAbsent?: boolean;
  startIndex: number;
  count: number;
  sortBy?: string;
  descending: boolean;
  attributes?: string[];
  excludedAttributes?: string[];
}

export interface AttributeParams {
  attributes?: string[];
  excludedAttributes?: string[];
}

type Raw = Record<string, unknown>;

/** Parameter names are matched case-insensitively; a parameter given twice is refused. */
function pick(raw: Raw, name: string): unknown {
  const key = Object.keys(raw).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : raw[key];
  if (Array.isArray(value) && name !== 'attributes' && name !== 'excludedAttributes') throw invalidValue(`"${name}" is given more than once.`);
  return value;
}

function integer(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,9}$/.test(value.trim())) return Number(value.trim());
  throw invalidValue(`"${name}" must be a whole number.`);
}

function attributeList(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value]).flatMap((v) => {
    if (typeof v !== 'string') throw invalidValue(`"${name}" must be a comma-separated list of attribute names.`);
    return v.split(',');
  });
  const names = items.map((s) => s.trim()).filter(Boolean);
  return names.length ? names : undefined;
}

export function attributeParams(raw: Raw): AttributeParams {
  return { attributes: attributeList(pick(raw, 'attributes'), 'attributes'), excludedAttributes: attributeList(pick(raw, 'excludedAttributes'), 'excludedAttributes') };
}

export function listParams(raw: Raw): ListParams {
  const filterText = pick(raw, 'filter');
  let filter: FilterNode | undefined;
  if (filterText !== undefined) {
    if (typeof filterText !== 'string') throw invalidFilter('"filter" must be a string.');
    filter = parseFilter(filterText);
  }
  // RFC 7644 §3.4.2.4: startIndex below 1 means 1; a negative count means 0; the service
  // provider returns at most maxResults.
  const startIndex = Math.max(1, integer(pick(raw, 'startIndex'), 'startIndex') ?? 1);
  const count = Math.min(LIMITS.maxResults, Math.max(0, integer(pick(raw, 'count'), 'count') ?? LIMITS.defaultCount));
  const sortBy = pick(raw, 'sortBy');
  if (sortBy !== undefined && (typeof sortBy !== 'string' || !sortBy.trim())) throw invalidValue('"sortBy" must name an attribute.');
  const sortOrder = pick(raw, 'sortOrder');
  if (sortOrder !== undefined && !(typeof sortOrder === 'string' && /^(ascending|descending)$/i.test(sortOrder))) {
    throw invalidValue('"sortOrder" must be "ascending" or "descending".');
  }
  return {
    filter,
    startIndex,
    count,
    sortBy: typeof sortBy === 'string' ? sortBy.trim() : undefined,
    descending: typeof sortOrder === 'string' && sortOrder.toLowerCase() === 'descending',
    ...attributeParams(raw),
  };
}

/** POST …/.search (RFC 7644 §3.4.3): the same parameters in a SearchRequest body. */
export function searchParams(body: unknown): ListParams {
  if (body === undefined) return listParams({});
  const b = body as Raw;
  const schemas = b.schemas;
  if (!Array.isArray(schemas) || schemas.length !== 1 || String(schemas[0]).toLowerCase() !== SEARCH_REQUEST_URN.toLowerCase()) {
    throw invalidSyntax(`A search request names exactly the schema "${SEARCH_REQUEST_URN}".`);
  }
  const { schemas: _ignored, ...rest } = b;
  for (const [key, value] of Object.entries(rest)) {
    if (['attributes', 'excludedattributes'].includes(key.toLowerCase()) && !Array.isArray(value)) throw invalidValue(`"${key}" must be an array of attribute names.`);
    if (['startindex', 'count'].includes(key.toLowerCase()) && typeof value !== 'number') throw invalidValue(`"${key}" must be a number.`);
  }
  return listParams(rest);
}
